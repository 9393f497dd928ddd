/**
 * The one message contract between the extension host and the run webviews (the editor panel and
 * the side-panel view). Both sides import this file; nothing else crosses the boundary.
 *
 * Protocol: the webview loads, restores what it drew before from its saved state, and sends READY;
 * only then does the host send SHOW_RUN with a full snapshot, followed by APPEND_RECORDS and
 * UPDATE_RUN deltas while the run goes on. The host validates every incoming message with
 * `parseMessageFromWebview`: a webview is treated as untrusted input.
 */
import type { MetricRecord, RunHeader, RunSummary } from '../engine/train/events';

/** The engine's records, as both sides of the contract name them. */
export type { MetricRecord, RunHeader, RunSummary };

/** A run's lifecycle as the UI shows it. `interrupted` = the window closed while it was running. */
export type RunState = 'starting' | 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted';

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
  records: MetricRecord[];
  summary?: RunSummary;
  /** Why the run failed, in plain words. */
  error?: string;
}

export enum MessageToWebviewType {
  SHOW_RUN = 'show-run',
  APPEND_RECORDS = 'append-records',
  UPDATE_RUN = 'update-run',
}

export type MessageToWebview =
  /** Replace everything shown; `undefined` = no run to show (the side view before the first run). */
  | { type: MessageToWebviewType.SHOW_RUN; run: RunSnapshot | undefined }
  | { type: MessageToWebviewType.APPEND_RECORDS; runId: string; records: MetricRecord[] }
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
}

export type MessageFromWebview =
  | { type: MessageFromWebviewType.READY }
  | { type: MessageFromWebviewType.STOP_RUN; runId: string }
  | { type: MessageFromWebviewType.TRAIN_AGAIN; runId: string }
  | { type: MessageFromWebviewType.OPEN_EXPERIMENT; runId: string };

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
    default:
      return undefined;
  }
}
