/** How the command line prints problems and results. */
import type { Problem } from '../engine/experiment/parse';
import type { EpochRecord, FindingCounts, FindingRecord, RunHeader, RunSummary } from '../engine/train/events';

/** `path/to/file:LINE:COL: error: message`, the format compilers use (editors make it a link). */
export function located(file: string, line: number, column: number, severity: 'error' | 'warning' | 'info', message: string): string {
  return `${file}:${line}:${column}: ${severity}: ${message}\n`;
}

export function formatProblem(file: string, p: Problem): string {
  return located(file, p.line, p.column, p.severity, p.message);
}

/** A diagnostic finding at the experiment key it blames: `file:LINE:COL: warning: message (step N)`. */
export function formatFinding(file: string, at: { line: number; column: number }, finding: FindingRecord): string {
  return located(file, at.line, at.column, finding.severity, `${finding.message} (step ${finding.step})`);
}

/** "findings: 1 error, 2 warnings, 0 info" */
export function findingCountsLine(counts: FindingCounts): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `findings: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info\n`;
}

const percent = (v: number): string => `${(100 * v).toFixed(1)}%`;
const num = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));

/** "epoch 12/60  loss 0.8123  acc 71.2%  val_loss 0.9001  val_acc 66.0%  lr 0.1" */
export function epochLine(r: EpochRecord, epochs: number): string {
  const parts = [`epoch ${String(r.epoch).padStart(String(epochs).length)}/${epochs}`, `loss ${num(r.train_loss)}`];
  if (r.train_accuracy !== undefined) parts.push(`acc ${percent(r.train_accuracy)}`);
  if (r.val_loss !== undefined) parts.push(`val_loss ${num(r.val_loss)}`);
  if (r.val_accuracy !== undefined) parts.push(`val_acc ${percent(r.val_accuracy)}`);
  parts.push(`lr ${r.lr}`);
  return parts.join('  ');
}

export function headerLines(h: RunHeader): string {
  const title = h.variant !== undefined ? `${h.experiment} — variant ${h.variant}` : h.experiment;
  return (
    `${title}\n` +
    `  data:  ${h.data.description} (${h.data.train} train, ${h.data.validation} validation)\n` +
    `  model: ${h.layers.join(' → ')} · ${h.parameters.toLocaleString('en-US')} parameters\n` +
    `  ${h.epochs} epochs × ${h.stepsPerEpoch} steps = ${h.totalSteps} steps` +
    (h.expectedInitialLoss !== undefined ? ` · expected initial loss ≈ ln(${h.data.outputs}) = ${h.expectedInitialLoss.toFixed(4)}` : '') +
    '\n'
  );
}

export function summaryLines(s: RunSummary, runDir: string): string {
  const seconds = (s.elapsed_ms / 1000).toFixed(1);
  let out = `${s.status}: ${s.epochs} epochs, ${s.steps} steps in ${seconds} s (${Math.round(s.steps_per_second)} steps/s)\n`;
  if (s.error) out += `error: ${s.error}\n`;
  const f = s.final;
  if (f) {
    const parts = [`train loss ${num(f.train_loss)}`];
    if (f.train_accuracy !== undefined) parts.push(`train acc ${percent(f.train_accuracy)}`);
    if (f.val_loss !== undefined) parts.push(`val loss ${num(f.val_loss)}`);
    if (f.val_accuracy !== undefined) parts.push(`val acc ${percent(f.val_accuracy)}`);
    out += `final: ${parts.join(', ')}\n`;
  }
  if (s.best) out += `best: ${f?.val_loss !== undefined ? 'val' : 'train'} loss ${num(s.best.loss)} at epoch ${s.best.epoch}\n`;
  if (s.findings) out += findingCountsLine(s.findings);
  out += `run: ${runDir}\n`;
  return out;
}
