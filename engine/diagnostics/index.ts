/**
 * Diagnostics: one catalogue of small rules over what a run reports (losses, epoch
 * evaluations, probes), each finding in plain words with the course notes' guidance, the experiment
 * key to blame and, where sound, a quick fix as edits on the experiment.
 */
export { RULES, ruleById } from './catalogue';
export { Diagnostician, type DiagnosticianOptions } from './diagnostician';
export type { RunContext, ContextLayer } from './context';
export { formatFinding, type Finding, type FindingDraft, type QuickFix, type ExperimentEdit, type Severity } from './finding';
export { LossWindow, type RunObservations, type ObservationEvent, type EpochObservation } from './observations';
export type { DiagnosticRule } from './rule';
export { DEFAULT_THRESHOLDS, thresholdOptions, type DiagnosticThresholds, type ThresholdKey } from './thresholds';
export { diagnosticsOptions, type DiagnosticsSpec } from './settings';
