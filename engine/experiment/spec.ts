import type { DataSpec } from '../data/spec';
import type { InitSpec } from '../init/spec';
import type { LossSpec } from '../losses/spec';
import type { LayerSpec } from '../nn/spec';
import type { OptimizerSpec } from '../optim/spec';
import type { MomentumScheduleSpec, ScheduleSpec } from '../schedule/spec';
import type { ProbeSettings } from '../probes/settings';
import type { DiagnosticsSpec } from '../train/runDiagnostics';
import type { CheckpointSpec, TrainingExtrasSpec } from '../train/spec';

// Each part of an experiment is specified next to the code that implements it; they are
// re-exported here so that the experiment format reads as one contract.
export * from '../data/spec';
export * from '../init/spec';
export * from '../losses/spec';
export * from '../nn/spec';
export * from '../optim/spec';
export * from '../schedule/spec';
export * from '../train/spec';

/**
 * A fully resolved, validated experiment: what the training loop runs. Produced by
 * `experiment/parse.ts` from an `*.experiment.json` file (base merged with one variant, shorthands
 * expanded, PyTorch's defaults filled in). Names follow PyTorch (`lr`, `betas`, `weight_decay`,
 * `out_features`, `nonlinearity`, ...), so a user can carry settings across unchanged.
 */
export interface ExperimentSpec {
  /** The experiment's display name (the file's `name`, or its file name). */
  name: string;
  /** The variant this spec was resolved for; undefined for the base experiment. */
  variant?: string;
  description?: string;
  data: DataSpec;
  /** Layers in order, as in `torch.nn.Sequential`; parameter names follow its `state_dict`. */
  model: LayerSpec[];
  /** Initialization of every linear layer that does not set its own. */
  init: InitSpec;
  loss: LossSpec;
  optimizer: OptimizerSpec;
  /** The learning-rate schedule (torch.optim.lr_scheduler); absent = a constant lr. */
  schedule?: ScheduleSpec;
  /** A schedule of the optimizer's momentum / beta1; absent = none. */
  momentum_schedule?: MomentumScheduleSpec;
  training: TrainingSpec;
  /** Files to start from and to save to; absent = none. */
  checkpoint?: CheckpointSpec;
  /**
   * How often the loop probes the network; absent = the defaults (engine/probes/settings.ts). The
   * validator fills in every key, but the session also takes a partial one (as its own callers pass).
   */
  probes?: Partial<ProbeSettings>;
  /** Rules turned off and thresholds changed; absent = every rule at its default thresholds. */
  diagnostics?: DiagnosticsSpec;
}

// ---- training ---------------------------------------------------------------------------------

/** The loop's settings, and its optional parts (clipping, penalties, early stopping, EMA; absent = off). */
export interface TrainingSpec extends TrainingExtrasSpec {
  epochs: number;
  batch_size: number;
  /** Seeds initialization, shuffling and dropout. */
  seed: number;
  shuffle: boolean;
}
