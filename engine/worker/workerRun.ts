/**
 * One run as the worker drives it: trains in slices of a few tens of milliseconds, and after each
 * slice records the slice's records into the run folder (so they are on disk within a slice), feeds
 * them to the digest and posts a delta when one is due and the host has taken the previous one.
 * Between slices the worker's event loop handles `stop` and `ack`; a single step longer than a
 * slice cannot be interrupted here (the host ends the worker instead, keeping what was recorded).
 */
import { DigestFeed } from '../series/digest';
import type { MetricRecord, TrainEvent } from '../train/events';
import type { TrainingSession } from '../train/session';
import { RunRecorder } from '../runs/runRecorder';
import { DELTA_INTERVAL_MS, type FromWorker, type RunEvent } from './protocol';

/** Training time per slice before yielding to the event loop (stop and ack are handled between). */
export const SLICE_MS = 30;

export interface WorkerRunOptions {
  session: TrainingSession;
  /** Where to record (absent: deltas only). */
  runDir?: string;
  post(message: FromWorker): void;
  /** Milliseconds clock (default Date.now, so deltas carry wall time the host can compare). */
  now?: () => number;
}

export class WorkerRun {
  private readonly session: TrainingSession;
  private readonly recorder: RunRecorder | undefined;
  private readonly feed: DigestFeed;
  private readonly post: (message: FromWorker) => void;
  private readonly now: () => number;
  private records: MetricRecord[] = [];
  private held: RunEvent[] = [];
  private awaitingAck = false;
  private lastDelta = -Infinity;
  private stopRequested = false;
  private ended = false;

  constructor(options: WorkerRunOptions) {
    this.session = options.session;
    this.post = options.post;
    this.now = options.now ?? Date.now;
    this.feed = new DigestFeed(this.now);
    this.recorder = options.runDir !== undefined ? new RunRecorder(options.runDir) : undefined;
  }

  /** The session's onEvent: records are gathered for the end of the slice, `finished` held until after them. */
  readonly onEvent = (event: TrainEvent): void => {
    if (event.type === 'records') {
      for (const r of event.records) this.records.push(r);
    } else if (event.type === 'started') {
      this.post({ type: 'event', event });
    } else {
      this.held.push(event);
    }
  };

  stop(): void {
    this.stopRequested = true;
  }

  ack(): void {
    this.awaitingAck = false;
    // A delta held back while the host was busy goes now (the run may be between slices for a while).
    if (this.feed.pending && this.now() - this.lastDelta >= DELTA_INTERVAL_MS) this.postDelta();
  }

  get done(): boolean {
    return this.ended;
  }

  /** One slice: trains (or stops), records, posts what is due. Returns whether the run is over. */
  slice(): boolean {
    if (this.ended) return true;
    let done: boolean;
    if (this.stopRequested) {
      this.session.stop();
      done = true;
    } else {
      try {
        done = this.session.runFor(SLICE_MS);
      } catch (e) {
        // A bug in the engine: keep what was recorded, then let the caller report it.
        this.record();
        this.end();
        throw e;
      }
    }
    this.record();
    if (done) {
      this.end();
    } else if (!this.awaitingAck && this.now() - this.lastDelta >= DELTA_INTERVAL_MS) {
      this.postDelta();
    }
    this.releaseLogs();
    return done;
  }

  /** Records the slice's records (to disk and to the digest feed). */
  private record(): void {
    if (this.records.length === 0) return;
    const records = this.records;
    this.records = [];
    this.recorder?.add(records);
    this.recorder?.flush();
    for (const r of records) this.feed.addRecord(r);
    this.feed.stamp();
  }

  private postDelta(): void {
    const delta = this.feed.take();
    if (!delta) return;
    this.post({ type: 'delta', delta });
    this.awaitingAck = true;
    this.lastDelta = this.now();
  }

  private releaseLogs(): void {
    const logs = this.held.filter((e) => e.type !== 'finished');
    this.held = this.held.filter((e) => e.type === 'finished');
    for (const e of logs) this.post({ type: 'event', event: e });
  }

  /** The last delta (acknowledged or not: the run is over), series.bin, then `finished`. */
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.recorder?.close();
    this.postDelta();
    this.releaseLogs();
    for (const e of this.held) this.post({ type: 'event', event: e });
    this.held = [];
  }
}
