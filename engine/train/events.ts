/**
 * What a training run reports, in order: one `started`, any number of `records` and `log`, then one
 * `finished`. The same events flow from the worker thread to the extension host, into the run's
 * files on disk (records as JSON lines) and, transformed, to the webviews and the command line.
 */
import type { Task } from '../core/task';
import type { Finding } from '../diagnostics/finding';
import type { ProbeRecord } from '../probes/record';
import type { BoundaryRecord } from './decisionBoundary';

export type { BoundaryRecord, ProbeRecord };

/** A training step's loss (the mini-batch loss before the update). */
export interface StepRecord {
  kind: 'step';
  /** 1-based global step (optimizer updates so far, including this one). */
  step: number;
  /** 1-based epoch the step belongs to. */
  epoch: number;
  loss: number;
  /** The learning rate this step used. */
  lr: number;
  /** The optimizer's momentum coefficient this step used (SGD/RMSprop momentum, Adam's β₁); absent without one. */
  momentum?: number;
  /**
   * Total gradient norm before clipping (clip_grad_norm_'s return value, in its norm_type), present
   * when `training.clip_grad_norm` is set.
   */
  grad_norm?: number;
  /**
   * The weight penalty (`training.regularization`) at the weights before the update; the objective
   * minimized is loss + penalty. `loss` stays the data loss, comparable with train_loss/val_loss.
   */
  penalty?: number;
  /**
   * Loss-and-gradient evaluations so far in the run (L-BFGS: closure calls, torch's func_evals);
   * present for optimizers that take a closure.
   */
  function_evaluations?: number;
}

/** End-of-epoch evaluation: the whole training and validation sets in evaluation mode. */
export interface EpochRecord {
  kind: 'epoch';
  epoch: number;
  /** Global step at the end of this epoch. */
  step: number;
  train_loss: number;
  /** Classification only. */
  train_accuracy?: number;
  /** Absent when there is no validation set. */
  val_loss?: number;
  val_accuracy?: number;
  /** The data's test split, when it asks to be evaluated every epoch (`test_every_epoch`). */
  test_loss?: number;
  test_accuracy?: number;
  lr: number;
  /** Wall time since the run started. */
  elapsed_ms: number;
  /**
   * Which weights were evaluated when not the raw ones: 'ema' = the moving average of
   * `training.ema`; 'averaged' = the optimizer's own averages (ASGD's ax).
   */
  weights?: 'ema' | 'averaged';
  /**
   * Only in a summary's `final`: the weights evaluated are those of this (best) epoch, put back by
   * early_stopping.restore_best_weights at the end of the run.
   */
  restored_from_epoch?: number;
}

/**
 * A diagnostic finding (engine/diagnostics), in the record stream right after the record that made
 * it fire: step N's findings follow StepRecord N (and ProbeRecord N), an epoch's follow its
 * EpochRecord. `step`/`epoch` say when it fired. An 'error' finding is the run's last record: the
 * run failed there (RunSummary.stopped_by names it).
 */
export type FindingRecord = { kind: 'finding' } & Finding;

/**
 * Every record of a run, in the order it happened (as metrics.bin keeps them, engine/runs). Consumers
 * that switch on `kind` must ignore kinds they do not know: more may be added.
 *   step     one per optimizer step
 *   probe    a look inside the network at a step (every `probes.every` steps within `max_overhead`, and at step 1),
 *            right after that step's StepRecord
 *   finding  a diagnostic, right after the record it is about
 *   epoch    the end-of-epoch evaluation
 *   boundary the decision boundary of a 2-D classifier (when the session is asked for it), after a
 *            probe at a bounded rate and at the end; only the latest is kept (in the digest), the
 *            records file does not hold them
 *   images   for image data: examples with predictions, a confusion matrix, the first layer's
 *            weights as images (after an epoch record, at most every few seconds; views keep the latest)
 */
export type MetricRecord = StepRecord | EpochRecord | ProbeRecord | FindingRecord | BoundaryRecord | ImagesRecord;

/** What a run on images shows of its model: see train/imageViews.ts. */
export interface ImagesRecord {
  kind: 'images';
  step: number;
  epoch: number;
  /** The set the samples and the confusion matrix come from: validation, else train. */
  split: 'validation' | 'train';
  /** One example's shape, e.g. 28 × 28. */
  height: number;
  width: number;
  /** Class names, by index. */
  classes: string[];
  /** The set's first examples: pixels 0–255 (row-major), true class, predicted class. */
  samples: { pixels: number[]; label: number; predicted: number }[];
  /** counts[true][predicted] over the whole set. */
  confusion: number[][];
  /**
   * The first linear layer's first units as images (pixels 0–255, 128 = a zero weight, 0 and 255 =
   * ∓max); `units` is the layer's width, `layer` its index in the model.
   */
  weights?: { layer: number; units: number; max: number; pixels: number[][] };
}

export interface RunHeader {
  experiment: string;
  variant?: string;
  task: Task;
  data: {
    description: string;
    train: number;
    validation: number;
    features: number;
    outputs: number;
    /** Examples of the test split; absent without one (and in runs recorded before test splits). */
    test?: number;
    /** The shape of one input when it is an image (rows, cols): views draw inputs and first-layer weights so. */
    shape?: number[];
    /** Names of the classes, class 0 first, when the data names them. */
    class_names?: string[];
  };
  /** e.g. ["Linear(2 → 64)", "ReLU", "Linear(64 → 3)"] */
  layers: string[];
  parameters: number;
  epochs: number;
  stepsPerEpoch: number;
  totalSteps: number;
  /** Natural log of the class count: the expected initial cross-entropy loss with small weights. */
  expectedInitialLoss?: number;
  /** The kernels the run computes with: "wasm-relaxed", "wasm-simd" (WebAssembly; "-2t" with a helper thread) or "js" (docs/engine.md). */
  kernels?: string;
  /** Set when the run continues a checkpoint: where that run was (its records up to there are not repeated). */
  resumed_from?: { epoch: number; step: number };
}

export type RunStatus = 'completed' | 'stopped' | 'failed';

export interface RunSummary {
  status: RunStatus;
  epochs: number;
  steps: number;
  elapsed_ms: number;
  steps_per_second: number;
  /** The last epoch's evaluation (absent when stopped before the first epoch ended). */
  final?: Omit<EpochRecord, 'kind'>;
  /** The test split evaluated at the end of a completed run (absent without a test split). */
  test?: TestSummary;
  /** Lowest validation loss (or training loss without a validation set) and its epoch. */
  best?: { epoch: number; loss: number };
  /** Present when `training.early_stopping` is set. */
  early_stopping?: EarlyStoppingSummary;
  /** Why the run failed, in plain words (an error finding's message when one stopped it). */
  error?: string;
  /** The diagnostic rule that ended the run ('nan-loss', 'exploding-loss', ...) and the step it fired at. */
  stopped_by?: { rule: string; step: number };
  /** How many diagnostic findings the run reported, by severity (present when the diagnostics ran). */
  findings?: FindingCounts;
}

/**
 * The final verdict on held-out data: the test split, evaluated once when the run ends, with the
 * weights the run ends with (the EMA or averaged ones when evaluation uses them, the best epoch's
 * when early stopping restored them).
 */
export interface TestSummary {
  loss: number;
  /** Classification only. */
  accuracy?: number;
  examples: number;
  /** The epoch whose weights were evaluated. */
  epoch: number;
  weights?: 'ema' | 'averaged';
  /**
   * Classification with at most 100 classes: counts of the test examples by true class (row) and
   * predicted class (column).
   */
  confusion?: number[][];
}

export interface FindingCounts {
  error: number;
  warning: number;
  info: number;
}

export interface EarlyStoppingSummary {
  monitor: string;
  mode: 'min' | 'max';
  /** Best monitored value and its epoch (absent before the first epoch ended). */
  best?: number;
  best_epoch?: number;
  /** The epoch after which patience ran out; absent when the run was not stopped early. */
  stopped_epoch?: number;
  /** Whether the best epoch's weights were put back at the end (then `final` evaluates them). */
  restored: boolean;
}

export type TrainEvent =
  | { type: 'started'; header: RunHeader }
  | { type: 'records'; records: MetricRecord[] }
  | { type: 'log'; level: 'info' | 'warning' | 'error'; message: string }
  | { type: 'finished'; summary: RunSummary };
