/**
 * The message contracts of the comparison view (many runs overlaid) and the runs table, between the
 * extension host and their webviews. Both sides import this file; as for the run dashboard
 * (messages.ts), the host validates every incoming message with a parse function and drops
 * anything else: a webview is untrusted input.
 *
 * Comparison protocol: the page sends READY; the host answers SHOW_COMPARISON with every run (its
 * compared series as bounded buckets), then RUNS_ADDED when a run joins (Train all: each variant as
 * it starts), APPEND_SERIES while runs train (merged, at most a few times a second, after the last
 * was delivered) and RUN_UPDATED when a run's state changes. Labels travel with every SHOW and ADD:
 * a run that joins can change which settings differ, and so the others' names.
 */
import type { BoundaryRecord } from './boundaryFigure';
import { isRunId, parseExportImage, MessageFromWebviewType, type ExportImage, type RunState, type RunSummary } from './messages';
import type { RunRow } from './runRows';
import type { PackedSeries } from './series';

/** The series a comparison overlays: batch loss, the epochs' losses and accuracies, the learning rate. */
export const COMPARED_SERIES = ['loss', 'train_loss', 'val_loss', 'train_accuracy', 'val_accuracy', 'lr'] as const;
export type ComparedSeriesKey = (typeof COMPARED_SERIES)[number];

/**
 * A comparison keeps each run's series at half the buckets of a run's dashboard (1,024 for the
 * batch loss): still more than a chart's pixel columns, at half the memory for 50 runs.
 */
export const COMPARE_SCALE = 0.5;

export function isComparedSeries(key: string): key is ComparedSeriesKey {
  return (COMPARED_SERIES as readonly string[]).includes(key);
}

/** Where a diagnostic ended a run. */
export interface RunStop {
  rule: string;
  step: number;
  message?: string;
}

export interface ComparedRun {
  runId: string;
  experiment: string;
  variant?: string;
  /** "adam · optimizer adam, lr 0.01" (runSettings.ts). */
  label: string;
  /** Its place in the comparison: picks its colour (runColors.ts), stable as runs join. */
  index: number;
  state: RunState;
  startedAt: string;
  summary?: RunSummary;
  stop?: RunStop;
  /** The compared series only (COMPARED_SERIES). */
  series: PackedSeries[];
  /** The latest decision boundary of a 2-D classifier, shown per run beside the others'. */
  boundary?: BoundaryRecord;
}

/** What one run added since the last APPEND_SERIES. */
export interface ComparedUpdate {
  runId: string;
  series: PackedSeries[];
  boundary?: BoundaryRecord;
}

export enum CompareToWebviewType {
  SHOW_COMPARISON = 'show-comparison',
  RUNS_ADDED = 'runs-added',
  APPEND_SERIES = 'append-series',
  RUN_UPDATED = 'run-updated',
}

export type CompareToWebview =
  | { type: CompareToWebviewType.SHOW_COMPARISON; title: string; runs: ComparedRun[] }
  /** New runs, and every run's label (a new run may change the others'). */
  | { type: CompareToWebviewType.RUNS_ADDED; runs: ComparedRun[]; labels: Record<string, string> }
  /** Each run's new pieces since the last message, and its newest decision boundary if it drew one. */
  | { type: CompareToWebviewType.APPEND_SERIES; series: ComparedUpdate[] }
  | { type: CompareToWebviewType.RUN_UPDATED; runId: string; state: RunState; summary?: RunSummary; stop?: RunStop };

export type ExportFormat = 'csv' | 'json';

export enum CompareFromWebviewType {
  READY = 'ready',
  OPEN_RUN = 'open-run',
  EXPORT = 'export',
}

export type CompareFromWebview =
  | { type: CompareFromWebviewType.READY }
  | { type: CompareFromWebviewType.OPEN_RUN; runId: string }
  | { type: CompareFromWebviewType.EXPORT; format: ExportFormat }
  /** One run's chart (its decision boundary) saved as PNG or SVG, as from its dashboard. */
  | ExportImage;

export function isExportFormat(v: unknown): v is ExportFormat {
  return v === 'csv' || v === 'json';
}

/** Accepts only well-formed messages from the comparison page. */
export function parseCompareMessage(raw: unknown): CompareFromWebview | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case CompareFromWebviewType.READY:
      return { type: CompareFromWebviewType.READY };
    case CompareFromWebviewType.OPEN_RUN:
      return isRunId(m.runId) ? { type: CompareFromWebviewType.OPEN_RUN, runId: m.runId } : undefined;
    case CompareFromWebviewType.EXPORT:
      return isExportFormat(m.format) ? { type: CompareFromWebviewType.EXPORT, format: m.format } : undefined;
    case MessageFromWebviewType.EXPORT_IMAGE:
      return parseExportImage(m);
    default:
      return undefined;
  }
}

export enum TableToWebviewType {
  SHOW_ROWS = 'show-rows',
}

export type TableToWebview = { type: TableToWebviewType.SHOW_ROWS; rows: RunRow[] };

export enum TableFromWebviewType {
  READY = 'ready',
  OPEN_RUN = 'open-run',
  COMPARE = 'compare',
  DELETE = 'delete',
  RENAME = 'rename',
  EXPORT = 'export',
}

export type TableFromWebview =
  | { type: TableFromWebviewType.READY }
  | { type: TableFromWebviewType.OPEN_RUN; runId: string }
  | { type: TableFromWebviewType.COMPARE; runIds: string[] }
  | { type: TableFromWebviewType.DELETE; runIds: string[] }
  | { type: TableFromWebviewType.RENAME; runId: string }
  | { type: TableFromWebviewType.EXPORT; runIds: string[]; format: ExportFormat };

/** The most runs one message may name (a table of more is unusual; the host checks each). */
export const MAX_RUN_IDS = 1000;

function runIds(v: unknown): string[] | undefined {
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_RUN_IDS || !v.every(isRunId)) return undefined;
  return [...new Set(v as string[])];
}

/** Accepts only well-formed messages from the runs table. */
export function parseTableMessage(raw: unknown): TableFromWebview | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case TableFromWebviewType.READY:
      return { type: TableFromWebviewType.READY };
    case TableFromWebviewType.OPEN_RUN:
    case TableFromWebviewType.RENAME:
      return isRunId(m.runId) ? { type: m.type, runId: m.runId } : undefined;
    case TableFromWebviewType.COMPARE:
    case TableFromWebviewType.DELETE: {
      const ids = runIds(m.runIds);
      return ids ? { type: m.type, runIds: ids } : undefined;
    }
    case TableFromWebviewType.EXPORT: {
      const ids = runIds(m.runIds);
      return ids && isExportFormat(m.format) ? { type: TableFromWebviewType.EXPORT, runIds: ids, format: m.format } : undefined;
    }
    default:
      return undefined;
  }
}
