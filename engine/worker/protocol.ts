/**
 * Messages between the extension host and the training worker thread. The host resolves and reads
 * every data file itself (it alone knows the workspace and enforces that paths stay inside it) and
 * hands the worker the spec plus the files' text; the worker loads the data, trains, and streams
 * TrainEvents back. Errors keep their location so the host can put them on the right line.
 */
import type { ExperimentSpec } from '../experiment/spec';
import type { JsonPath } from '../experiment/specError';
import type { TrainEvent } from '../train/events';

export type ToWorker =
  | { type: 'start'; spec: ExperimentSpec; files: Record<string, string> }
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
