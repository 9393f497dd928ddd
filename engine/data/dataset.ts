import type { Task } from '../core/task';

/**
 * A table of examples held in Float32Arrays, row-major. Classification targets are class indices
 * (stored as floats, 0..classes-1); regression targets are `outputs` values per row.
 */
export interface Dataset {
  readonly task: Task;
  /** Number of rows. */
  readonly size: number;
  /** Number of input features per row. */
  readonly features: number;
  /** Width of the model's output: the class count, or the number of regression targets. */
  readonly outputs: number;
  /** size × features. */
  readonly x: Float32Array;
  /** size (classification: class index) or size × outputs (regression). */
  readonly y: Float32Array;
  readonly featureNames: readonly string[];
  /** Class labels as they appeared in the source (classification only). */
  readonly classNames?: readonly string[];
  /** The shape of one example when it is an image or another array (28 × 28): views draw it so. */
  readonly shape?: readonly number[];
}

export interface DataSplit {
  readonly train: Dataset;
  /** Empty (size 0) when validation_split is 0. */
  readonly validation: Dataset;
  /** Human-readable origin, e.g. "spiral (300 points, 3 classes)" or "data/wine.csv". */
  readonly description: string;
  /**
   * Where the examples come from, short, for messages about their shape ("wine.csv",
   * "train-labels-idx1-ubyte.gz"); absent for synthetic data.
   */
  readonly source?: string;
  /** A held-out test set (a data file's own test split), evaluated when the run ends. */
  readonly test?: Dataset;
  /** Evaluate `test` at the end of every epoch too, not only at the end of the run. */
  readonly testEveryEpoch?: boolean;
}
