import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  MessageFromWebviewType,
  MessageToWebviewType,
  parseMessageFromWebview,
  type DetailRequest,
  type ExportImage,
  type MessageFromWebview,
  type MessageToWebview,
} from '../../contract/messages';
import { ChunkIndex } from '../../engine/runs/chunkIndex';
import { RECORDS_FILE } from '../../engine/runs/recordFile';
import { readDetailInSlices } from '../../engine/runs/runReader';
import { deltaSize, mergeDeltas, type DigestDelta } from '../../engine/series/digest';
import { isCurve } from '../../engine/series/recordSeries';
import type { Run, RunChange } from '../runs/run';

export interface RunWebviewActions {
  stop(runId: string): void;
  trainAgain(runId: string): void;
  openExperiment(runId: string): void;
  /** Save a chart the page exported (the message is validated; its run is the one shown). */
  exportImage(m: ExportImage): void;
}

/**
 * Deltas go to a page at most this often (ten a second): its charts redraw four times a second,
 * and every message is copied three times on the way (host, workbench, page), on the thread the
 * workbench shares with the page — at 30 a second those copies were a third of the page's garbage.
 */
const POST_INTERVAL_MS = 100;
/**
 * Numbers of pieces held for a page that has not taken the previous message yet; beyond this it
 * gets a fresh snapshot of the run's digest instead (which is bounded), not a longer queue.
 */
const MAX_PENDING_NUMBERS = 300_000;

/**
 * Connects one webview (panel or side view) to whichever run it shows. Waits for the page's READY
 * handshake, then sends a snapshot of the run's digest and its changes as deltas: merged while the
 * page is still taking the previous message, sent at most every POST_INTERVAL_MS. Answers the
 * page's requests for detail of a step range from the run's records, a few milliseconds at a time.
 * Incoming messages are validated against the contract; anything malformed is ignored.
 */
export class RunWebview implements vscode.Disposable {
  private ready = false;
  private run: Run | undefined;
  private runSubscription: vscode.Disposable | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private pending: DigestDelta | undefined;
  private resync = false;
  private inFlight = false;
  private lastPost = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The detail request being answered (a newer one cancels it). */
  private detailGeneration = 0;
  private index: ChunkIndex | undefined;

  /**
   * @param seriesShown the series the page draws (the side view draws the curves, not what the
   * probes see): the others are neither in its snapshots nor in its deltas.
   */
  constructor(
    private readonly webview: vscode.Webview,
    private readonly actions: RunWebviewActions,
    private readonly seriesShown?: (key: string) => boolean,
  ) {
    this.subscriptions.push(webview.onDidReceiveMessage(raw => this.onMessage(parseMessageFromWebview(raw))));
  }

  get shownRun(): Run | undefined {
    return this.run;
  }

  show(run: Run | undefined): void {
    this.runSubscription?.dispose();
    this.run = run;
    this.pending = undefined;
    this.resync = false;
    this.index = run ? new ChunkIndex(path.join(run.identity.dir, RECORDS_FILE)) : undefined;
    this.detailGeneration++;
    this.runSubscription = run?.onDidChange(change => this.onRunChange(run, change));
    this.snapshotMessages(run).forEach(m => this.post(m));
  }

  private onRunChange(run: Run, change: RunChange): void {
    if (change.kind === 'delta') {
      if (!this.resync) {
        const keep = this.seriesShown;
        const delta = keep ? { ...change.delta, series: change.delta.series.filter(s => keep(s.key)) } : change.delta;
        this.pending = this.pending ? mergeDeltas(this.pending, delta) : delta;
        if (deltaSize(this.pending) > MAX_PENDING_NUMBERS) {
          this.pending = undefined;
          this.resync = true;
        }
      }
      this.schedule();
      return;
    }
    // A change of state (stopping, stopped, ...) goes at once, after the data it follows.
    this.flush(true);
    this.post({ type: MessageToWebviewType.UPDATE_RUN, runId: run.id, state: run.state, header: run.header, summary: run.summary, error: run.error });
  }

  private schedule(): void {
    if (this.inFlight || this.timer) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush(false);
    }, Math.max(0, this.lastPost + POST_INTERVAL_MS - Date.now()));
  }

  /** Sends what is pending: a snapshot if the page fell too far behind, else the merged delta. */
  private flush(force: boolean): void {
    const run = this.run;
    if (!this.ready || !run || (this.inFlight && !force)) {
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.resync) {
      this.resync = false;
      this.pending = undefined;
      const [first, ...rest] = this.snapshotMessages(run);
      this.send(first);
      rest.forEach(m => this.post(m));
    } else if (this.pending) {
      const delta = this.pending;
      this.pending = undefined;
      this.send({ type: MessageToWebviewType.APPEND_DELTA, runId: run.id, delta });
    }
  }

  /**
   * The run's snapshot in two messages: the curves first (what the page draws at once), then what
   * the probes see as a delta after it — the probe and distribution series are most of a run's
   * digest, and the first charts need not wait for them.
   */
  private snapshotMessages(run: Run | undefined): MessageToWebview[] {
    const shown = this.seriesShown ?? (() => true);
    const first: MessageToWebview = { type: MessageToWebviewType.SHOW_RUN, run: run?.snapshot(key => shown(key) && isCurve(key)) };
    const inside = run?.snapshot(key => shown(key) && !isCurve(key)).digest;
    if (!run || !inside || inside.series.length === 0) {
      return [first];
    }
    return [first, { type: MessageToWebviewType.APPEND_DELTA, runId: run.id, delta: { series: inside.series, findings: [], counts: inside.counts } }];
  }

  /** Posts and waits for delivery before the next delta goes. */
  private send(message: MessageToWebview): void {
    this.inFlight = true;
    this.lastPost = Date.now();
    const delivered = (): void => {
      this.inFlight = false;
      if (this.pending || this.resync) {
        this.schedule();
      }
    };
    this.webview.postMessage(message).then(delivered, delivered);
  }

  /** After the page reloads (e.g. the view was hidden and shown again) it sends READY anew. */
  private onMessage(m: MessageFromWebview | undefined): void {
    if (!m) {
      return;
    }
    switch (m.type) {
      case MessageFromWebviewType.READY:
        this.ready = true;
        this.pending = undefined;
        this.resync = false;
        this.snapshotMessages(this.run).forEach(m => this.post(m));
        break;
      case MessageFromWebviewType.STOP_RUN:
        this.actions.stop(m.runId);
        break;
      case MessageFromWebviewType.TRAIN_AGAIN:
        this.actions.trainAgain(m.runId);
        break;
      case MessageFromWebviewType.OPEN_EXPERIMENT:
        this.actions.openExperiment(m.runId);
        break;
      case MessageFromWebviewType.DETAIL_REQUEST:
        void this.answerDetail(m);
        break;
      case MessageFromWebviewType.EXPORT_IMAGE:
        if (this.run?.id === m.runId) {
          this.actions.exportImage(m);
        }
        break;
    }
  }

  private async answerDetail(m: DetailRequest): Promise<void> {
    const run = this.run;
    const index = this.index;
    if (!run || run.id !== m.runId || !index) {
      return;
    }
    const generation = ++this.detailGeneration;
    const cancelled = (): boolean => generation !== this.detailGeneration || this.run !== run;
    try {
      const windows = await readDetailInSlices(run.identity.dir, m.keys, m.from, m.to, m.width, index, {
        pause: () => new Promise(resolve => setImmediate(resolve)),
        cancelled,
      });
      if (!windows || cancelled()) {
        return;
      }
      const series = [...windows].map(([key, w]) => ({ key, pieces: w.packed() }));
      this.post({ type: MessageToWebviewType.DETAIL, runId: run.id, requestId: m.requestId, from: m.from, to: m.to, width: m.width, series });
    } catch {
      // The run folder went away (deleted) or is unreadable: the chart keeps the digest's buckets.
    }
  }

  private post(message: MessageToWebview): void {
    if (this.ready) {
      void this.webview.postMessage(message);
    }
  }

  /** The page is being replaced (new html): wait for its READY again. */
  resetHandshake(): void {
    this.ready = false;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.detailGeneration++;
    this.runSubscription?.dispose();
    this.subscriptions.forEach(s => s.dispose());
  }
}
