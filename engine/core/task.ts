/**
 * What the targets of a data set are: class labels, numbers to predict, or class probabilities
 * (soft labels: one probability per class and row, as torch's cross_entropy takes them).
 */
export const TASKS = ['classification', 'regression', 'probabilities'] as const;
export type Task = (typeof TASKS)[number];

/** Class labels or class probabilities: there are classes, accuracy and class scores. */
export function hasClasses(task: Task): boolean {
  return task !== 'regression';
}

/** How many numbers a row's target is: one class index, or one value per output (target or class). */
export function targetWidth(task: Task, outputs: number): number {
  return task === 'classification' ? 1 : outputs;
}
