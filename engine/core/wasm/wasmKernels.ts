import type { Kernels } from '../kernels';
import { WasmArena } from './arena';
import type { WasmVariant } from './binaries';
import { kernelModule } from './features';
import { JOB, JOB_BYTES, planGemm } from './gemmPlan';
import { HELPER_OP, HelperThread } from './helperThread';
import { registerMemory, type AdamStep, type SgdStep, type ResidentKernels } from './residency';
import { ThreadPolicy } from './threadPolicy';
import { requireWebAssembly, type WasmModule } from './webAssemblyApi';

/** What the generated module exports (scripts/wasm/kernelsWat.mjs). */
interface KernelExports {
  gemm_run(job: number, gen: number, tmp: number, helper: number): void;
  sum_rows(x: number, rows: number, cols: number, into: number): void;
  adam(
    p: number, grad: number, m: number, v: number, vmax: number, n: number, flags: number,
    beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number,
    wd: number, stepSize: number, bc2sqrt: number, eps: number,
  ): void;
  adam32(
    p: number, grad: number, m: number, v: number, vmax: number, n: number, flags: number,
    beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number,
    wd: number, stepSize: number, bc2sqrt: number, eps: number,
  ): void;
  sgd(p: number, grad: number, buf: number, n: number, flags: number, momentum: number, oneMinusDampening: number, wd: number, lr: number): void;
  relu(x: number, out: number, n: number): void;
  relu_grad(y: number, dy: number, out: number, n: number): void;
}

/** Flag bits of the update kernels (scripts/wasm/updatesWat.mjs UPDATE_FLAGS). */
const FLAG = { maximize: 1, weightDecay: 2, amsgrad: 4, momentum: 4, nesterov: 8, firstStep: 16 } as const;

/** Fixed addresses in the reserved start of every kernels memory (arena.ts RESERVED_BYTES). */
const GEMM_JOB = 0;
/** Thread t's MR×NR scratch tile. */
const tileOf = (thread: number): number => 1024 + 256 * thread;
/** A claim word no job has (generation 0xffff): closes the job while its descriptor is rewritten. */
const CLOSED = -65536;
/** Gemms smaller than this many multiply-adds run on one thread (≈ 50 µs of work). */
const MIN_PARALLEL_MACS = 1 << 20;

export interface WasmKernelsOptions {
  variant: WasmVariant;
  /** Threads to use for large gemms (default 1). */
  threads?: number;
  /** Bytes the memory starts with. */
  initialBytes?: number;
  /** Bytes the memory may grow to (default and most: 2 GiB; tests lower it). */
  maxBytes?: number;
  /** Multiply-adds below which a gemm runs on one thread (tests lower it to exercise two threads on small shapes). */
  minParallelWork?: number;
  /**
   * Adam's arithmetic: 'float32' (default) as torch's float32 tensor ops, four elements at a time;
   * 'float64' exactly as the JavaScript Adam (bit-identical, about four times slower). SGD,
   * ReLU and bias sums are always bit-identical to JavaScript.
   */
  adam?: 'float32' | 'float64';
}

/**
 * The Kernels on WebAssembly SIMD: a packed, register-tiled sgemm (scripts/wasm/gemmWat.mjs) in a
 * memory of its own (a WasmArena). Operands that live in that memory — a training run allocates
 * its model's buffers there (engine/core/memory.ts) — are used in place; any other Float32Array is
 * copied into scratch space first (and C back out), so every caller of the Kernels interface works.
 * Large gemms are shared with a helper thread when the ThreadPolicy says it pays.
 */
export class WasmKernels implements Kernels, ResidentKernels {
  readonly name: string;
  readonly arena: WasmArena;
  readonly policy: ThreadPolicy;
  private readonly module: WasmModule;
  private readonly exports: KernelExports;
  private gen = 0;
  private readonly adamIn32: boolean;
  /** Tasks the helper threads have run for this kernels' gemms (tests and benchmarks read it). */
  helperTasks = 0;
  /** Optimizer updates run here (tests check that the SIMD path is taken). */
  simdUpdates = 0;

  constructor(options: WasmKernelsOptions) {
    this.module = kernelModule(options.variant);
    this.arena = new WasmArena(options.initialBytes, (buffer) => registerMemory(buffer, this), options.maxBytes);
    const instance = new (requireWebAssembly().Instance)(this.module, { env: { memory: this.arena.memory } });
    this.exports = instance.exports as unknown as KernelExports;
    const threads = Math.max(1, Math.floor(options.threads ?? 1));
    this.adamIn32 = (options.adam ?? 'float32') === 'float32';
    this.policy = new ThreadPolicy({ threads, minWork: options.minParallelWork ?? MIN_PARALLEL_MACS });
    this.name = `wasm-${options.variant}${threads > 1 ? `-${threads}t` : ''}`;
  }

  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
  ): void {
    this.gemmWithBias(transA, transB, m, n, k, alpha, a, b, beta, c, undefined);
  }

  /**
   * gemm, plus `bias` (n values) added to every row of C — a linear layer's forward pass in one pass
   * over C. Same contract as gemm otherwise.
   */
  gemmWithBias(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
    bias: Float32Array | undefined,
  ): void {
    if (m <= 0 || n <= 0) return;
    checkLength(c, m * n, 'C');
    if (bias) checkLength(bias, n, 'bias');
    if (k <= 0 || alpha === 0) {
      scaleRows(c, m, n, beta, bias);
      return;
    }
    checkLength(a, m * k, 'A');
    checkLength(b, k * n, 'B');
    const arena = this.arena;
    const threads = this.policy.threadsFor(m * n * k);
    const plan = planGemm(m, n, k, threads);
    if (plan.tasks >= 0xffff) {
      throw new RangeError(`gemm ${m}×${n}×${k} needs ${plan.tasks} tasks; the kernel takes at most 65534`);
    }
    // Scratch first: it may grow the memory, after which the whole-memory views are renewed.
    const ap = arena.scratch('gemm.Ap', plan.apBytes);
    const bp = arena.scratch('gemm.Bp', plan.bpBytes);
    const aAt = this.operand(a, m * k, 'gemm.A');
    const bAt = this.operand(b, k * n, 'gemm.B');
    const biasAt = bias ? this.operand(bias, n, 'gemm.bias') : 0;
    let cAt = arena.addressOf(c);
    const cOutside = cAt < 0;
    if (cOutside) {
      cAt = arena.scratch('gemm.C', m * n * 4);
      if (beta !== 0) arena.f32.set(c.subarray(0, m * n), cAt >> 2);
    }

    const i32 = arena.i32;
    const f32 = arena.f32;
    const j = GEMM_JOB >> 2;
    Atomics.store(i32, j + JOB.claim, CLOSED);
    i32[j + JOB.tA] = transA ? 1 : 0;
    i32[j + JOB.tB] = transB ? 1 : 0;
    i32[j + JOB.M] = m;
    i32[j + JOB.N] = n;
    i32[j + JOB.K] = k;
    i32[j + JOB.A] = aAt;
    i32[j + JOB.B] = bAt;
    i32[j + JOB.C] = cAt;
    i32[j + JOB.lda] = transA ? m : k;
    i32[j + JOB.ldb] = transB ? k : n;
    i32[j + JOB.ldc] = n;
    f32[j + JOB.alpha] = alpha;
    f32[j + JOB.beta] = beta;
    i32[j + JOB.Ap] = ap;
    i32[j + JOB.Bp] = bp;
    i32[j + JOB.aPanelsPerTask] = plan.aPanelsPerTask;
    i32[j + JOB.bPanelsPerTask] = plan.bPanelsPerTask;
    i32[j + JOB.packATasks] = plan.packATasks;
    i32[j + JOB.packBTasks] = plan.packBTasks;
    i32[j + JOB.tileRowPanels] = plan.tileRowPanels;
    i32[j + JOB.tileColPanels] = plan.tileColPanels;
    i32[j + JOB.tilesM] = plan.tilesM;
    i32[j + JOB.tilesN] = plan.tilesN;
    i32[j + JOB.bias] = biasAt;
    i32[j + JOB.packDone] = 0;
    i32[j + JOB.allDone] = 0;
    i32[j + JOB.helperTasks] = 0;
    const gen = (this.gen = (this.gen + 1) & 0x7fff);
    Atomics.store(i32, j + JOB.claim, gen << 16);

    const helpers = threads > 1 ? helperThreads(threads - 1) : undefined;
    if (helpers) {
      const started = performance.now();
      for (const helper of helpers) helper.wake(this.module, arena.memory, HELPER_OP.gemm, GEMM_JOB, gen);
      this.exports.gemm_run(GEMM_JOB, gen, tileOf(0), 0);
      const ownDone = performance.now();
      while (Atomics.load(i32, j + JOB.allDone) < plan.tasks);
      const end = performance.now();
      const helped = Atomics.load(i32, j + JOB.helperTasks);
      this.helperTasks += helped;
      this.policy.record(helped / plan.tasks, end > started ? (end - ownDone) / (end - started) : 0);
    } else {
      this.exports.gemm_run(GEMM_JOB, gen, tileOf(0), 0);
    }
    if (cOutside) c.set(arena.f32.subarray(cAt >> 2, (cAt >> 2) + m * n));
  }

  gemmAddRow(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
    row: Float32Array,
  ): void {
    this.gemmWithBias(transA, transB, m, n, k, alpha, a, b, beta, c, row);
  }

  sumRows(rows: number, cols: number, x: Float32Array, into: Float32Array): void {
    if (rows <= 0 || cols <= 0) return;
    checkLength(x, rows * cols, 'sumRows: x');
    checkLength(into, cols, 'sumRows: into');
    const intoAt = this.arena.addressOf(into);
    if (intoAt < 0) {
      // Outside this memory: the JavaScript loop gives the same sums.
      for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) into[j] += x[r * cols + j];
      return;
    }
    this.exports.sum_rows(this.operand(x, rows * cols, 'sumRows.x'), rows, cols, intoAt);
  }

  adam(p: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, vMax: Float32Array, o: AdamStep): boolean {
    const n = p.length;
    const arena = this.arena;
    if (grad.length < n || m.length < n || v.length < n || (o.amsgrad && vMax.length < n)) return false;
    const at = [arena.addressOf(p), arena.addressOf(grad), arena.addressOf(m), arena.addressOf(v), o.amsgrad ? arena.addressOf(vMax) : 0];
    if (at.some((x) => x < 0)) return false;
    const flags = (o.maximize ? FLAG.maximize : 0) | (o.weightDecay !== 0 ? FLAG.weightDecay : 0) | (o.amsgrad ? FLAG.amsgrad : 0);
    this.simdUpdates++;
    const update = this.adamIn32 ? this.exports.adam32 : this.exports.adam;
    update(at[0], at[1], at[2], at[3], at[4], n, flags, o.beta1, 1 - o.beta1, o.beta2, 1 - o.beta2, o.weightDecay, o.stepSize, o.biasCorrection2Sqrt, o.eps);
    return true;
  }

  sgd(p: Float32Array, grad: Float32Array, buffer: Float32Array, o: SgdStep): boolean {
    const n = p.length;
    const arena = this.arena;
    const momentum = o.momentum !== 0;
    if (grad.length < n || (momentum && buffer.length < n)) return false;
    const pAt = arena.addressOf(p);
    const gAt = arena.addressOf(grad);
    const bAt = momentum ? arena.addressOf(buffer) : 0;
    if (pAt < 0 || gAt < 0 || bAt < 0) return false;
    const flags =
      (o.maximize ? FLAG.maximize : 0) |
      (o.weightDecay !== 0 ? FLAG.weightDecay : 0) |
      (momentum ? FLAG.momentum : 0) |
      (o.nesterov ? FLAG.nesterov : 0) |
      (o.firstStep ? FLAG.firstStep : 0);
    this.simdUpdates++;
    this.exports.sgd(pAt, gAt, bAt, n, flags, o.momentum, 1 - o.dampening, o.weightDecay, o.lr);
    return true;
  }

  relu(x: Float32Array, y: Float32Array, n: number): boolean {
    const arena = this.arena;
    if (x.length < n || y.length < n) return false;
    const xAt = arena.addressOf(x);
    const yAt = arena.addressOf(y);
    if (xAt < 0 || yAt < 0) return false;
    this.exports.relu(xAt, yAt, n);
    return true;
  }

  reluGrad(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): boolean {
    const arena = this.arena;
    if (y.length < n || dy.length < n || dx.length < n) return false;
    const yAt = arena.addressOf(y);
    const dyAt = arena.addressOf(dy);
    const dxAt = arena.addressOf(dx);
    if (yAt < 0 || dyAt < 0 || dxAt < 0) return false;
    this.exports.relu_grad(yAt, dyAt, dxAt, n);
    return true;
  }

  /** The address of `x`'s first `count` floats in the kernels' memory, copying them in if needed. */
  private operand(x: Float32Array, count: number, slot: string): number {
    const at = this.arena.addressOf(x);
    if (at >= 0) return at;
    const address = this.arena.scratch(slot, count * 4);
    this.arena.f32.set(count === x.length ? x : x.subarray(0, count), address >> 2);
    return address;
  }
}

function checkLength(x: Float32Array, needed: number, what: string): void {
  if (x.length < needed) throw new RangeError(`gemm: ${what} has ${x.length} values, needs ${needed}`);
}

/** C ← beta·C (+ bias): the whole gemm when k = 0 or alpha = 0; beta = 0 overwrites NaN. */
function scaleRows(c: Float32Array, m: number, n: number, beta: number, bias: Float32Array | undefined): void {
  const size = m * n;
  if (beta === 0) c.fill(0, 0, size);
  else if (beta !== 1) for (let i = 0; i < size; i++) c[i] *= beta;
  if (bias) for (let r = 0; r < m; r++) for (let j = 0; j < n; j++) c[r * n + j] += bias[j];
}

let helpers: HelperThread[] = [];

/** This thread's helper threads (started on first use, replaced if one died). */
function helperThreads(count: number): HelperThread[] | undefined {
  helpers = helpers.filter((h) => h.alive);
  while (helpers.length < count) helpers.push(new HelperThread(tileOf(helpers.length + 1)));
  return helpers.slice(0, count);
}

export const GEMM_JOB_BYTES = JOB_BYTES;
