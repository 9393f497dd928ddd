import type { JsonPath } from '../core/errors';
import type { Task } from '../core/task';

/** One layer of the experiment's model, as the rules need it. */
export interface ContextLayer {
  /** Position in `model`: the path ["model", index]. */
  index: number;
  /** The layer's `type` ('linear', 'relu', ...). */
  kind: string;
  /** Linear / maxout width as written (undefined on the last one, which gets the output count). */
  outFeatures?: number;
  /** The layer's own `init` (linear, maxout), as written: it overrides the experiment's key by key. */
  ownInit?: { weight?: string; bias?: string };
}

/** What the rules know about the run besides what it reports: the experiment, resolved. */
export interface RunContext {
  task: Task;
  /** ln C for cross-entropy over C classes (RunHeader.expectedInitialLoss); absent otherwise. */
  expectedInitialLoss?: number;
  layers: readonly ContextLayer[];
  optimizer: {
    type: string;
    /** The learning rate as written in the experiment. */
    lr: number;
    /** Where it is: ["optimizer", "lr"], or ["optimizer", "optimizer", "lr"] inside lookahead. */
    lrPath: JsonPath;
    /** The optimizer's L2 weight decay, when it has that key. */
    weightDecay?: number;
    weightDecayPath?: JsonPath;
  };
  /** The data's `type`, and for CSV files whether features are standardized. */
  data: { type: string; standardize?: boolean };
  /** The experiment's `init.weight.type`. */
  initWeight: string;
  /** Whether gradient clipping (training.clip_grad_norm / clip_grad_value) is on. */
  clipping: boolean;
  /**
   * The training inputs' scale as the network sees them (after the data's own preprocessing):
   * the largest per-feature standard deviation and the largest absolute value.
   */
  inputScale?: { std: number; maxAbs: number };
}
