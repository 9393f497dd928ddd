/** What every data kind shares: the validation split, the seed, and what others may know of it. */
import * as z from 'zod';
import type { Task } from '../core/task';

/** What the checks of the other sections can know about the data before it is loaded. */
export interface DataInfo {
  /** Unknown when the file writes it wrongly (or names no known data kind): never taken for its default. */
  task?: Task;
  /** Known for synthetic data: 2 features, `classes` outputs, the split sizes. */
  features?: number;
  /** Classes (classification) or targets (regression) of the data set, when known. */
  outputs?: number;
  train?: number;
  validation?: number;
  /** Whether there is a validation set: known for synthetic data, and for a file without a split. */
  hasValidation?: boolean;
}

/** The files a run reads, by the paths the experiment writes (relative to it, inside the workspace). */
export interface DataFiles {
  bytes(path: string): Uint8Array;
}

export const validationSplit = z
  .number()
  .min(0)
  .lt(1)
  .default(0.2)
  .describe('Fraction of the examples held out for validation, in [0, 1). `0` = no validation set.');

/** A seed: any 32-bit unsigned integer. */
export const seed = (doc: string) => z.int().min(0).max(4294967295).default(0).describe(doc);
