/** What an experiment's `data` key resolves to (see engine/experiment/defaults.ts for defaults). */

// ---- data sets -------------------------------------------------------------------------------------

export type SyntheticKind = 'spiral' | 'moons' | 'circles' | 'xor' | 'blobs';
export const SYNTHETIC_KINDS: readonly SyntheticKind[] = ['spiral', 'moons', 'circles', 'xor', 'blobs'];

export interface SyntheticDataSpec {
  type: SyntheticKind;
  /** Total number of examples (train + validation). */
  samples: number;
  /** Number of classes (spiral, blobs; moons, circles and xor have 2). */
  classes: number;
  /** Standard deviation of the Gaussian noise added to the points. */
  noise: number;
  /** Seed of the data generator (separate from the training seed, so variants share the data). */
  seed: number;
  /** Fraction of examples held out for validation, in [0, 1). */
  validation_split: number;
}

export type Task = 'classification' | 'regression';

export interface CsvDataSpec {
  type: 'csv';
  /** Path relative to the experiment file; must stay inside the workspace. */
  path: string;
  /** Header name of the target column. */
  target: string;
  task: Task;
  /** Standardize features by the training set's mean and std. */
  standardize: boolean;
  validation_split: number;
  /** Seed of the train/validation split shuffle. */
  seed: number;
}

export type DataSpec = SyntheticDataSpec | CsvDataSpec;
