/**
 * The engine's public surface, for the command-line runner, the worker and anyone embedding it.
 * Pure TypeScript: no `vscode`, no DOM.
 */
export { parseExperiment } from './experiment/parse';
export type { ParsedExperiment, Problem } from './experiment/parse';
export type { ExperimentSpec } from './experiment/spec';
export { SpecError, DataFileError } from './experiment/specError';
export { loadData } from './data/load';
export type { Dataset, DataSplit } from './data/dataset';
export { TrainingSession } from './train/session';
export type { TrainEvent, MetricRecord, RunHeader, RunSummary } from './train/events';
export type { Kernels } from './core/kernels';
export { jsKernels } from './core/jsKernels';
