/**
 * A run's or a comparison's metrics as files: CSV (one row per run and epoch, for a spreadsheet or
 * pandas) and JSON (each run with its settings, summary and epochs). Pure: the host reads the
 * records and writes the file.
 */
import type { RunSummary } from './messages';
import type { SettingValue } from './runSettings';

export interface ExportedEpoch {
  epoch: number;
  step: number;
  train_loss: number;
  train_accuracy?: number;
  val_loss?: number;
  val_accuracy?: number;
  lr: number;
  elapsed_ms: number;
}

export interface ExportedRun {
  runId: string;
  experiment: string;
  variant?: string;
  label: string;
  startedAt: string;
  status: string;
  /** The run's resolved settings, as dotted paths. */
  settings: Record<string, SettingValue>;
  summary?: RunSummary;
  epochs: ExportedEpoch[];
}

const EPOCH_COLUMNS = ['epoch', 'step', 'train_loss', 'train_accuracy', 'val_loss', 'val_accuracy', 'lr', 'elapsed_ms'] as const;

/**
 * RFC 4180 CSV: a header, then one row per run and epoch. `settings` are the setting paths to add
 * as columns (those that differ among the runs, so each row says what its run changed).
 */
export function metricsCsv(runs: readonly ExportedRun[], settings: readonly string[] = []): string {
  const header = ['run_id', 'experiment', 'variant', 'label', ...settings, ...EPOCH_COLUMNS];
  const lines = [header.map(csvField).join(',')];
  for (const run of runs) {
    const head = [run.runId, run.experiment, run.variant ?? '', run.label, ...settings.map(s => run.settings[s] ?? '')];
    for (const e of run.epochs) {
      lines.push([...head, ...EPOCH_COLUMNS.map(c => e[c] ?? '')].map(csvField).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * One field: numbers as JavaScript writes them (exact, NaN/Infinity as words); text quoted when it
 * holds a comma, quote or line break; text a spreadsheet would run as a formula (=, +, -, @ first)
 * gets a leading apostrophe.
 */
export function csvField(v: SettingValue | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  let text = v;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Pretty JSON; NaN and ±Infinity (a diverged run) are written as strings, which JSON can hold. */
export function metricsJson(runs: readonly ExportedRun[]): string {
  return `${JSON.stringify(
    { format: 'trainscope-metrics', version: 1, runs },
    (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value),
    2,
  )}\n`;
}
