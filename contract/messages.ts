/**
 * The one message contract between the extension host and the run webviews (the editor panel and
 * the side-panel view). Both sides import this file; nothing else crosses the boundary.
 *
 * Protocol: the webview loads, restores what it drew before from its saved state, and sends READY;
 * only then does the host send SHOW_RUN with a snapshot of the run's digest (every series as
 * bounded buckets, the latest records, the findings), followed by APPEND_DELTA and UPDATE_RUN
 * while the run goes on. Deltas come at most ~30 times a second and only after the previous one
 * was delivered; a page that falls far behind gets a fresh SHOW_RUN instead of a queue. A chart
 * zoomed in further than the digest's buckets asks for DETAIL of a step range, which the host reads
 * from the run's records. The host validates every incoming message with `parseMessageFromWebview`:
 * a webview is treated as untrusted input.
 */
import type { DigestDelta } from '../engine/series/digest';
import { isSeriesKey } from '../engine/series/recordSeries';
import type { PackedSeries } from '../engine/series/seriesSet';
import type { BoundaryRecord, MetricRecord, ProbeRecord, RunHeader, RunSummary } from '../engine/train/events';

/** The engine's records, as both sides of the contract name them. */
export type { BoundaryRecord, MetricRecord, ProbeRecord, RunHeader, RunSummary };

/**
 * A run's lifecycle as the UI shows it. `stopping` = Stop was pressed, the worker is finishing;
 * `interrupted` = the window or process closed while it was running.
 */
export type RunState = 'starting' | 'running' | 'stopping' | 'completed' | 'stopped' | 'failed' | 'interrupted';

/** The states in which a run is training (a Stop button makes sense). */
export function isActiveState(state: RunState): boolean {
  return state === 'starting' || state === 'running' || state === 'stopping';
}

export interface RunSnapshot {
  runId: string;
  /** "Spiral MLP" or "Spiral MLP · adam" */
  title: string;
  /** Workspace-relative path of the experiment file. */
  file: string;
  variant?: string;
  state: RunState;
  startedAt: string;
  header?: RunHeader;
  summary?: RunSummary;
  /** Why the run failed, in plain words. */
  error?: string;
  /** Everything the dashboard draws (engine/series/digest.ts). */
  digest: DigestDelta;
}

export enum MessageToWebviewType {
  SHOW_RUN = 'show-run',
  APPEND_DELTA = 'append-delta',
  UPDATE_RUN = 'update-run',
  DETAIL = 'detail',
}

/** The most detail a page may ask for at once: buckets per series. */
export const MAX_DETAIL_BUCKETS = 4096;

export type MessageToWebview =
  /** Replace everything shown; `undefined` = no run to show (the side view before the first run). */
  | { type: MessageToWebviewType.SHOW_RUN; run: RunSnapshot | undefined }
  | { type: MessageToWebviewType.APPEND_DELTA; runId: string; delta: DigestDelta }
  /** The series of a DETAIL_REQUEST, as pieces of `width` steps over [from, to]. */
  | { type: MessageToWebviewType.DETAIL; runId: string; requestId: number; from: number; to: number; width: number; series: PackedSeries[] }
  | {
      type: MessageToWebviewType.UPDATE_RUN;
      runId: string;
      state: RunState;
      header?: RunHeader;
      summary?: RunSummary;
      error?: string;
    };

export enum MessageFromWebviewType {
  READY = 'ready',
  STOP_RUN = 'stop-run',
  TRAIN_AGAIN = 'train-again',
  OPEN_EXPERIMENT = 'open-experiment',
  DETAIL_REQUEST = 'detail-request',
  EXPORT_IMAGE = 'export-image',
}

export interface DetailRequest {
  type: MessageFromWebviewType.DETAIL_REQUEST;
  runId: string;
  /** Echoed in the answer; the page drops answers to requests it no longer needs. */
  requestId: number;
  keys: string[];
  from: number;
  to: number;
  /** Steps per bucket: a power of two, at most MAX_DETAIL_BUCKETS buckets over [from, to]. */
  width: number;
}

/** The largest image a page may hand over for saving (a PNG of a large chart is ~1 MB). */
export const MAX_EXPORT_CHARS = 16 * 1024 * 1024;

/** A chart of the run saved as a file: the host asks where (a save dialog) and writes it. */
export interface ExportImage {
  type: MessageFromWebviewType.EXPORT_IMAGE;
  runId: string;
  /** The chart's id ("loss-chart", "distribution-act_dist-1"): part of the file name offered. */
  chart: string;
  format: 'png' | 'svg';
  /** png: a base64 data URL (what canvas.toDataURL gives); svg: the document. */
  data: string;
}

export type MessageFromWebview =
  | { type: MessageFromWebviewType.READY }
  | ExportImage
  | { type: MessageFromWebviewType.STOP_RUN; runId: string }
  | { type: MessageFromWebviewType.TRAIN_AGAIN; runId: string }
  | { type: MessageFromWebviewType.OPEN_EXPERIMENT; runId: string }
  | DetailRequest;

/** A run id is its folder's name: no separators, no leading dot (so never '.' or '..'). */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && RUN_ID.test(value);
}

/** Accepts only well-formed messages; anything else is dropped by the host. */
export function parseMessageFromWebview(raw: unknown): MessageFromWebview | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const m = raw as { type?: unknown; runId?: unknown };
  switch (m.type) {
    case MessageFromWebviewType.READY:
      return { type: MessageFromWebviewType.READY };
    case MessageFromWebviewType.STOP_RUN:
    case MessageFromWebviewType.TRAIN_AGAIN:
    case MessageFromWebviewType.OPEN_EXPERIMENT:
      return isRunId(m.runId) ? { type: m.type, runId: m.runId } : undefined;
    case MessageFromWebviewType.DETAIL_REQUEST:
      return parseDetailRequest(raw as Record<string, unknown>);
    case MessageFromWebviewType.EXPORT_IMAGE:
      return parseExportImage(raw as Record<string, unknown>);
    default:
      return undefined;
  }
}

function parseDetailRequest(m: Record<string, unknown>): DetailRequest | undefined {
  const { runId, requestId, keys, from, to, width } = m;
  if (!isRunId(runId) || !Number.isSafeInteger(requestId)) return undefined;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > 64 || !keys.every(isSeriesKey)) return undefined;
  if (typeof from !== 'number' || typeof to !== 'number' || typeof width !== 'number') return undefined;
  if (!(from >= 0) || !(to > from) || !Number.isFinite(to)) return undefined;
  // A power of two, and not so fine that the answer would be large.
  if (!Number.isSafeInteger(width) || width < 1 || !Number.isInteger(Math.log2(width)) || (to - from) / width > MAX_DETAIL_BUCKETS) return undefined;
  return { type: MessageFromWebviewType.DETAIL_REQUEST, runId, requestId: requestId as number, keys: [...keys] as string[], from, to, width };
}

const CHART_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;
/** What an SVG made by the page never holds: scripts, foreign HTML, event handlers, outside references. */
const SVG_ACTIVE_CONTENT = /<script|<foreignObject|<iframe|\son[a-z]+\s*=|javascript:|xlink:href|\shref\s*=/i;

export function parseExportImage(m: Record<string, unknown>): ExportImage | undefined {
  const { runId, chart, format, data } = m;
  if (!isRunId(runId) || typeof chart !== 'string' || !CHART_ID.test(chart)) return undefined;
  if (typeof data !== 'string' || data.length === 0 || data.length > MAX_EXPORT_CHARS) return undefined;
  if (format === 'png') {
    if (!PNG_DATA_URL.test(data)) return undefined;
  } else if (format === 'svg') {
    if (!data.startsWith('<svg ') || !data.trimEnd().endsWith('</svg>') || SVG_ACTIVE_CONTENT.test(data)) return undefined;
  } else {
    return undefined;
  }
  return { type: MessageFromWebviewType.EXPORT_IMAGE, runId, chart, format, data };
}

/** The bytes of a validated export: the PNG decoded from its data URL, or the SVG as UTF-8. */
export function exportBytes(m: Pick<ExportImage, 'format' | 'data'>): Uint8Array {
  if (m.format === 'svg') return new TextEncoder().encode(m.data);
  const base64 = m.data.slice(m.data.indexOf(',') + 1);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
