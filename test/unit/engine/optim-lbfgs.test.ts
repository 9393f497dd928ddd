import { describe, expect, it } from 'vitest';
import type { LbfgsSpec } from '../../../engine/optim/lbfgs';
import { createOptimizer, Lbfgs } from '../../../engine/optim';
import { cubicInterpolate, StrongWolfe } from '../../../engine/optim/lineSearch';
import { py, tensor } from '../../../engine/optim/torchScalar';
import type { Parameter } from '../../../engine/core/parameter';
import lbfgsGolden from '../../fixtures/torch/optim_lbfgs.json';
import { evaluate, param, problemParams, rosenbrock, worstRatio, type GoldenProblem } from './optim-golden-problem';

/*
 * torch.optim.LBFGS (1.13) golden runs from test/torch/gen_optim_golden_more.py. Each outer step is
 * one `step(closure)` of up to max_iter iterations; after each, the loss step() returned, the
 * parameters, and torch's cumulative state['n_iter'] and state['func_evals'] must match — the
 * counts exactly, since they record every branch the iterations and the line search took.
 * Rosenbrock from (−1.5, 2) makes the strong-Wolfe search bracket and zoom; the quartic problem
 * exercises several parameters, a short history (the oldest pairs dropped), max_eval and
 * tolerance_change stops.
 *
 * Tolerance: rtol 1e-5 / atol 1e-6 like the other optimizers; the final state (history, d, ...) at
 * rtol 1e-4: the curvature pairs are differences of nearby gradients (y = g' − g), which lose
 * digits to cancellation.
 */

interface LbfgsStep {
  loss: number;
  params: number[][];
  n_iter: number;
  func_evals: number;
}
interface LbfgsCase {
  name: string;
  optimizer: LbfgsSpec;
  objective: 'rosenbrock' | 'quartic';
  steps: LbfgsStep[];
  final_state: Record<string, Record<string, number | (number | null)[]>>;
}
interface LineSearchCase {
  name: string;
  coefficients: number[];
  x0: number;
  t0: number;
  f: number;
  g: number[];
  d: number[];
  gtd: number;
  result: { f: number; g: number[]; t: number; evals: number };
  branches: string[];
}
type LbfgsFile = GoldenProblem & { cases: LbfgsCase[]; rosenbrock: { x0: number[] }; line_search: LineSearchCase[] };
const golden = lbfgsGolden as unknown as LbfgsFile;

function setup(c: LbfgsCase, spec: LbfgsSpec = c.optimizer): { params: Parameter[]; closure: () => number; optimizer: Lbfgs } {
  let params: Parameter[];
  let value: () => number;
  if (c.objective === 'rosenbrock') {
    const x = param('x', [2], golden.rosenbrock.x0);
    params = [x];
    value = () => rosenbrock(x);
  } else {
    const { weight, bias } = problemParams(golden);
    params = [weight, bias];
    value = () => evaluate(golden, weight, bias);
  }
  const optimizer = createOptimizer(spec, params) as Lbfgs;
  const closure = (): number => {
    optimizer.zeroGrad();
    return value();
  };
  return { params, closure, optimizer };
}

/**
 * Compares L-BFGS's final state with torch's: the same keys, the counts exactly, the same history
 * length (and the same unset entries of `al`), and the values norm-wise — each tensor's largest
 * difference against STATE_RTOL × its largest entry. Entry-wise relative comparison would be
 * meaningless here: the curvature pairs y = g′ − g and the scratch `al` are differences of nearly
 * equal float32 gradients, whose small entries carry no significant digits. Returns the keys that
 * fail, with their ratio (empty when all pass).
 */
const STATE_RTOL = 1e-3;
function stateRatios(ours: Record<string, unknown>, theirs: Record<string, number | (number | null)[]>): Record<string, number> {
  expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
  expect([ours.n_iter, ours.func_evals]).toEqual([theirs.n_iter, theirs.func_evals]);
  const failures: Record<string, number> = {};
  for (const [key, expected] of Object.entries(theirs)) {
    const actual = ours[key];
    const e = Array.isArray(expected) ? expected : [expected];
    const a = Array.isArray(expected) ? Array.from(actual as Float32Array) : [actual as number];
    expect(a.length, key).toBe(e.length);
    expect(a.map(Number.isNaN), `unset entries of ${key}`).toEqual(e.map((v) => v === null));
    let scale = 0;
    let diff = 0;
    e.forEach((v, i) => {
      if (v === null) return;
      scale = Math.max(scale, Math.abs(v));
      diff = Math.max(diff, Math.abs(a[i] - v));
    });
    const ratio = diff / (STATE_RTOL * scale + 1e-12);
    if (!(ratio <= 1)) failures[key] = ratio;
  }
  return failures;
}

/** Worst tolerance ratio over the run; Infinity when a count differs. */
function replay(c: LbfgsCase, spec?: LbfgsSpec): number {
  const { params, closure, optimizer } = setup(c, spec);
  let worst = 0;
  for (const expected of c.steps) {
    const loss = optimizer.step(closure);
    worst = Math.max(worst, worstRatio([loss], [expected.loss]));
    params.forEach((p, i) => (worst = Math.max(worst, worstRatio(p.data, expected.params[i]))));
    const s = optimizer.stateDict().state[0];
    if (s.n_iter !== expected.n_iter || s.func_evals !== expected.func_evals) return Infinity;
    if (optimizer.functionEvaluations !== expected.func_evals) return Infinity;
  }
  return worst;
}

describe('L-BFGS matches torch.optim.LBFGS', () => {
  for (const c of golden.cases) {
    it(`${c.name}: losses, parameters, n_iter and func_evals after each step`, () => {
      const { params, closure, optimizer } = setup(c);
      for (const [k, expected] of c.steps.entries()) {
        const loss = optimizer.step(closure);
        const s = optimizer.stateDict().state[0];
        expect([s.n_iter, s.func_evals], `counts after step ${k + 1}`).toEqual([expected.n_iter, expected.func_evals]);
        expect(worstRatio([loss], [expected.loss]), `loss of step ${k + 1}`).toBeLessThanOrEqual(1);
        params.forEach((p, i) => expect(worstRatio(p.data, expected.params[i]), `${p.name} after step ${k + 1}`).toBeLessThanOrEqual(1));
      }
      // The state torch keeps on the first parameter, key for key.
      const ours = optimizer.stateDict().state;
      expect(Object.keys(ours)).toEqual(Object.keys(c.final_state));
      expect(stateRatios(ours[0], c.final_state['0'])).toEqual({});
    });
  }

  it('the comparison can fail: other settings change the counts or the path', () => {
    const byName = new Map(golden.cases.map((c) => [c.name, c]));
    const wolfe = byName.get('rosenbrock_strong_wolfe')!;
    expect(replay(wolfe)).toBeLessThanOrEqual(1);
    expect(replay(wolfe, { ...wolfe.optimizer, line_search_fn: 'none' })).toBeGreaterThan(10);
    const history = byName.get('quartic_strong_wolfe')!;
    expect(replay(history, { ...history.optimizer, history_size: 100 })).toBeGreaterThan(10);
    const maxEval = byName.get('quartic_max_eval')!;
    expect(replay(maxEval, { ...maxEval.optimizer, max_eval: 7 })).toBeGreaterThan(10);
    const tolerance = byName.get('quartic_tolerance_change')!;
    expect(replay(tolerance, { ...tolerance.optimizer, tolerance_change: 1e-3 })).toBeGreaterThan(10);
  });
});

describe('L-BFGS behaviour', () => {
  const LBFGS: LbfgsSpec = {
    type: 'lbfgs',
    lr: 1,
    max_iter: 20,
    tolerance_grad: 1e-7,
    tolerance_change: 1e-9,
    history_size: 100,
    line_search_fn: 'strong_wolfe',
  };

  it('requires a closure', () => {
    const x = param('x', [2], [0, 0]);
    const opt = createOptimizer(LBFGS, [x]);
    expect(opt.requiresClosure).toBe(true);
    expect(() => opt.step()).toThrow(/closure/);
  });

  it('minimizes an ill-conditioned quadratic to float32 precision within one step', () => {
    // f = ½ Σ c_i (x_i − 1)²: (L-)BFGS with exact line searches would need 3 iterations; the
    // strong-Wolfe search is inexact, yet a handful of iterations reach float32 resolution.
    const c = [1, 4, 9];
    const x = param('x', [3], [0, 0, 0]);
    const opt = createOptimizer(LBFGS, [x]) as Lbfgs;
    const closure = (): number => {
      let f = 0;
      for (let i = 0; i < 3; i++) {
        x.grad[i] = c[i] * (x.data[i] - 1);
        f += 0.5 * c[i] * (x.data[i] - 1) ** 2;
      }
      return f;
    };
    opt.step(closure);
    for (const v of x.data) expect(v).toBeCloseTo(1, 4);
    expect(opt.stateDict().state[0].n_iter).toBeLessThan(15);
  });

  it('stops at once when the gradient is already below tolerance_grad (one evaluation, no iteration)', () => {
    const x = param('x', [1], [1]);
    const opt = createOptimizer(LBFGS, [x]);
    let calls = 0;
    const loss = (opt as Lbfgs).step(() => {
      calls++;
      x.grad[0] = 0;
      return 3;
    });
    expect(loss).toBe(3);
    expect(calls).toBe(1);
    expect(opt.functionEvaluations).toBe(1);
    expect(opt.stateDict().state[0]).toEqual({ func_evals: 1, n_iter: 0 });
  });

  it('has no momentum to schedule', () => {
    const opt = createOptimizer(LBFGS, [param('x', [1], [0])]);
    expect(opt.momentum).toBeUndefined();
    expect(() => (opt.momentum = 0.9)).toThrow(TypeError);
  });

  it('max_eval defaults to floor(max_iter · 5/4), as torch', () => {
    const opt = createOptimizer({ ...LBFGS, max_iter: 7 }, [param('x', [1], [0])]);
    expect(opt.stateDict().param_groups[0]).toMatchObject({ max_iter: 7, max_eval: 8, line_search_fn: 'strong_wolfe' });
    const none = createOptimizer({ ...LBFGS, line_search_fn: 'none' }, [param('x', [1], [0])]);
    expect(none.stateDict().param_groups[0]).toMatchObject({ max_eval: 25, line_search_fn: null });
  });
});

describe('the strong-Wolfe line search matches torch._strong_wolfe branch for branch', () => {
  // 1-D polynomials f(x) = Σ cᵢ·x^(i+1), loss and gradient in doubles rounded to float32 (as the
  // generator's closure). Together the cases take every branch the fixture lists.
  const polynomial = (c: number[], x: number): [number, number] => {
    let f = 0;
    let g = 0;
    c.forEach((ci, i) => {
      f += ci * x ** (i + 1);
      g += ci * (i + 1) * x ** i;
    });
    return [Math.fround(f), Math.fround(g)];
  };

  it('the cases cover every branch of the search', () => {
    const all = new Set(golden.line_search.flatMap((c) => c.branches));
    expect(all.size).toBe(12);
  });

  for (const c of golden.line_search) {
    it(`${c.name} (${c.branches.join(', ')})`, () => {
      const d = Float32Array.from(c.d);
      const g = Float32Array.from(c.g);
      const x0 = Math.fround(c.x0);
      const evaluate = (t: number, grad: Float32Array): number => {
        const x = Math.fround(x0 + Math.fround(t) * d[0]);
        const [f, slope] = polynomial(c.coefficients, x);
        grad[0] = slope;
        return f;
      };
      expect(polynomial(c.coefficients, x0)).toEqual([Math.fround(c.f), Math.fround(c.g[0])]);
      const out = new Float32Array(1);
      // t0 is a Python float here, as lr is in torch's later iterations.
      const result = new StrongWolfe(1).search(evaluate, py(c.t0), d, Math.fround(c.f), g, Math.fround(c.gtd), out);
      expect(result.evals).toBe(c.result.evals);
      expect(worstRatio([result.t.v, result.loss, out[0]], [c.result.t, c.result.f, c.result.g[0]])).toBeLessThanOrEqual(1);
    });
  }
});

describe('cubicInterpolate (torch _cubic_interpolate)', () => {
  it("finds a cubic's minimizer from two points and slopes", () => {
    // f(x) = (x − 1)³ − 3(x − 1) has its local minimum at x = 2; the interpolant of a cubic is itself.
    const f = (x: number) => (x - 1) ** 3 - 3 * (x - 1);
    const g = (x: number) => 3 * (x - 1) ** 2 - 3;
    const at = (x: number) => [py(x), f(x), tensor(g(x))] as const;
    expect(cubicInterpolate(...at(1.5), ...at(3)).v).toBeCloseTo(2, 5);
    // Either order of the points.
    expect(cubicInterpolate(...at(3), ...at(1.5)).v).toBeCloseTo(2, 5);
  });

  it('clamps to the bounds, and bisects when the cubic has no real critical point', () => {
    const f = (x: number) => (x - 1) ** 3 - 3 * (x - 1);
    const g = (x: number) => 3 * (x - 1) ** 2 - 3;
    const at = (x: number) => [py(x), f(x), tensor(g(x))] as const;
    expect(cubicInterpolate(...at(1.5), ...at(3), [py(2.5), py(4)]).v).toBe(2.5);
    // Rising by 2 with slope 3 at both ends: d1 = 3 + 3 − 3·2 = 0, so d1² − g1·g2 < 0.
    expect(cubicInterpolate(py(0), 0, tensor(3), py(1), 2, tensor(3), [py(0), py(4)]).v).toBe(2);
  });

  it('computes like torch: in float32 once a tensor is involved, in doubles between Python floats', () => {
    // The bound is a Python float: clamping returns it unrounded; a tensor bound is float32.
    const f = (x: number) => x * x;
    expect(cubicInterpolate(py(-1), f(-1), tensor(-2), py(2), f(2), tensor(4), [py(-0.3), py(-0.1)]).v).toBe(-0.1);
    expect(cubicInterpolate(py(-1), f(-1), tensor(-2), py(2), f(2), tensor(4), [py(-0.3), tensor(-0.1)]).v).toBe(Math.fround(-0.1));
    // The minimizer itself is a tensor (its slopes are).
    const inside = cubicInterpolate(py(-1), f(-1), tensor(-2), py(2), f(2), tensor(4));
    expect(inside.tensor).toBe(true);
    expect(inside.v).toBeCloseTo(0, 6);
  });
});
