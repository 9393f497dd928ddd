import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../engine/experiment/parse';
import type { AdamSpec } from '../../../engine/optim/adam';
import type { OptimizerSpec } from '../../../engine/optim/kinds';
import type { SgdSpec } from '../../../engine/optim/sgd';
import { Adam, createOptimizer, Sgd } from '../../../engine/optim';
import sgdGolden from '../../fixtures/torch/optim_sgd.json';
import adamGolden from '../../fixtures/torch/optim_adam.json';
// The fixed problem, its gradient and the tolerances are shared with the other optimizer goldens.
import { ATOL, evaluate, param, RTOL } from './optim-golden-problem';

/*
 * Golden trajectories from test/torch/gen_optim_golden.py (torch 1.13, foreach=False). The problem
 * uses no model code: weight W [3×4] and bias b [4] minimize
 *   R = A·W + 1·bᵀ − T,   loss = Σ R² + l4·(Σ W⁴ + Σ b⁴)
 * with gradient  dW = 2·Aᵀ·R + 4·l4·W³,  db = 2·Σ_rows R + 4·l4·b³.
 * "maximize" cases maximize −loss (the gradient is negated), which must give the same path.
 *
 * Tolerance: rtol 1e-5, atol 1e-6 on parameters and losses after every step. Torch evaluates the
 * gradient and every update in float32 with a rounding after each operation; we compute in doubles
 * and round once when storing into Float32Array, so each step differs by a few float32 ulps
 * (~1e-7 relative), and 15 steps of a contracting iteration keep that well under 1e-5. Measured:
 * the worst value of any case uses 29 % of this tolerance (sgd_nesterov); Adam cases stay under 10 %.
 */

interface GoldenStep {
  grad: { weight: number[][]; bias: number[] };
  params: { weight: number[][]; bias: number[] };
}
interface GoldenCase {
  name: string;
  optimizer: OptimizerSpec;
  objective: 'loss' | 'negated_loss';
  lrs: number[];
  losses: number[];
  steps: GoldenStep[];
}
interface GoldenFile {
  l4: number;
  A: number[][];
  T: number[][];
  initial: { weight: number[][]; bias: number[] };
  cases: GoldenCase[];
}


/** Largest violation of |actual − expected| ≤ atol + rtol·|expected|, as a ratio (≤ 1 passes). */
function worstRatio(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const allowed = ATOL + RTOL * Math.abs(expected[i]);
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / allowed);
    if (Number.isNaN(actual[i])) return Infinity;
  }
  return worst;
}

function setup(golden: GoldenFile, spec: OptimizerSpec) {
  const weight = param('weight', [3, 4], golden.initial.weight.flat());
  const bias = param('bias', [4], golden.initial.bias);
  return { weight, bias, optimizer: createOptimizer(spec, [weight, bias]) };
}

/**
 * Replays a case with our own gradient; returns the worst tolerance ratio over all losses and
 * parameters (≤ 1 means every value is within tolerance).
 */
function replay(golden: GoldenFile, c: GoldenCase, spec: OptimizerSpec = c.optimizer): number {
  const { weight, bias, optimizer } = setup(golden, spec);
  const sign = c.objective === 'negated_loss' ? -1 : 1;
  let worst = 0;
  c.steps.forEach((expected, k) => {
    optimizer.zeroGrad();
    const loss = evaluate(golden, weight, bias, sign);
    worst = Math.max(worst, worstRatio([loss], [c.losses[k]]));
    optimizer.lr = c.lrs[k];
    optimizer.step();
    worst = Math.max(worst, worstRatio(weight.data, expected.params.weight.flat()));
    worst = Math.max(worst, worstRatio(bias.data, expected.params.bias));
  });
  return worst;
}

for (const [label, file] of [
  ['SGD', sgdGolden],
  ['Adam', adamGolden],
] as const) {
  const golden = file as unknown as GoldenFile;
  describe(`${label} matches torch.optim step by step`, () => {
    for (const c of golden.cases) {
      it(`${c.name}: 15 steps of losses and parameters`, () => {
        expect(replay(golden, c)).toBeLessThanOrEqual(1);
      });

      it(`${c.name}: the optimizer alone, fed torch's own gradients`, () => {
        const { weight, bias, optimizer } = setup(golden, c.optimizer);
        let worst = 0;
        for (const [k, expected] of c.steps.entries()) {
          weight.grad.set(expected.grad.weight.flat());
          bias.grad.set(expected.grad.bias);
          optimizer.lr = c.lrs[k];
          optimizer.step();
          worst = Math.max(worst, worstRatio(weight.data, expected.params.weight.flat()));
          worst = Math.max(worst, worstRatio(bias.data, expected.params.bias));
        }
        expect(worst).toBeLessThanOrEqual(1);
      });
    }
  });
}

describe('the golden problem itself', () => {
  const golden = sgdGolden as unknown as GoldenFile;
  it("our closed-form gradient equals torch's autograd at the start", () => {
    const { weight, bias } = setup(golden, golden.cases[0].optimizer);
    evaluate(golden, weight, bias, 1);
    const first = golden.cases[0].steps[0].grad;
    expect(worstRatio(weight.grad, first.weight.flat())).toBeLessThanOrEqual(1);
    expect(worstRatio(bias.grad, first.bias)).toBeLessThanOrEqual(1);
  });

  it('the replay can fail: a wrong hyperparameter leaves the tolerance', () => {
    // Guards against a comparison that passes whatever the optimizer does.
    const sgd = golden.cases.find((c) => c.name === 'sgd_momentum')!;
    expect(replay(golden, sgd, { ...(sgd.optimizer as SgdSpec), momentum: 0.85 })).toBeGreaterThan(10);
    const nesterov = golden.cases.find((c) => c.name === 'sgd_nesterov')!;
    expect(replay(golden, nesterov, { ...(nesterov.optimizer as SgdSpec), nesterov: false })).toBeGreaterThan(10);
    const damp = golden.cases.find((c) => c.name === 'sgd_momentum_dampening')!;
    expect(replay(golden, damp, { ...(damp.optimizer as SgdSpec), dampening: 0 })).toBeGreaterThan(10);
  });

  it('amsgrad changes the beta2 = 0.9 trajectory, so that case really tests the running max', () => {
    const adam = adamGolden as unknown as GoldenFile;
    const c = adam.cases.find((x) => x.name === 'adam_amsgrad_beta2_0.9')!;
    expect(replay(adam, c)).toBeLessThanOrEqual(1);
    expect(replay(adam, c, { ...(c.optimizer as AdamSpec), amsgrad: false })).toBeGreaterThan(10);
  });
});

// ---- behaviour beyond the fixtures ------------------------------------------------------------

const SGD: SgdSpec = {
  type: 'sgd',
  lr: 0.1,
  momentum: 0,
  dampening: 0,
  weight_decay: 0,
  nesterov: false,
  maximize: false,
};
const ADAM: AdamSpec = {
  type: 'adam',
  lr: 0.001,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weight_decay: 0,
  amsgrad: false,
  maximize: false,
  decoupled_weight_decay: false,
};

describe('createOptimizer', () => {
  it('builds the optimizer the spec names, starting at spec.lr', () => {
    const p = param('w', [2], [1, 2]);
    const sgd = createOptimizer(SGD, [p]);
    expect(sgd).toBeInstanceOf(Sgd);
    expect(sgd.lr).toBe(0.1);
    expect(sgd.params).toEqual([p]);
    expect(sgd.spec).toBe(SGD);
    expect(createOptimizer(ADAM, [p])).toBeInstanceOf(Adam);
  });

  it('plain SGD moves each parameter by −lr·grad', () => {
    const p = param('w', [3], [1, -2, 0.5]);
    const opt = createOptimizer(SGD, [p]);
    p.grad.set([2, -1, 0]);
    opt.step();
    expect(Array.from(p.data)).toEqual(Array.from(new Float32Array([0.8, -1.9, 0.5])));
  });

  it('the first Adam step moves every coordinate by about lr against the sign of its gradient', () => {
    const p = param('w', [3], [1, 1, 1]);
    const opt = createOptimizer({ ...ADAM, lr: 0.01 }, [p]);
    p.grad.set([1000, -0.001, 3]);
    opt.step();
    expect(p.data[0]).toBeCloseTo(0.99, 6);
    expect(p.data[1]).toBeCloseTo(1.01, 4); // eps matters a little for a tiny gradient
    expect(p.data[2]).toBeCloseTo(0.99, 6);
  });

  it('uses the current lr, so a scheduler can change it between steps', () => {
    const p = param('w', [1], [1]);
    const opt = createOptimizer(SGD, [p]);
    p.grad[0] = 1;
    opt.lr = 0.5;
    opt.step();
    expect(p.data[0]).toBeCloseTo(0.5, 7);
  });

  it('zeroGrad clears every gradient and keeps parameter values', () => {
    const a = param('a', [2], [1, 2]);
    const b = param('b', [1], [3]);
    const opt = createOptimizer(ADAM, [a, b]);
    a.grad.set([4, 5]);
    b.grad.set([6]);
    opt.zeroGrad();
    expect(Array.from(a.grad)).toEqual([0, 0]);
    expect(Array.from(b.grad)).toEqual([0]);
    expect(Array.from(a.data)).toEqual([1, 2]);
  });

  it('keeps per-parameter state apart (momentum of one tensor never leaks into another)', () => {
    const a = param('a', [1], [0]);
    const b = param('b', [1], [0]);
    const opt = createOptimizer({ ...SGD, lr: 1, momentum: 0.5 }, [a, b]);
    a.grad[0] = 1;
    b.grad[0] = 0;
    opt.step();
    opt.step();
    expect(a.data[0]).toBeCloseTo(-2.5, 6); // buf: 1, then 0.5·1 + 1 = 1.5
    expect(b.data[0]).toBe(0);
  });

  it('a NaN gradient makes the parameter NaN rather than hiding it (amsgrad included)', () => {
    for (const spec of [SGD, ADAM, { ...ADAM, amsgrad: true }] as OptimizerSpec[]) {
      const p = param('w', [1], [1]);
      const opt = createOptimizer(spec, [p]);
      p.grad[0] = 1;
      opt.step();
      p.grad[0] = NaN;
      opt.step();
      expect(p.data[0]).toBeNaN();
    }
  });

  it("the experiment format rejects what torch's constructors reject, pointing at the key", () => {
    const p = [param('w', [1], [0])];
    // The optimizer's own key (a list's item is blamed at its index: the key is what counts here).
    const badKey = (spec: OptimizerSpec): unknown =>
      parseExperiment(JSON.stringify({ data: 'spiral', model: [{ type: 'linear' }], optimizer: spec }), 'x.experiment.json')
        .problems.find(problem => problem.severity === 'error')
        ?.path.slice(0, 2);
    expect(badKey({ ...SGD, lr: -1 })).toEqual(['optimizer', 'lr']);
    expect(badKey({ ...SGD, momentum: -0.1 })).toEqual(['optimizer', 'momentum']);
    expect(badKey({ ...SGD, nesterov: true })).toEqual(['optimizer', 'nesterov']);
    expect(badKey({ ...SGD, nesterov: true, momentum: 0.9, dampening: 0.1 })).toEqual(['optimizer', 'nesterov']);
    expect(badKey({ ...SGD, weight_decay: -1 })).toEqual(['optimizer', 'weight_decay']);
    expect(badKey({ ...ADAM, betas: [1, 0.999] })).toEqual(['optimizer', 'betas']);
    expect(badKey({ ...ADAM, betas: [0.9, -0.1] })).toEqual(['optimizer', 'betas']);
    expect(badKey({ ...ADAM, eps: -1 })).toEqual(['optimizer', 'eps']);
    expect(badKey({ ...SGD, nesterov: true, momentum: 0.9 })).toBeUndefined();
    expect(() => createOptimizer(SGD, [p[0], p[0]])).toThrow(/more than once/);
  });
});
