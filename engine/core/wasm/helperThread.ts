/**
 * A second thread for the kernels: a worker_threads Worker that sleeps on an Atomics.wait until the
 * engine's thread hands it a job, then runs the same task loop on the same shared memory (claiming
 * tasks until none are left), and goes back to sleep. The engine's thread never waits for it to
 * start: it runs the job's tasks itself, so a helper that wakes late (or is starved by another
 * process) just takes fewer tasks.
 *
 * Its code is a string (an `eval` worker) so that it needs no file of its own next to the bundle
 * that loads it: the same code runs from the extension's worker bundle, the CLI, and the tests.
 */
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { WasmMemory, WasmModule } from './webAssemblyApi';

/** Int32 slots of the control block the helper sleeps on (a SharedArrayBuffer of its own). */
const CTRL = { wake: 0, op: 1, job: 2, gen: 3, epoch: 4, quit: 5 } as const;
/** Operation codes: which exported task loop to run (only the gemm's so far). */
export const HELPER_OP = { gemm: 0 } as const;

/**
 * After a job the helper keeps polling for the next one this many times before it sleeps: the
 * gemms of one training step follow each other within microseconds, and a futex wake-up costs tens
 * of them. About 30 µs of spinning, then the helper gives its core back.
 */
const SPINS = 4000;

/**
 * Instances the helper keeps, one per kernels memory: runs that alternate (two sessions side by
 * side) do not re-send their memory every job. Both sides evict the oldest sent first, so they
 * agree on what the helper has whichever jobs it saw.
 */
const KEPT = 4;

const HELPER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const ctrl = new Int32Array(workerData.control);
const port = workerData.port;
const tmp = workerData.tmp;
const kept = new Map();
let seen = 0, epoch = 0, exports = undefined;
for (;;) {
  let wake = Atomics.load(ctrl, ${CTRL.wake});
  for (let i = 0; wake === seen && i < ${SPINS}; i++) wake = Atomics.load(ctrl, ${CTRL.wake});
  if (wake === seen) { Atomics.wait(ctrl, ${CTRL.wake}, seen); wake = Atomics.load(ctrl, ${CTRL.wake}); }
  seen = wake;
  if (Atomics.load(ctrl, ${CTRL.quit})) break;
  const want = Atomics.load(ctrl, ${CTRL.epoch});
  // messages announce memories in order; drain up to the one this job names
  while (epoch < want && !kept.has(want)) {
    const got = receiveMessageOnPort(port);
    if (!got) continue;
    epoch = got.message.epoch;
    kept.set(epoch, new WebAssembly.Instance(got.message.module, { env: { memory: got.message.memory } }).exports);
    if (kept.size > ${KEPT}) kept.delete(kept.keys().next().value);
  }
  exports = kept.get(want);
  const op = Atomics.load(ctrl, ${CTRL.op});
  const job = Atomics.load(ctrl, ${CTRL.job});
  const gen = Atomics.load(ctrl, ${CTRL.gen});
  if (op === ${HELPER_OP.gemm}) exports.gemm_run(job, gen, tmp, 1);
}
`;

/** One helper thread, shared by every run of this thread (a run's memory is handed over on its first job). */
export class HelperThread {
  private readonly worker: Worker;
  private readonly control = new Int32Array(new SharedArrayBuffer(64));
  private readonly port: MessagePort;
  /** The id the helper knows each memory by, oldest sent first (mirrors the helper's `kept`). */
  private readonly known = new Map<WasmMemory, number>();
  private epoch = 0;
  private failed = false;

  /** @param tmp the byte address of this helper's scratch tile (the same in every run's memory). */
  constructor(tmp: number) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: { control: this.control.buffer, port: port2, tmp },
      transferList: [port2],
    });
    // The helper must never keep a process alive (the CLI exits when training ends).
    this.worker.unref();
    port1.unref();
    this.worker.on('error', () => {
      this.failed = true;
    });
    this.worker.on('exit', () => {
      this.failed = true;
    });
  }

  /** False once the thread has died (then the kernels run on one thread). */
  get alive(): boolean {
    return !this.failed;
  }

  /** Hands the helper a job: it runs `op`'s task loop on `job` of generation `gen` in `memory`. */
  wake(module: WasmModule, memory: WasmMemory, op: number, job: number, gen: number): void {
    let id = this.known.get(memory);
    if (id === undefined) {
      id = ++this.epoch;
      this.port.postMessage({ epoch: id, module, memory });
      if (this.known.size >= KEPT) this.known.delete(this.known.keys().next().value!);
      this.known.set(memory, id);
    }
    Atomics.store(this.control, CTRL.epoch, id);
    Atomics.store(this.control, CTRL.op, op);
    Atomics.store(this.control, CTRL.job, job);
    Atomics.store(this.control, CTRL.gen, gen);
    Atomics.add(this.control, CTRL.wake, 1);
    Atomics.notify(this.control, CTRL.wake);
  }
}
