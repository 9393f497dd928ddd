import type { FindingDraft, Severity } from './finding';
import type { ObservationEvent, RunObservations } from './observations';
import type { DiagnosticThresholds, ThresholdKey } from './thresholds';

/**
 * One entry of the diagnostic catalogue: a small pure check over the run's observations. A rule
 * returns every finding it sees now (a per-layer rule may name several layers at once); the
 * Diagnostician reports each rule + target once per run.
 */
export interface DiagnosticRule {
  /** Stable id (settings, tests, telemetry): 'nan-loss', 'dead-relu', ... */
  id: string;
  severity: Severity;
  /** Short name for the docs. */
  title: string;
  /** When it fires, in plain words (for the docs). */
  description: string;
  /** Events after which the rule is checked. */
  on: readonly ObservationEvent[];
  /** The thresholds it reads. */
  thresholds: readonly ThresholdKey[];
  check(observations: RunObservations, thresholds: DiagnosticThresholds): FindingDraft[];
}
