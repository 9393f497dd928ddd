/**
 * What this engine takes on: beyond these, a run would not fit in memory or finish in reasonable
 * time. One set of numbers for the experiment format, the run preparation (CLI and extension
 * alike) and the messages that cite them.
 */
export const LIMITS = {
  samples: 1_000_000,
  classes: 1000,
  outFeatures: 65_536,
  epochs: 1_000_000,
  batchSize: 1_000_000,
  /** Weights + biases of the whole model. */
  parameters: 10_000_000,
  /** Optimizer steps of a whole run. */
  totalSteps: 100_000_000,
  /** Multiply-adds of a whole run (forward + backward ≈ 3 × forward); ~hours in pure JavaScript. */
  work: 1e13,
  /** Above this, warn that the run will take a while. */
  workWarning: 2e11,
  /** Data files (CSV, IDX) as they are on disk. */
  fileBytes: 50 * 1024 * 1024,
  /**
   * A data file's bytes once decompressed (a gzipped IDX file), and the examples of a data set held
   * in memory as float32 (training, validation and test rows together): full MNIST or
   * Fashion-MNIST (70,000 × 784 values, 209 MiB) fits; twice that would not leave room for training.
   */
  dataBytes: 512 * 1024 * 1024,
  /** Checkpoint files (a model within `parameters`, with optimizer state, fits easily). */
  checkpointBytes: 512 * 1024 * 1024,
  rows: 1_000_000,
  cells: 20_000_000,
} as const;
