/** What a run reports when it ends: its outcome, its last (or restored) evaluation, early stopping, findings. */
import type { RunParts } from './assemble';
import type { LoopPosition } from './checkpointing';
import type { EarlyStoppingSummary, EpochRecord, RunStatus, RunSummary, TestSummary } from './events';

export interface Ending {
  status: RunStatus;
  error?: string;
  /** The best epoch's evaluation, when early stopping put its weights back. */
  restored?: EpochRecord;
  /** The diagnostic that stopped the run. */
  stoppedBy?: RunSummary['stopped_by'];
  /** The test split's evaluation at the end of a completed run. */
  test?: TestSummary;
}

export function runSummary(run: RunParts, position: LoopPosition, elapsedMs: number, ending: Ending): RunSummary {
  const { step, epochsDone, best, lastEpoch } = position;
  const summary: RunSummary = {
    status: ending.status,
    epochs: epochsDone,
    steps: step,
    elapsed_ms: elapsedMs,
    steps_per_second: elapsedMs > 0 ? (step * 1000) / elapsedMs : 0,
  };
  const final = ending.restored ?? lastEpoch;
  if (final) {
    const { kind: _kind, ...rest } = final;
    summary.final = rest;
  }
  if (ending.test) summary.test = ending.test;
  if (best) summary.best = { ...best };
  if (run.earlyStopping) summary.early_stopping = earlyStoppingSummary(run, ending.restored !== undefined);
  if (ending.error !== undefined) summary.error = ending.error;
  if (ending.stoppedBy) summary.stopped_by = { ...ending.stoppedBy };
  summary.findings = run.diagnostics.counts();
  return summary;
}

function earlyStoppingSummary(run: RunParts, restored: boolean): EarlyStoppingSummary {
  const es = run.earlyStopping!;
  const out: EarlyStoppingSummary = { monitor: es.monitor, mode: es.mode, restored };
  if (es.bestEpoch > 0) {
    out.best = es.best;
    out.best_epoch = es.bestEpoch;
  }
  if (es.stoppedEpoch > 0) out.stopped_epoch = es.stoppedEpoch;
  return out;
}
