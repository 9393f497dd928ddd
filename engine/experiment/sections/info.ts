import type { Task } from '../spec';

/** What the checks of the other sections need to know about the data before it is loaded. */
export interface DataInfo {
  task: Task;
  /** Known for synthetic data: 2 features, `classes` outputs, the split sizes. */
  features?: number;
  /** Classes (classification) or targets (regression) of the data set, when known. */
  outputs?: number;
  train?: number;
  validation?: number;
  /** Whether there is a validation set: known for synthetic data, and for a CSV without a split. */
  hasValidation?: boolean;
}
