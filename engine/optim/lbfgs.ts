import * as z from 'zod';
import { kind, type Rules } from '../core/options';
import type { Parameter } from '../core/parameter';
import { absMax, dot, StrongWolfe } from './lineSearch';
import { lr, nonNegative, positiveInteger } from './options';
import { div, min, mul, py, tensor, type TorchScalar } from './torchScalar';
import {
  checkDistinct,
  checkedTensor,
  singleGroup,
  NO_STATE,
  type Optimizer,
  type OptimizerStateDict,
  type ParamState,
  type ParamStateView,
} from './optimizer';

export const lbfgsOptions = kind(
  'lbfgs',
  '`torch.optim.LBFGS`: limited-memory BFGS, a quasi-Newton method; one full-batch step (with a closure) per epoch.',
  {
    lr: lr(1),
    max_iter: positiveInteger(20, 'Iterations per optimizer step.'),
    // No default: absent means floor(max_iter · 5/4), torch's default, which depends on max_iter.
    max_eval: z.int().min(1).nullable().optional().describe('Function evaluations per optimizer step. Default (or `null`, torch\'s None): max_iter · 5/4.'),
    tolerance_grad: nonNegative(1e-7, 'Stop the step when the largest absolute gradient is at most this.'),
    tolerance_change: nonNegative(1e-9, 'Stop the step when the loss or the weights change by at most this.'),
    history_size: positiveInteger(100, 'How many past updates approximate the inverse Hessian.'),
    // torch's None: written null (as torch writes it) or "none".
    line_search_fn: z
      .enum(['none', 'strong_wolfe'])
      .nullable()
      .default('none')
      .describe(
        'How far each step goes: `none` (or `null`, torch\'s None) takes fixed steps of lr, `strong_wolfe` searches for a step satisfying the strong Wolfe conditions.',
      ),
  },
);
export type LbfgsSpec = z.output<typeof lbfgsOptions>;

export const lbfgsRules: Rules<LbfgsSpec> = ({ max_iter: maxIter, max_eval: maxEval }, report) => {
  if (maxIter !== undefined && maxEval !== undefined && maxEval !== null && maxEval < maxIter) {
    report.warn(
      ['max_eval'],
      `max_eval ${maxEval} is below max_iter ${maxIter}: every iteration evaluates the function at least once, so a step stops after ${maxEval} iterations`,
    );
  }
};

const f32 = Math.fround;

/**
 * `torch.optim.LBFGS` (PyTorch 1.13), ported line by line. One `step(closure)` runs up to max_iter
 * quasi-Newton iterations on the full-batch objective the closure evaluates, stopping early when the
 * gradient is below tolerance_grad, when the loss or the step changes by less than
 * tolerance_change, or after max_eval closure calls. The direction comes from the two-loop
 * recursion over the last history_size (s, y) pairs; the step length is lr (the very first one
 * min(1, 1/‖g‖₁)·lr) or, with line_search_fn "strong_wolfe", the strong-Wolfe line search.
 *
 * Torch keeps the state (n_iter, func_evals, d, t, the history, ...) across steps, registered on the
 * first parameter; so does `stateDict()`, with the history lists concatenated (old_dirs is
 * numOld × numel values, ro numOld values, al history_size values with NaN for torch's None).
 * Memory: (2·history_size + 5) × numel floats (+5 × numel with the line search); the history grows
 * to history_size pairs during the first iterations and is then reused in place.
 */
export class Lbfgs implements Optimizer {
  readonly requiresClosure = true;
  lr: number;
  private readonly numel: number;
  private readonly maxEval: number;
  private readonly lineSearch: StrongWolfe | undefined;

  // torch's state['…'] (cumulative across steps).
  private funcEvals = 0;
  private nIter = 0;
  private readonly d: Float32Array;
  private hasDirection = false;
  private t = 0;
  private oldDirs: Float32Array[] = [];
  private oldStps: Float32Array[] = [];
  private ro: number[] = [];
  private hDiag = 1;
  private readonly prevFlatGrad: Float32Array;
  private prevLoss: number | undefined;
  /** torch's state['al'], created at the first quasi-Newton iteration; NaN = None. */
  private al: number[] | undefined;

  /** Per parameter, its slice of d and of prev_flat_grad (views, for `states()`). */
  private readonly directionViews: Float32Array[];
  private readonly prevGradViews: Float32Array[];

  // Scratch, allocated once.
  private readonly flatGrad: Float32Array;
  private readonly xInit: Float32Array;
  private y: Float32Array;
  private s: Float32Array;

  constructor(
    readonly spec: LbfgsSpec,
    readonly params: readonly Parameter[],
  ) {
    checkDistinct(params);
    this.lr = spec.lr;
    this.maxEval = spec.max_eval ?? Math.floor((spec.max_iter * 5) / 4);
    this.numel = params.reduce((n, p) => n + p.size, 0);
    this.d = new Float32Array(this.numel);
    this.prevFlatGrad = new Float32Array(this.numel);
    this.flatGrad = new Float32Array(this.numel);
    this.xInit = new Float32Array(this.numel);
    this.y = new Float32Array(this.numel);
    this.s = new Float32Array(this.numel);
    this.lineSearch = spec.line_search_fn === 'strong_wolfe' ? new StrongWolfe(this.numel) : undefined;
    this.directionViews = sliceByParam(this.d, params);
    this.prevGradViews = sliceByParam(this.prevFlatGrad, params);
  }

  /** L-BFGS has no momentum. */
  get momentum(): number | undefined {
    return undefined;
  }

  set momentum(_value: number | undefined) {
    throw new TypeError("optimizer 'lbfgs' has no momentum to set");
  }

  get functionEvaluations(): number {
    return this.funcEvals;
  }

  zeroGrad(): void {
    for (const param of this.params) param.zeroGrad();
  }

  evaluationValues(): undefined {
    return undefined;
  }

  /** Runs one L-BFGS step; returns the loss of the closure's first evaluation (torch's orig_loss). */
  step(closure?: () => number): number {
    if (!closure) throw new TypeError('L-BFGS needs a closure that re-evaluates the loss and its gradients');
    const { max_iter: maxIter, tolerance_grad: toleranceGrad, tolerance_change: toleranceChange, history_size: historySize } = this.spec;
    const lr = this.lr;
    const flatGrad = this.flatGrad;
    const d = this.d;

    const origLoss = closure();
    let loss = origLoss;
    let currentEvals = 1;
    this.funcEvals++;
    this.gatherFlatGrad(flatGrad);
    // Tensor-vs-float comparisons happen in float32 in torch.
    const gradTolerance = f32(toleranceGrad);
    const changeTolerance = f32(toleranceChange);
    let optCond = absMax(flatGrad) <= gradTolerance;
    if (optCond) return origLoss;

    // The line search's objective along d from x_init (torch's _directional_evaluate).
    const evaluate = (step: number, grad: Float32Array): number => {
      this.addToParams(step, d);
      const value = closure();
      this.gatherFlatGrad(grad);
      this.scatterParams(this.xInit);
      return value;
    };

    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      this.nIter++;

      // ---- the descent direction
      if (this.nIter === 1) {
        for (let i = 0; i < d.length; i++) d[i] = -flatGrad[i];
        this.oldDirs = [];
        this.oldStps = [];
        this.ro = [];
        this.hDiag = 1;
      } else {
        this.updateHistory(flatGrad, historySize);
        this.twoLoopDirection(flatGrad, historySize);
      }
      this.hasDirection = true;
      this.prevFlatGrad.set(flatGrad);
      this.prevLoss = loss;

      // ---- the step length: torch's min(1., 1. / flat_grad.abs().sum()) * lr at the very first
      // iteration (a float32 tensor when the reciprocal wins), lr afterwards.
      const t: TorchScalar = this.nIter === 1 ? mul(min(py(1), div(py(1), tensor(sumAbs(flatGrad)))), py(lr)) : py(lr);
      this.t = t.v;
      const gtd = dot(flatGrad, d);
      // The directional derivative is below tolerance: no descent left along d.
      if (gtd > f32(-toleranceChange)) break;

      let lsFuncEvals = 0;
      if (this.lineSearch) {
        this.gatherParams(this.xInit);
        const result = this.lineSearch.search(evaluate, t, d, loss, flatGrad, gtd, flatGrad);
        loss = result.loss;
        this.t = result.t.v;
        lsFuncEvals = result.evals;
        this.addToParams(this.t, d);
        optCond = absMax(flatGrad) <= gradTolerance;
      } else {
        this.addToParams(this.t, d);
        // Re-evaluate only if another iteration follows (torch: no use in a stochastic setting).
        if (nIter !== maxIter) {
          loss = closure();
          this.gatherFlatGrad(flatGrad);
          optCond = absMax(flatGrad) <= gradTolerance;
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      this.funcEvals += lsFuncEvals;

      // ---- stopping conditions
      if (nIter === maxIter) break;
      if (currentEvals >= this.maxEval) break;
      if (optCond) break;
      if (stepAbsMax(d, this.t) <= changeTolerance) break;
      if (Math.abs(loss - this.prevLoss) < toleranceChange) break;
    }
    return origLoss;
  }

  /** Adds the newest (s, y) pair when the curvature condition yᵀs > 1e-10 holds, dropping the oldest. */
  private updateHistory(flatGrad: Float32Array, historySize: number): void {
    const { y, s, d } = this;
    // torch's d.mul(t) casts the Python float t to float32.
    const t = f32(this.t);
    for (let i = 0; i < y.length; i++) {
      y[i] = flatGrad[i] - this.prevFlatGrad[i];
      s[i] = d[i] * t;
    }
    const ys = dot(y, s);
    if (!(ys > f32(1e-10))) return;
    let spareY: Float32Array | undefined;
    let spareS: Float32Array | undefined;
    if (this.oldDirs.length === historySize) {
      spareY = this.oldDirs.shift();
      spareS = this.oldStps.shift();
      this.ro.shift();
    }
    this.oldDirs.push(y);
    this.oldStps.push(s);
    this.ro.push(f32(1 / ys));
    this.hDiag = f32(ys / dot(y, y));
    // The dropped pair's buffers become the next scratch; allocate only while the history grows.
    this.y = spareY ?? new Float32Array(this.numel);
    this.s = spareS ?? new Float32Array(this.numel);
  }

  /** d = −H·g by the two-loop recursion, in float32 like torch's in-place tensor updates. */
  private twoLoopDirection(flatGrad: Float32Array, historySize: number): void {
    const { d, oldDirs, oldStps, ro } = this;
    const numOld = oldDirs.length;
    if (this.al === undefined) this.al = new Array<number>(historySize).fill(NaN);
    const al = this.al;
    // q (kept in d's buffer) = −g
    for (let i = 0; i < d.length; i++) d[i] = -flatGrad[i];
    for (let k = numOld - 1; k >= 0; k--) {
      al[k] = f32(dot(oldStps[k], d) * ro[k]);
      const yk = oldDirs[k];
      const a = al[k];
      for (let i = 0; i < d.length; i++) d[i] -= a * yk[i];
    }
    // r = q·H_diag (H_diag is the integer 1 until the first accepted pair: an exact copy).
    const hDiag = this.hDiag;
    if (hDiag !== 1) for (let i = 0; i < d.length; i++) d[i] *= hDiag;
    for (let k = 0; k < numOld; k++) {
      const be = f32(dot(oldDirs[k], d) * ro[k]);
      const coef = f32(al[k] - be);
      const sk = oldStps[k];
      for (let i = 0; i < d.length; i++) d[i] += coef * sk[i];
    }
  }

  private gatherFlatGrad(out: Float32Array): void {
    let offset = 0;
    for (const p of this.params) {
      out.set(p.grad, offset);
      offset += p.size;
    }
  }

  private gatherParams(out: Float32Array): void {
    let offset = 0;
    for (const p of this.params) {
      out.set(p.data, offset);
      offset += p.size;
    }
  }

  private scatterParams(from: Float32Array): void {
    let offset = 0;
    for (const p of this.params) {
      p.data.set(from.subarray(offset, offset + p.size));
      offset += p.size;
    }
  }

  /** p ← p + t·d over the flattened parameters (torch's `_add_grad`; alpha=t is cast to float32). */
  private addToParams(step: number, d: Float32Array): void {
    const t = f32(step);
    let offset = 0;
    for (const p of this.params) {
      const data = p.data;
      for (let j = 0; j < data.length; j++) data[j] += t * d[offset + j];
      offset += p.size;
    }
  }

  /**
   * torch registers L-BFGS's state on the first parameter only (its tensors span all parameters);
   * here each parameter sees its own slice of the search direction `d` and of the previous
   * gradient, and the first also the counters. The history lists are not shown.
   */
  states(): readonly ParamStateView[] {
    if (this.funcEvals === 0) return this.params.map(() => NO_STATE);
    return this.params.map((_, i) => {
      const view: Record<string, unknown> = i === 0 ? { func_evals: this.funcEvals, n_iter: this.nIter } : {};
      if (this.hasDirection) {
        view.d = this.directionViews[i];
        view.prev_flat_grad = this.prevGradViews[i];
      }
      return view;
    });
  }

  stateDict(): OptimizerStateDict {
    const { type: _type, line_search_fn: lineSearchFn, ...hyper } = this.spec;
    const group: Record<string, unknown> = {
      ...hyper,
      lr: this.lr,
      max_eval: this.maxEval,
      line_search_fn: lineSearchFn === 'none' || lineSearchFn === null ? null : lineSearchFn,
      params: this.params.map((_, i) => i),
    };
    const state: Record<number, ParamState> = {};
    if (this.funcEvals > 0) {
      const s: ParamState = { func_evals: this.funcEvals, n_iter: this.nIter };
      if (this.hasDirection) {
        s.d = this.d.slice();
        s.t = this.t;
        s.old_dirs = concat(this.oldDirs, this.numel);
        s.old_stps = concat(this.oldStps, this.numel);
        s.ro = Float32Array.from(this.ro);
        s.H_diag = this.hDiag;
        s.prev_flat_grad = this.prevFlatGrad.slice();
        s.prev_loss = this.prevLoss as number;
      }
      if (this.al) s.al = Float32Array.from(this.al);
      state[0] = s;
    }
    return { state, param_groups: [group] };
  }

  loadStateDict(sd: OptimizerStateDict): void {
    const group = singleGroup(sd, this.params.length);
    if (typeof group.lr === 'number') this.lr = group.lr;
    const s = sd.state[0] ?? {};
    const n = this.numel;
    const num = (key: string, fallback: number): number => (typeof s[key] === 'number' ? (s[key] as number) : fallback);
    this.funcEvals = num('func_evals', 0);
    this.nIter = num('n_iter', 0);
    this.hasDirection = s.d !== undefined;
    if (this.hasDirection) {
      this.d.set(checkedTensor(s.d, n, 'd'));
      this.t = num('t', 0);
      const ro = s.ro instanceof Float32Array ? Array.from(s.ro) : [];
      this.ro = ro;
      this.oldDirs = split(s.old_dirs, ro.length, n, 'old_dirs');
      this.oldStps = split(s.old_stps, ro.length, n, 'old_stps');
      this.hDiag = num('H_diag', 1);
      this.prevFlatGrad.set(checkedTensor(s.prev_flat_grad, n, 'prev_flat_grad'));
      this.prevLoss = num('prev_loss', NaN);
    } else {
      this.d.fill(0);
      this.oldDirs = [];
      this.oldStps = [];
      this.ro = [];
      this.hDiag = 1;
      this.prevLoss = undefined;
    }
    this.al = s.al instanceof Float32Array ? Array.from(s.al) : undefined;
  }
}

function sumAbs(a: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]);
  return sum;
}

/** max |d_i·t| with each product rounded to float32 (torch's `d.mul(t).abs().max()`). */
function stepAbsMax(d: Float32Array, step: number): number {
  const t = f32(step);
  let m = 0;
  for (let i = 0; i < d.length; i++) m = Math.max(m, Math.abs(f32(d[i] * t)));
  return m;
}

/** Views of `flat` (the parameters' values concatenated in order), one per parameter. */
function sliceByParam(flat: Float32Array, params: readonly Parameter[]): Float32Array[] {
  let offset = 0;
  return params.map((p) => flat.subarray(offset, (offset += p.size)));
}

function concat(list: readonly Float32Array[], size: number): Float32Array {
  const out = new Float32Array(list.length * size);
  list.forEach((v, k) => out.set(v, k * size));
  return out;
}

function split(value: ParamState[string] | undefined, count: number, size: number, what: string): Float32Array[] {
  if (count === 0) return [];
  const all = checkedTensor(value ?? 0, count * size, what);
  return Array.from({ length: count }, (_, k) => all.slice(k * size, (k + 1) * size));
}
