/**
 * The runs table's rows: one per kept run, with what the table shows and sorts by, and the pure
 * sort and filter the page applies (tested on the same fixtures as the comparison's labels).
 */
import type { RunState } from './messages';
import type { SettingValue } from './runSettings';

export interface RunMetrics {
  final_train_loss?: number;
  best_train_loss?: number;
  final_val_loss?: number;
  best_val_loss?: number;
  final_train_accuracy?: number;
  best_train_accuracy?: number;
  final_val_accuracy?: number;
  best_val_accuracy?: number;
  /** Present when the run's summary has a test split. */
  test_accuracy?: number;
  test_loss?: number;
  steps_per_second?: number;
  duration_ms?: number;
  steps?: number;
}

export interface RunRow {
  runId: string;
  experiment: string;
  variant?: string;
  /** A name the user gave the run. */
  name?: string;
  /** Workspace-relative experiment file. */
  file: string;
  state: RunState;
  startedAt: string;
  /** "optimizer adam, lr 0.01": the run's values of the settings that differ among the runs of its experiment. */
  differing: string;
  /** Every setting that differs among all the rows, by its short name (the scatter's x axis). */
  settings: Record<string, SettingValue>;
  metrics: RunMetrics;
  findings: { error: number; warning: number; info: number };
  /** The diagnostic rule that stopped the run. */
  stoppedBy?: string;
}

export type ColumnId =
  | 'experiment'
  | 'variant'
  | 'state'
  | 'startedAt'
  | 'differing'
  | 'findings'
  | keyof RunMetrics;

export type SortDirection = 'asc' | 'desc';

/** The value a column sorts by (undefined sorts last either way). */
export function sortValue(row: RunRow, column: ColumnId): string | number | undefined {
  switch (column) {
    case 'experiment':
      return row.experiment.toLowerCase();
    case 'variant':
      return (row.name ?? row.variant ?? '').toLowerCase();
    case 'state':
      return row.state;
    case 'startedAt':
      return row.startedAt;
    case 'differing':
      return row.differing.toLowerCase();
    case 'findings':
      // Errors weigh more than any number of warnings, warnings more than infos.
      return row.findings.error * 1e6 + row.findings.warning * 1e3 + row.findings.info;
    default: {
      const v = row.metrics[column];
      return v !== undefined && !Number.isNaN(v) ? v : undefined;
    }
  }
}

/** A stable sort by one column; rows without a value go last in both directions. */
export function sortRows(rows: readonly RunRow[], column: ColumnId, direction: SortDirection): RunRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, v: sortValue(row, column) }))
    .sort((a, b) => {
      if (a.v === undefined || b.v === undefined) return a.v === b.v ? a.i - b.i : a.v === undefined ? 1 : -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map(x => x.row);
}

/**
 * Rows matching every word of `query` (case-insensitive) in their experiment, variant, name,
 * state, file or differing settings; `state:completed` or `experiment:spiral` matches that field
 * alone.
 */
export function filterRows(rows: readonly RunRow[], query: string): RunRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter(row => {
    const fields: Record<string, string> = {
      experiment: row.experiment,
      variant: row.variant ?? 'base',
      name: row.name ?? '',
      state: row.state,
      file: row.file,
      settings: row.differing,
    };
    const all = Object.values(fields).join('\n').toLowerCase();
    return words.every(w => {
      const colon = w.indexOf(':');
      if (colon > 0 && colon < w.length - 1 && w.slice(0, colon) in fields) {
        return fields[w.slice(0, colon)].toLowerCase().includes(w.slice(colon + 1));
      }
      return all.includes(w);
    });
  });
}

/** The numeric metrics a scatter can put on its y axis, with their names. */
export const SCATTER_METRICS: readonly { id: keyof RunMetrics; label: string }[] = [
  { id: 'final_val_accuracy', label: 'final validation accuracy' },
  { id: 'best_val_accuracy', label: 'best validation accuracy' },
  { id: 'final_val_loss', label: 'final validation loss' },
  { id: 'best_val_loss', label: 'best validation loss' },
  { id: 'final_train_loss', label: 'final training loss' },
  { id: 'best_train_loss', label: 'best training loss' },
  { id: 'final_train_accuracy', label: 'final training accuracy' },
  { id: 'test_accuracy', label: 'test accuracy' },
  { id: 'steps_per_second', label: 'steps per second' },
  { id: 'duration_ms', label: 'duration (ms)' },
];

/**
 * Whether an axis over these values reads better logarithmic: all positive and spanning more than
 * two decades (learning rates from a random search, weight decays).
 */
export function wantsLogAxis(values: readonly number[]): boolean {
  const finite = values.filter(v => Number.isFinite(v));
  if (finite.length < 2 || finite.some(v => v <= 0)) return false;
  return Math.max(...finite) / Math.min(...finite) >= 100;
}
