/**
 * Entry point of the training worker thread (bundled to dist/worker.js). Training runs here so the
 * extension host stays responsive. The loop trains in slices of a few tens of milliseconds and
 * yields to the event loop between them, so a `stop` message is handled within one slice.
 */
import { parentPort } from 'node:worker_threads';
import { loadData } from '../data/kinds';
import { TrainingSession } from '../train/session';
import type { TrainEvent } from '../train/events';
import { describeFailure } from './describeFailure';
import type { FromWorkerWithCheckpoints, ToWorker } from './protocol';

const SLICE_MS = 50;

if (!parentPort) {
  throw new Error('trainWorker must run in a worker thread');
}
const port = parentPort;
let session: TrainingSession | undefined;
let stopRequested = false;

const send = (message: FromWorkerWithCheckpoints, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

port.on('message', (message: ToWorker) => {
  if (message.type === 'start' && !session) {
    start(message);
  } else if (message.type === 'stop') {
    stopRequested = true;
  }
});

function start({ spec, files, checkpoint, saveCheckpoints }: Extract<ToWorker, { type: 'start' }>): void {
  try {
    const data = loadData(spec.data, {
      bytes: path => {
        const bytes = files[path];
        if (bytes === undefined) throw new Error(`data file ${path} was not provided to the worker`);
        return bytes;
      },
    });
    session = new TrainingSession(spec, data, {
      onEvent: (event: TrainEvent) => send({ type: 'event', event }),
      checkpoint,
      onCheckpoint: saveCheckpoints
        ? ({ bytes, epoch, step, final }) => send({ type: 'checkpoint', bytes, epoch, step, final }, ownBuffer(bytes))
        : undefined,
    });
  } catch (e) {
    send({ type: 'error', phase: 'setup', failure: describeFailure(e) });
    return;
  }
  setImmediate(loop);
}

/** The bytes' buffer when they are all of it (a checkpoint's own array): transferred, not copied. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer[] {
  const buffer = bytes.buffer;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? [buffer] : [];
}

function loop(): void {
  if (!session) {
    return;
  }
  if (stopRequested) {
    session.stop();
    return;
  }
  let done: boolean;
  try {
    done = session.runFor(SLICE_MS);
  } catch (e) {
    // A bug in the engine, not a user error: report it; the host ends the run as failed.
    send({ type: 'error', phase: 'training', failure: describeFailure(e) });
    return;
  }
  if (!done) {
    setImmediate(loop);
  }
}
