/**
 * Messages between the extension host and the training worker thread. The host resolves and reads
 * every file itself (it alone knows the workspace and enforces that paths stay inside it) and hands
 * the worker the spec plus the files' contents; the worker loads the data, trains, and streams
 * back the run's events. Errors keep their location so the host can put them on the right line.
 *
 * Records never cross to the host one by one: however fast training goes, the worker records them
 * into the run folder the host created (`start.runDir`: metrics.bin and series.bin, see
 * engine/runs) and posts a `delta` of the run's digest (engine/series/digest.ts) — the series as
 * bounded pieces, the latest records, new findings — at most every `DELTA_INTERVAL_MS`, and only
 * once the host has acknowledged the previous one (`ack`): a host that falls behind receives fewer,
 * larger deltas, never a growing queue. The `finished` event comes after the last delta.
 *
 * Checkpoints (the experiment's `checkpoint` section):
 * - `checkpoint.load`: the host resolves the path like a data file's (relative to the experiment
 *   file, inside the workspace), reads the bytes and sends them in `start.checkpoint`; the session
 *   applies them as `checkpoint.load_mode` says. A bad file comes back as an `error` of kind 'spec'
 *   at ["checkpoint", "load"].
 * - `checkpoint.save`: the worker reads and writes no files. When the host sets
 *   `start.saveCheckpoints`, the worker posts every checkpoint the session produces as a
 *   `WorkerCheckpoint` message (every `save_every` epochs, and once at the end with `final: true`),
 *   its bytes transferred (not copied); the host writes them to `checkpoint.save`, resolved like
 *   `load`. Without `saveCheckpoints` the worker posts none, so a host that does not write files
 *   only ever receives `FromWorker`.
 */
import type { ExperimentSpec } from '../experiment/sections';
import type { JsonPath } from '../core/errors';
import type { DigestDelta } from '../series/digest';
import type { TrainEvent } from '../train/events';

/** The most often a delta is posted: about 30 a second. */
export const DELTA_INTERVAL_MS = 33;

export type ToWorker =
  | {
      type: 'start';
      spec: ExperimentSpec;
      /** Data files' bytes by the path the spec names (data.path). */
      files: Record<string, Uint8Array>;
      /** The bytes of `spec.checkpoint.load` (a safetensors file), when it names one. */
      checkpoint?: Uint8Array;
      /** Post `WorkerCheckpoint` messages for `spec.checkpoint.save` (the host writes them). */
      saveCheckpoints?: boolean;
      /** The run folder (created by the host) to record metrics.bin and series.bin in; none = do not record. */
      runDir?: string;
    }
  /** End the run as 'stopped' at the next step boundary (what was recorded so far is kept). */
  | { type: 'stop' }
  /** The host has taken the last delta: the next may be posted. */
  | { type: 'ack' };

/** A failure before training could start, located where it came from. */
export type WorkerFailure =
  | { kind: 'spec'; message: string; path: JsonPath }
  | { kind: 'data-file'; message: string; file: string; line: number; column: number }
  | { kind: 'internal'; message: string; stack?: string };

/** The events other than records (records travel as deltas). */
export type RunEvent = Exclude<TrainEvent, { type: 'records' }>;

export type FromWorker =
  | { type: 'event'; event: RunEvent }
  | { type: 'delta'; delta: DigestDelta }
  /** `setup`: the run never started (bad data, bad spec); `training`: the engine threw mid-run. */
  | { type: 'error'; phase: 'setup' | 'training'; failure: WorkerFailure };

/**
 * A checkpoint to write to `spec.checkpoint.save` (safetensors bytes; engine/checkpoint describes
 * the layout), posted only when `start.saveCheckpoints` is set. Sent before the `finished` event
 * of the run it ends (`final`), so a host may close the run once `finished` arrives.
 */
export interface WorkerCheckpoint {
  type: 'checkpoint';
  bytes: Uint8Array;
  /** Epochs completed when it was taken. */
  epoch: number;
  /** Optimizer steps taken when it was taken. */
  step: number;
  /** The run's last checkpoint (completed or stopped). */
  final: boolean;
}

/** Everything the worker posts to a host that set `start.saveCheckpoints`. */
export type FromWorkerWithCheckpoints = FromWorker | WorkerCheckpoint;
