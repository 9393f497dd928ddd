/** How the command line prints problems and results. */
import { stepMention } from '../engine/diagnostics/finding';
import type { Problem } from '../engine/experiment/parse';
import type { EpochRecord, FindingCounts, FindingRecord, RunHeader, RunSummary, TestSummary } from '../engine/train/events';

/** `path/to/file:LINE:COL: error: message`, the format compilers use (editors make it a link). */
export function located(file: string, line: number, column: number, severity: 'error' | 'warning' | 'info', message: string): string {
  return `${file}:${line}:${column}: ${severity}: ${message}\n`;
}

export function formatProblem(file: string, p: Problem, at: { line: number; column: number }): string {
  return located(file, at.line, at.column, p.severity, p.message);
}

type Locate = (path: (string | number)[]) => { line: number; column: number };

/**
 * A diagnostic finding at the experiment key it blames, `file:LINE:COL: warning: message (step N)` (the step
 * only when the message does not already say it),
 * then its details elsewhere (per layer, and the consequences folded into it), each at its key:
 * `file:LINE:COL: note: ...`.
 */
export function formatFinding(file: string, finding: FindingRecord, locate: Locate): string {
  const at = locate(finding.path);
  let out = located(file, at.line, at.column, finding.severity, withStep(finding));
  for (const note of finding.related ?? []) {
    const n = locate(note.path);
    out += `  ${file}:${n.line}:${n.column}: note: ${note.message}\n`;
  }
  return out;
}

/** A finding as a JSON record for `--json`, located at its key. */
export function findingJson(file: string, finding: FindingRecord, locate: Locate): Record<string, unknown> {
  const { kind: _kind, headline: _headline, observation: _observation, ...rest } = finding;
  const at = locate(finding.path);
  const record: Record<string, unknown> = { ...rest, file, line: at.line, column: at.column };
  if (finding.related) record.related = finding.related.map(n => ({ ...n, file, ...locate(n.path) }));
  return record;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * "findings: 1 error, 2 warnings, 0 info": what training found. What the experiment file itself
 * was warned of went to stderr before the run, and is counted apart ("· experiment file: 2 warnings").
 */
export function findingCountsLine(counts: FindingCounts, file: { warning: number; info: number } = { warning: 0, info: 0 }): string {
  const said = [file.warning > 0 ? plural(file.warning, 'warning') : '', file.info > 0 ? `${file.info} info` : ''].filter(s => s !== '');
  return `findings: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info${said.length > 0 ? ` · experiment file: ${said.join(', ')} (above)` : ''}\n`;
}

const percent = (v: number): string => `${(100 * v).toFixed(1)}%`;
const num = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));

/** "epoch 12/60  loss 0.8123  acc 71.2%  val_loss 0.9001  val_acc 66.0%  lr 0.1" */
export function epochLine(r: EpochRecord, epochs: number): string {
  const parts = [`epoch ${String(r.epoch).padStart(String(epochs).length)}/${epochs}`, `loss ${num(r.train_loss)}`];
  if (r.train_accuracy !== undefined) parts.push(`acc ${percent(r.train_accuracy)}`);
  if (r.val_loss !== undefined) parts.push(`val_loss ${num(r.val_loss)}`);
  if (r.val_accuracy !== undefined) parts.push(`val_acc ${percent(r.val_accuracy)}`);
  if (r.test_loss !== undefined) parts.push(`test_loss ${num(r.test_loss)}`);
  if (r.test_accuracy !== undefined) parts.push(`test_acc ${percent(r.test_accuracy)}`);
  parts.push(`lr ${r.lr}`);
  return parts.join('  ');
}

export function headerLines(h: RunHeader): string {
  const title = h.variant !== undefined ? `${h.experiment} — variant ${h.variant}` : h.experiment;
  return (
    `${title}\n` +
    `  data:  ${h.data.description} (${h.data.train} train, ${h.data.validation} validation${h.data.test !== undefined ? `, ${h.data.test} test` : ''})\n` +
    `  model: ${h.layers.join(' → ')} · ${h.parameters.toLocaleString('en-US')} parameters\n` +
    `  ${count(h.epochs, 'epoch')} × ${count(h.stepsPerEpoch, 'step')} = ${count(h.totalSteps, 'step')}` +
    (h.expectedInitialLoss !== undefined ? ` · expected initial loss ≈ ln(${h.data.outputs}) = ${h.expectedInitialLoss.toFixed(4)}` : '') +
    '\n'
  );
}

/**
 * The first step's loss against what a fresh classifier should score (ln C): the course's first
 * sanity check, said as soon as it can be checked. Undefined when the loss has no such value.
 */
export function firstLossLine(loss: number, h: RunHeader): string | undefined {
  if (h.expectedInitialLoss === undefined) return undefined;
  // The ratio, not a verdict: whether it is too far off is the diagnostics' call (they know the init).
  const ratio = Number.isFinite(loss) ? ` — ${(loss / h.expectedInitialLoss).toFixed(2)}× the expected ln(${h.data.outputs})` : '';
  return `first loss ${num(loss)}${ratio}\n`;
}

export function summaryLines(s: RunSummary, runDir: string, file?: { warning: number; info: number }): string {
  const seconds = (s.elapsed_ms / 1000).toFixed(1);
  let out = `${s.status}: ${count(s.epochs, 'epoch')}, ${count(s.steps, 'step')} in ${seconds} s (${Math.round(s.steps_per_second)} steps/s)\n`;
  // A run a finding stopped: the finding above says why; it is not repeated.
  if (s.stopped_by) out += `stopped by: the ${s.stopped_by.rule} finding at step ${s.stopped_by.step}\n`;
  else if (s.error) out += `error: ${s.error}\n`;
  const f = s.final;
  if (f) {
    const parts = [`train loss ${num(f.train_loss)}`];
    if (f.train_accuracy !== undefined) parts.push(`train acc ${percent(f.train_accuracy)}`);
    if (f.val_loss !== undefined) parts.push(`val loss ${num(f.val_loss)}`);
    if (f.val_accuracy !== undefined) parts.push(`val acc ${percent(f.val_accuracy)}`);
    out += `final: ${parts.join(', ')}\n`;
  }
  if (s.test) out += testLine(s.test);
  if (s.best) out += `best: ${f?.val_loss !== undefined ? 'val' : 'train'} loss ${num(s.best.loss)} at epoch ${s.best.epoch}\n`;
  if (s.findings) out += findingCountsLine(s.findings, file);
  out += `run: ${runDir}\n`;
  return out;
}

/** "test: loss 0.3312, acc 88.1% (10000 examples, weights of epoch 8)" */
export function testLine(t: TestSummary): string {
  const parts = [`loss ${num(t.loss)}`];
  if (t.accuracy !== undefined) parts.push(`acc ${percent(t.accuracy)}`);
  const weights = t.weights === 'ema' ? 'EMA weights' : t.weights === 'averaged' ? 'averaged weights' : 'weights';
  return `test: ${parts.join(', ')} (${t.examples} examples, ${weights} of epoch ${t.epoch})\n`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function withStep(finding: FindingRecord): string {
  const step = stepMention(finding);
  return step ? `${finding.message} (${step})` : finding.message;
}
