/**
 * The fixed problem of the optimizer golden fixtures (test/torch/gen_optim_golden*.py), with its
 * closed-form gradient, and the tolerance comparison they share. Not a test file itself.
 *
 *   R = A·W + 1·bᵀ − T,   loss = Σ R² + l4·(Σ W⁴ + Σ b⁴)
 *   dW = 2·Aᵀ·R + 4·l4·W³,   db = 2·Σ_rows R + 4·l4·b³
 */
import { expect } from 'vitest';
import { Parameter } from '../../../engine/core/parameter';

export interface GoldenProblem {
  l4: number;
  A: number[][];
  T: number[][];
  initial: { weight: number[][]; bias: number[] };
}

export const RTOL = 1e-5;
export const ATOL = 1e-6;

export function param(name: string, shape: number[], values: ArrayLike<number>): Parameter {
  const p = new Parameter(name, shape);
  p.data.set(values);
  return p;
}

export function problemParams(golden: GoldenProblem): { weight: Parameter; bias: Parameter } {
  return {
    weight: param('weight', [3, 4], golden.initial.weight.flat()),
    bias: param('bias', [4], golden.initial.bias),
  };
}

/**
 * Fills weight.grad and bias.grad for sign·loss and returns sign·loss, computed in doubles and
 * rounded to float32 at the end (torch's loss is a float32 tensor; L-BFGS compares losses).
 */
export function evaluate(golden: GoldenProblem, weight: Parameter, bias: Parameter, sign = 1): number {
  const { A, T, l4 } = golden;
  const inner = weight.shape[0];
  const cols = weight.shape[1];
  const W = weight.data;
  const b = bias.data;
  const gW = new Float64Array(W.length);
  const gb = new Float64Array(b.length);
  let loss = 0;
  for (let i = 0; i < A.length; i++) {
    for (let c = 0; c < cols; c++) {
      let r = b[c] - T[i][c];
      for (let k = 0; k < inner; k++) r += A[i][k] * W[k * cols + c];
      loss += r * r;
      for (let k = 0; k < inner; k++) gW[k * cols + c] += 2 * A[i][k] * r;
      gb[c] += 2 * r;
    }
  }
  for (let j = 0; j < W.length; j++) {
    loss += l4 * W[j] ** 4;
    weight.grad[j] = sign * (gW[j] + 4 * l4 * W[j] ** 3);
  }
  for (let c = 0; c < b.length; c++) {
    loss += l4 * b[c] ** 4;
    bias.grad[c] = sign * (gb[c] + 4 * l4 * b[c] ** 3);
  }
  return Math.fround(sign * loss);
}

/** The 2-D Rosenbrock function (1 − x)² + 100·(y − x²)²: fills x.grad, returns the float32 loss. */
export function rosenbrock(x: Parameter): number {
  const [a, b] = x.data;
  const r = b - a * a;
  x.grad[0] = -2 * (1 - a) - 400 * a * r;
  x.grad[1] = 200 * r;
  return Math.fround((1 - a) ** 2 + 100 * r * r);
}

/**
 * Largest violation of |actual − expected| ≤ atol + rtol·|expected|, as a ratio (≤ 1 passes).
 * NaN matches only NaN (torch's None entries of L-BFGS's `al` are stored as NaN).
 */
export function worstRatio(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = RTOL, atol = ATOL): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (Number.isNaN(e) || e === null) {
      if (!Number.isNaN(a)) return Infinity;
      continue;
    }
    if (Number.isNaN(a)) return Infinity;
    worst = Math.max(worst, Math.abs(a - e) / (atol + rtol * Math.abs(e)));
  }
  return worst;
}
