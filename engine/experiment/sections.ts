/**
 * The sections of an experiment file, each with the schema of what it holds. The parts of the
 * engine describe their own kinds (data sets, layers, initializers, losses, optimizers,
 * schedules) and settings; this is only where they sit in the file.
 */
import * as z from 'zod';
import { described } from '../core/options';
import { DATASETS, type DataSpec } from '../data/kinds';
import { diagnosticsOptions, type DiagnosticsSpec } from '../diagnostics/settings';
import { initPair, type InitSpec } from '../init';
import { LOSSES, type LossSpec } from '../losses/kinds';
import { LAYERS, type LayerSpec } from '../nn/kinds';
import { OPTIMIZERS, type OptimizerSpec } from '../optim/kinds';
import { probeSettings, type ProbeSettings } from '../probes/settings';
import { SCHEDULES, type ScheduleSpec } from '../schedule/kinds';
import { MOMENTUM_SCHEDULES, type MomentumScheduleSpec } from '../schedule/momentumSchedule';
import { checkpointOptions, type CheckpointSpec } from '../checkpoint/options';
import { trainingOptions, type TrainingSpec } from '../loop/options';

/** Every section: what it holds, in the order the reference lists them. */
export const SECTIONS = {
  $schema: z.string().describe('The JSON Schema of this file.'),
  name: z.string().describe('Display name (default: the file name).'),
  description: z.string().describe('What this experiment (or variant) is about.'),
  data: DATASETS.schema,
  model: described(
    z
      .array(LAYERS.schema)
      .min(1)
      .describe(
        "The layers in order (torch.nn.Sequential). The first layer's input width is the number of features; the last linear layer may leave out out_features.",
      ),
    {
      markdown: 'The layers in order, like `torch.nn.Sequential`. The last linear layer may leave out `out_features`: it then outputs one value per class.',
    },
  ),
  init: described(initPair('Initialization of the linear layers: an initializer name (for the weights) or { "weight": ..., "bias": ... }.'), {
    markdown:
      "Initialization of the linear layers (a layer's own `init` overrides it). An initializer name sets the **weights**; " +
      '`{ "weight": ..., "bias": ... }` sets either or both. Default: PyTorch\'s own.',
  }),
  loss: LOSSES.schema,
  optimizer: OPTIMIZERS.schema,
  schedule: SCHEDULES.schema,
  momentum_schedule: MOMENTUM_SCHEDULES.schema,
  training: trainingOptions,
  checkpoint: checkpointOptions,
  probes: probeSettings,
  diagnostics: diagnosticsOptions,
} as const;

export type SectionKey = keyof typeof SECTIONS;

/** Top-level keys, in order; `variants` holds named overrides of the others. */
export const TOP_LEVEL_KEYS = [...(Object.keys(SECTIONS) as SectionKey[]), 'variants'] as const;
/** What a variant may override: every section (not its identity, nor other variants). */
export const VARIANT_KEYS = TOP_LEVEL_KEYS.filter(
  (k): k is Exclude<SectionKey, '$schema' | 'name'> => k !== '$schema' && k !== 'name' && k !== 'variants',
);
/** The sections an experiment needs, each with what is said after "the experiment needs 'x'". */
export const REQUIRED_SECTIONS: Readonly<Record<string, string>> = {
  data: ' (e.g. "data": { "type": "spiral" })',
  model: ' (a list of layers, e.g. "model": [{ "type": "linear", "out_features": 32 }, "relu", { "type": "linear" }])',
  optimizer: ' (e.g. "optimizer": { "type": "sgd", "lr": 0.1 })',
};

/**
 * A fully resolved, validated experiment: what the training loop runs (the base merged with one variant,
 * shorthands expanded, PyTorch's defaults filled in). Names follow PyTorch (`lr`, `betas`, `out_features`,
 * ...), so settings carry across unchanged. An absent optional section means none (a constant lr, no
 * checkpoint), and for `probes` and `diagnostics` the defaults.
 */
export interface ExperimentSpec {
  /** The file's `name`, or its file name. */
  name: string;
  variant?: string;
  description?: string;
  data: DataSpec;
  /** As in `torch.nn.Sequential`; parameter names follow its `state_dict`. */
  model: LayerSpec[];
  /** Initialization of every linear layer that does not set its own. */
  init: InitSpec;
  loss: LossSpec;
  optimizer: OptimizerSpec;
  schedule?: ScheduleSpec;
  momentum_schedule?: MomentumScheduleSpec;
  training: TrainingSpec;
  checkpoint?: CheckpointSpec;
  probes?: Partial<ProbeSettings>;
  diagnostics?: DiagnosticsSpec;
}
