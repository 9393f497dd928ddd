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
  /** Data files (CSV). */
  fileBytes: 50 * 1024 * 1024,
  /** Checkpoint files (a model within `parameters`, with optimizer state, fits easily). */
  checkpointBytes: 512 * 1024 * 1024,
  rows: 1_000_000,
  cells: 20_000_000,
} as const;
