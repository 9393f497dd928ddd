/**
 * Probes: per-layer activation statistics, per-parameter update/weight ratios and
 * gradient norms, optimizer state and batch norm running statistics at an interval of steps.
 * Pure calculators over the loop's own buffers; the training loop calls the Prober (see prober.ts).
 */
export * from './record';
export { DEFAULT_PROBE_SETTINGS, isProbeStep, probeSettings } from './settings';
export type { ProbeSettings } from './settings';
export { ProbeScratch, type ProbeLayout } from './scratch';
export { summarizeActivations, type ActivationOptions, type ActivationSummary } from './activations';
export { summarizeParam, type ProbeParam } from './params';
export { summarizeOptimizer, type ProbeOptimizer, type OptimizerStateView } from './optimizerState';
export { summarizeBatchNorm, type ProbeBatchNorm } from './batchNorm';
export { Prober, type ProbeLayer, type ProbeTarget } from './prober';
export { ModelProbeTarget, type ProbedModel } from './modelTarget';
export { layerRoles, isActivationKind } from './roles';
export {
  valueStats,
  sumOfSquares,
  norm,
  differenceNorm,
  updateRatio,
  copyFinite,
  percentilesInPlace,
  quickselect,
  histogram,
  deadColumns,
  saturatedCount,
  type SaturationKind,
} from './stats';
