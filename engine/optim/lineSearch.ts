/**
 * The strong-Wolfe line search of `torch.optim.LBFGS` (PyTorch 1.13 `_strong_wolfe` and
 * `_cubic_interpolate`, themselves ported from Torch7's lswolfe.lua / polyinterp.lua), statement for
 * statement. Its scalars are TorchScalars (see torchScalar.ts): which of them are float32 tensors
 * and which Python floats decides how torch rounds and compares them, and so which branch it takes.
 */
import { abs, add, div, ge, gt, le, lt, max, min, mul, py, sqrt, sub, tensor, type TorchScalar } from './torchScalar';

/**
 * Minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1, g2 (tensors), clamped to
 * `bounds` (default: the interval between the points); the middle of the bounds when the cubic has
 * no real critical point. The losses f are Python floats.
 */
export function cubicInterpolate(
  x1: TorchScalar,
  f1: number,
  g1: TorchScalar,
  x2: TorchScalar,
  f2: number,
  g2: TorchScalar,
  bounds?: readonly [TorchScalar, TorchScalar],
): TorchScalar {
  const [xminBound, xmaxBound] = bounds ?? (le(x1, x2) ? [x1, x2] : [x2, x1]);
  // d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);  d2 = sqrt(d1**2 - g1 * g2)
  const d1 = sub(add(g1, g2), div(py(3 * (f1 - f2)), sub(x1, x2)));
  const d2Square = sub(mul(d1, d1), mul(g1, g2));
  if (ge(d2Square, py(0))) {
    const d2 = sqrt(d2Square);
    const minPos = le(x1, x2)
      ? sub(x2, mul(sub(x2, x1), div(sub(add(g2, d2), d1), add(sub(g2, g1), mul(py(2), d2)))))
      : sub(x1, mul(sub(x1, x2), div(sub(add(g1, d2), d1), add(sub(g1, g2), mul(py(2), d2)))));
    return min(max(minPos, xminBound), xmaxBound);
  }
  return div(add(xminBound, xmaxBound), py(2));
}

/**
 * Evaluates the objective at x + t·d: writes the gradient there into `grad` and returns the loss
 * (the parameters are back at x afterwards).
 */
export type DirectionalEvaluate = (t: number, grad: Float32Array) => number;

export interface LineSearchResult {
  /** Loss at the accepted step. */
  loss: number;
  /** The accepted step length. */
  t: TorchScalar;
  /** Function evaluations the search made. */
  evals: number;
}

/** torch's defaults: `_strong_wolfe(..., c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25)`. */
const C1 = py(1e-4);
const MINUS_C2 = py(-0.9);
const TOLERANCE_CHANGE = py(1e-9);
const MAX_LS = 25;
const ZERO = py(0);

/**
 * The search with its gradient buffers allocated once (torch clones gradients; these are the
 * clones' storage). Each buffer has one role, so no two live "tensors" share memory.
 */
export class StrongWolfe {
  private readonly gInit: Float32Array;
  private readonly gPrevBuf: Float32Array;
  private readonly gNew: Float32Array;
  private readonly bracketBufs: [Float32Array, Float32Array];

  constructor(size: number) {
    this.gInit = new Float32Array(size);
    this.gPrevBuf = new Float32Array(size);
    this.gNew = new Float32Array(size);
    this.bracketBufs = [new Float32Array(size), new Float32Array(size)];
  }

  /**
   * Searches along d from the current point (loss f, gradient g, directional derivative gtd < 0),
   * starting at step t. Writes the gradient at the accepted point into `gradOut` (may be `g`).
   */
  search(
    evaluate: DirectionalEvaluate,
    t: TorchScalar,
    d: Float32Array,
    f: number,
    g: Float32Array,
    gtd: number,
    gradOut: Float32Array,
  ): LineSearchResult {
    const gtd0 = tensor(gtd);
    const armijoFails = (fNew: number, step: TorchScalar): boolean => gt(py(fNew), add(py(f), mul(mul(C1, step), gtd0)));
    const curvatureHolds = (gtdNew: TorchScalar): boolean => le(abs(gtdNew), mul(MINUS_C2, gtd0));

    const dNorm = tensor(absMax(d));
    const gInit = this.gInit;
    gInit.set(g);
    const gNew = this.gNew;
    let fNew = evaluate(t.v, gNew);
    let lsFuncEvals = 1;
    let gtdNew = tensor(dot(gNew, d));

    // Bracket an interval containing a point satisfying the Wolfe criteria.
    let tPrev: TorchScalar = ZERO;
    let fPrev = f;
    let gPrev = gInit;
    let gtdPrev = gtd0;
    let done = false;
    let lsIter = 0;
    let bracket: TorchScalar[] = [];
    let bracketF: number[] = [];
    let bracketG: Float32Array[] = [];
    let bracketGtd: TorchScalar[] = [];
    const [b0, b1] = this.bracketBufs;
    while (lsIter < MAX_LS) {
      if (armijoFails(fNew, t) || (lsIter > 1 && fNew >= fPrev)) {
        bracket = [tPrev, t];
        bracketF = [fPrev, fNew];
        bracketG = [copyInto(b0, gPrev), copyInto(b1, gNew)];
        bracketGtd = [gtdPrev, gtdNew];
        break;
      }
      if (curvatureHolds(gtdNew)) {
        bracket = [t];
        bracketF = [fNew];
        bracketG = [gNew];
        done = true;
        break;
      }
      if (ge(gtdNew, ZERO)) {
        bracket = [tPrev, t];
        bracketF = [fPrev, fNew];
        bracketG = [copyInto(b0, gPrev), copyInto(b1, gNew)];
        bracketGtd = [gtdPrev, gtdNew];
        break;
      }
      // Interpolate, extrapolating at least 1 % past t and at most to 10·t.
      const minStep = add(t, mul(py(0.01), sub(t, tPrev)));
      const maxStep = mul(t, py(10));
      const tmp = t;
      t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
      tPrev = tmp;
      fPrev = fNew;
      gPrev = copyInto(this.gPrevBuf, gNew);
      gtdPrev = gtdNew;
      fNew = evaluate(t.v, gNew);
      lsFuncEvals++;
      gtdNew = tensor(dot(gNew, d));
      lsIter++;
    }
    if (lsIter === MAX_LS) {
      bracket = [ZERO, t];
      bracketF = [f, fNew];
      bracketG = [gInit, gNew];
    }

    // Zoom: refine the bracket until a point satisfies the criteria.
    let insufProgress = false;
    let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
    while (!done && lsIter < MAX_LS) {
      if (lt(mul(abs(sub(bracket[1], bracket[0])), dNorm), TOLERANCE_CHANGE)) break;
      t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);

      // A trial too close to an end of the bracket makes little progress: after two such trials,
      // or one at or beyond an end, move it 10 % of the bracket's length inside.
      const hi = max(bracket[0], bracket[1]);
      const lo = min(bracket[0], bracket[1]);
      const eps = mul(py(0.1), sub(hi, lo));
      if (lt(min(sub(hi, t), sub(t, lo)), eps)) {
        if (insufProgress || ge(t, hi) || le(t, lo)) {
          t = lt(abs(sub(t, hi)), abs(sub(t, lo))) ? sub(hi, eps) : add(lo, eps);
          insufProgress = false;
        } else {
          insufProgress = true;
        }
      } else {
        insufProgress = false;
      }

      fNew = evaluate(t.v, gNew);
      lsFuncEvals++;
      gtdNew = tensor(dot(gNew, d));
      lsIter++;

      if (armijoFails(fNew, t) || fNew >= bracketF[lowPos]) {
        // Armijo fails, or no lower than the lowest point: the trial becomes the high end.
        bracket[highPos] = t;
        bracketF[highPos] = fNew;
        copyInto(bracketG[highPos], gNew);
        bracketGtd[highPos] = gtdNew;
        [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
      } else {
        if (curvatureHolds(gtdNew)) {
          done = true;
        } else if (ge(mul(gtdNew, sub(bracket[highPos], bracket[lowPos])), ZERO)) {
          // The old low end becomes the high end.
          bracket[highPos] = bracket[lowPos];
          bracketF[highPos] = bracketF[lowPos];
          copyInto(bracketG[highPos], bracketG[lowPos]);
          bracketGtd[highPos] = bracketGtd[lowPos];
        }
        // The trial becomes the low end.
        bracket[lowPos] = t;
        bracketF[lowPos] = fNew;
        copyInto(bracketG[lowPos], gNew);
        bracketGtd[lowPos] = gtdNew;
      }
    }

    gradOut.set(bracketG[lowPos]);
    return { loss: bracketF[lowPos], t: bracket[lowPos], evals: lsFuncEvals };
  }
}

function copyInto(target: Float32Array, source: Float32Array): Float32Array {
  if (target !== source) target.set(source);
  return target;
}

/** Float32 dot product (torch's `a.dot(b)` on float32 tensors), accumulated in double. */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return Math.fround(sum);
}

/** max |a_i|, NaN if any is NaN (torch's `a.abs().max()`). */
export function absMax(a: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
