/**
 * Entry point of the training worker thread (bundled to dist/worker.js). Training runs here so the
 * extension host stays responsive; WorkerRun trains in slices and yields to the event loop between
 * them, so `stop` and `ack` messages are handled within a slice.
 */
import { parentPort } from 'node:worker_threads';
import { loadData } from '../data/kinds';
import { BOUNDARY_INTERVAL_MS } from '../train/decisionBoundary';
import { TrainingSession } from '../train/session';
import { describeFailure } from './describeFailure';
import type { FromWorkerWithCheckpoints, ToWorker } from './protocol';
import { WorkerRun } from './workerRun';

if (!parentPort) {
  throw new Error('trainWorker must run in a worker thread');
}
const port = parentPort;
let run: WorkerRun | undefined;
let starting = false;


const send = (message: FromWorkerWithCheckpoints, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

port.on('message', (message: ToWorker) => {
  if (message.type === 'start' && !starting) {
    starting = true;
    start(message);
  } else if (message.type === 'stop') {
    run?.stop();
  } else if (message.type === 'ack') {
    run?.ack();
  }
});

function start({ spec, files, checkpoint, saveCheckpoints, runDir }: Extract<ToWorker, { type: 'start' }>): void {
  let current: WorkerRun | undefined;
  try {
    const data = loadData(spec.data, {
      bytes: path => {
        const bytes = files[path];
        if (bytes === undefined) throw new Error(`data file ${path} was not provided to the worker`);
        return bytes;
      },
    });
    const session = new TrainingSession(spec, data, {
      onEvent: event => current?.onEvent(event),
      checkpoint,
      decisionBoundary: { intervalMs: BOUNDARY_INTERVAL_MS },
      onCheckpoint: saveCheckpoints
        ? ({ bytes, epoch, step, final }) => send({ type: 'checkpoint', bytes, epoch, step, final }, ownBuffer(bytes))
        : undefined,
    });
    current = new WorkerRun({ session, runDir, post: m => send(m) });
  } catch (e) {
    send({ type: 'error', phase: 'setup', failure: describeFailure(e) });
    return;
  }
  run = current;
  setImmediate(loop);
}

/** The bytes' buffer when they are all of it (a checkpoint's own array): transferred, not copied. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer[] {
  const buffer = bytes.buffer;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? [buffer] : [];
}

function loop(): void {
  if (!run) {
    return;
  }
  let done: boolean;
  try {
    done = run.slice();
  } catch (e) {
    // A bug in the engine, not a user error: report it; the host ends the run as failed.
    send({ type: 'error', phase: 'training', failure: describeFailure(e) });
    return;
  }
  if (!done) {
    setImmediate(loop);
  }
}
