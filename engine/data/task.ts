/** What the targets of a data set are: class labels, or numbers to predict. */
export const TASKS = ['classification', 'regression'] as const;
export type Task = (typeof TASKS)[number];
