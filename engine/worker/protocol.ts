/**
 * Messages between the extension host and the training worker thread. The host resolves and reads
 * every file itself (it alone knows the workspace and enforces that paths stay inside it) and hands
 * the worker the spec plus the files' contents; the worker loads the data, trains, and streams
 * TrainEvents back. Errors keep their location so the host can put them on the right line.
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
import type { TrainEvent } from '../train/events';

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
    }
  | { type: 'stop' };

/** A failure before training could start, located where it came from. */
export type WorkerFailure =
  | { kind: 'spec'; message: string; path: JsonPath }
  | { kind: 'data-file'; message: string; file: string; line: number; column: number }
  | { kind: 'internal'; message: string; stack?: string };

export type FromWorker =
  | { type: 'event'; event: TrainEvent }
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
