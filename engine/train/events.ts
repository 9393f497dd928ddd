/**
 * What a training run reports, in order: one `started`, any number of `records` and `log`, then one
 * `finished`. The same events flow from the worker thread to the extension host, into the run's
 * files on disk (records as JSON lines) and, transformed, to the webviews and the command line.
 */

/** A training step's loss (the mini-batch loss before the update). */
export interface StepRecord {
  kind: 'step';
  /** 1-based global step (optimizer updates so far, including this one). */
  step: number;
  /** 1-based epoch the step belongs to. */
  epoch: number;
  loss: number;
  lr: number;
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
  lr: number;
  /** Wall time since the run started. */
  elapsed_ms: number;
}

export type MetricRecord = StepRecord | EpochRecord;

export interface RunHeader {
  experiment: string;
  variant?: string;
  task: 'classification' | 'regression';
  data: { description: string; train: number; validation: number; features: number; outputs: number };
  /** e.g. ["Linear(2 → 64)", "ReLU", "Linear(64 → 3)"] */
  layers: string[];
  parameters: number;
  epochs: number;
  stepsPerEpoch: number;
  totalSteps: number;
  /** Natural log of the class count: the expected initial cross-entropy loss with small weights. */
  expectedInitialLoss?: number;
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
  /** Lowest validation loss (or training loss without a validation set) and its epoch. */
  best?: { epoch: number; loss: number };
  error?: string;
}

export type TrainEvent =
  | { type: 'started'; header: RunHeader }
  | { type: 'records'; records: MetricRecord[] }
  | { type: 'log'; level: 'info' | 'warning' | 'error'; message: string }
  | { type: 'finished'; summary: RunSummary };
