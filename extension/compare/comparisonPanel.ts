import * as vscode from 'vscode';
import {
  CompareFromWebviewType,
  CompareToWebviewType,
  parseCompareMessage,
  type CompareFromWebview,
  type CompareToWebview,
  type ComparedUpdate,
  type ExportFormat,
} from '../../contract/compare';
import type { BoundaryRecord } from '../../contract/boundaryFigure';
import { MessageFromWebviewType, type ExportImage } from '../../contract/messages';
import { concatPieces, piecesSize, type SeriesPieces } from '../../engine/series/seriesSet';
import type { Run, RunChange } from '../runs/run';
import { comparedPieces, comparedRun, labelsOf, runStop } from './comparedRun';
import { pageHtml, pageOptions } from './pageHtml';

export const COMPARE_VIEW_TYPE = 'trainscope.compare';

/** What a comparison asks of the rest of the extension. */
export interface ComparisonHost {
  extensionUri: vscode.Uri;
  specOf(run: Run): unknown;
  nameOf(run: Run): string | undefined;
  openRun(runId: string): void;
  exportRuns(runIds: string[], format: ExportFormat): void;
  /** Saves one compared run's chart (a save dialog), as its dashboard does. */
  exportImage(m: ExportImage): void;
}

/**
 * New series go to the page at most this often: 50 runs training at once each add a few pieces a
 * frame; merged, they are one message ten times a second.
 */
const POST_INTERVAL_MS = 100;
/** Pending numbers beyond which the page gets everything again instead of a longer queue. */
const MAX_PENDING_NUMBERS = 2_000_000;

/**
 * One comparison: a webview panel overlaying the runs it was given (more can join while it is
 * open: Train all adds each run as it starts). Follows every run's changes, sends the page only the
 * compared series, merged, after the previous message was delivered. Messages from the page are
 * validated (contract/compare.ts).
 */
export class ComparisonPanel implements vscode.Disposable {
  private readonly runs: Run[] = [];
  private readonly runSubscriptions = new Map<string, vscode.Disposable>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private pending = new Map<string, SeriesPieces>();
  private pendingSize = 0;
  /** Each run's newest decision boundary not sent yet (only the newest matters). */
  private pendingBoundaries = new Map<string, BoundaryRecord>();
  private resync = false;
  private ready = false;
  private inFlight = false;
  private lastPost = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly host: ComparisonHost,
    private title: string,
  ) {
    panel.title = title;
    panel.iconPath = {
      light: vscode.Uri.joinPath(host.extensionUri, 'media', 'run-light.svg'),
      dark: vscode.Uri.joinPath(host.extensionUri, 'media', 'run-dark.svg'),
    };
    panel.webview.options = pageOptions(host.extensionUri);
    this.subscriptions.push(panel.webview.onDidReceiveMessage(raw => this.onMessage(parseCompareMessage(raw))));
    panel.webview.html = pageHtml(panel.webview, host.extensionUri, 'compare', title);
    panel.onDidDispose(() => this.dispose());
  }

  get runIds(): string[] {
    return this.runs.map(r => r.id);
  }

  /** Adds runs not shown yet (in order; each keeps its place and colour). */
  add(runs: readonly Run[]): void {
    const added = runs.filter(r => !this.runs.some(known => known.id === r.id));
    if (added.length === 0 || this.disposed) return;
    const first = this.runs.length;
    for (const run of added) {
      this.runs.push(run);
      this.runSubscriptions.set(run.id, run.onDidChange(change => this.onRunChange(run, change)));
    }
    if (!this.ready) return;
    const labels = this.labels();
    this.post({
      type: CompareToWebviewType.RUNS_ADDED,
      runs: added.map((r, i) => comparedRun(r, first + i, labels.get(r.id)!)),
      labels: Object.fromEntries(labels),
    });
  }

  /** A run was deleted: it leaves the comparison (shown again from the rest). */
  remove(runId: string): void {
    const at = this.runs.findIndex(r => r.id === runId);
    if (at < 0) return;
    this.runs.splice(at, 1);
    this.runSubscriptions.get(runId)?.dispose();
    this.runSubscriptions.delete(runId);
    this.showAll();
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  private labels(): Map<string, string> {
    return labelsOf(this.runs, r => this.host.specOf(r), r => this.host.nameOf(r));
  }

  private showAll(): void {
    if (!this.ready) return;
    this.pending.clear();
    this.pendingBoundaries.clear();
    this.pendingSize = 0;
    this.resync = false;
    const labels = this.labels();
    this.post({ type: CompareToWebviewType.SHOW_COMPARISON, title: this.title, runs: this.runs.map((r, i) => comparedRun(r, i, labels.get(r.id)!)) });
  }

  private onRunChange(run: Run, change: RunChange): void {
    if (change.kind === 'delta') {
      const series = comparedPieces(change.delta.series);
      const boundary = change.delta.boundary;
      if ((series.length === 0 && !boundary) || this.resync) return;
      if (boundary) this.pendingBoundaries.set(run.id, boundary);
      if (series.length > 0) {
        const before = this.pending.get(run.id);
        this.pending.set(run.id, before ? concatPieces(before, series) : series);
        this.pendingSize += piecesSize(series);
      }
      if (this.pendingSize > MAX_PENDING_NUMBERS) {
        this.resync = true;
        this.pending.clear();
        this.pendingSize = 0;
      }
      this.schedule();
      return;
    }
    // A change of state goes at once, after the data it follows.
    this.flush(true);
    this.post({ type: CompareToWebviewType.RUN_UPDATED, runId: run.id, state: run.state, summary: run.summary, stop: runStop(run) });
  }

  private schedule(): void {
    if (this.inFlight || this.timer || this.disposed) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.flush(false);
      },
      Math.max(0, this.lastPost + POST_INTERVAL_MS - Date.now()),
    );
  }

  private flush(force: boolean): void {
    if (!this.ready || (this.inFlight && !force)) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.resync) {
      this.showAll();
      return;
    }
    if (this.pending.size === 0 && this.pendingBoundaries.size === 0) return;
    const series: ComparedUpdate[] = [...this.pending].map(([runId, s]) => ({ runId, series: s }));
    for (const [runId, boundary] of this.pendingBoundaries) {
      const known = series.find(u => u.runId === runId);
      if (known) known.boundary = boundary;
      else series.push({ runId, series: [], boundary });
    }
    this.pending = new Map();
    this.pendingBoundaries = new Map();
    this.pendingSize = 0;
    this.inFlight = true;
    this.lastPost = Date.now();
    const delivered = (): void => {
      this.inFlight = false;
      if (this.pending.size > 0 || this.pendingBoundaries.size > 0 || this.resync) this.schedule();
    };
    this.panel.webview.postMessage({ type: CompareToWebviewType.APPEND_SERIES, series } satisfies CompareToWebview).then(delivered, delivered);
  }

  private onMessage(m: CompareFromWebview | undefined): void {
    if (!m) return;
    switch (m.type) {
      case CompareFromWebviewType.READY:
        // Also after the page was hidden and shown again: it starts from nothing.
        this.ready = true;
        this.inFlight = false;
        this.showAll();
        break;
      case CompareFromWebviewType.OPEN_RUN:
        if (this.runs.some(r => r.id === m.runId)) this.host.openRun(m.runId);
        break;
      case CompareFromWebviewType.EXPORT:
        this.host.exportRuns(this.runIds, m.format);
        break;
      case MessageFromWebviewType.EXPORT_IMAGE:
        if (this.runs.some(r => r.id === m.runId)) this.host.exportImage(m);
        break;
    }
  }

  private post(message: CompareToWebview): void {
    if (this.ready && !this.disposed) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    this.runSubscriptions.forEach(s => s.dispose());
    this.subscriptions.forEach(s => s.dispose());
    this.closed.fire();
    this.closed.dispose();
    this.panel.dispose();
  }
}
