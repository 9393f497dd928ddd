import { describe, expect, it } from 'vitest';
import { Random } from '../../../engine/core/random';
import type { LossSpec } from '../../../engine/losses/kinds';
import type { Task } from '../../../engine/core/task';
import { SpecError } from '../../../engine/core/errors';
import {
  BceLoss,
  BceWithLogitsLoss,
  checkModelOutputs,
  countCorrect,
  createLoss,
  CrossEntropyLoss,
  HuberLoss,
  L1Loss,
  modelOutputs,
  MseLoss,
  NllLoss,
  SmoothL1Loss,
  type Loss,
} from '../../../engine/losses';
import { CLASS_WEIGHT_LOSSES, LOSSES } from '../../../engine/losses/kinds';

const LOSS_KINDS = LOSSES.types;
import golden from '../../fixtures/torch/losses_golden.json';
import { lossSpec, option } from '../specs';

/** Reference cross-entropy in double precision, straight from the definition. */
function referenceCe(logits: number[][], targets: number[]): number {
  let total = 0;
  for (let r = 0; r < logits.length; r++) {
    const sumExp = logits[r].reduce((s, v) => s + Math.exp(v), 0);
    total += -Math.log(Math.exp(logits[r][targets[r]]) / sumExp);
  }
  return total / logits.length;
}

describe('CrossEntropyLoss', () => {
  const logits = [
    [1, 2, 0.5],
    [-1, 0, 3],
  ];
  const targets = [1, 0];

  it('matches the definition and torch\'s mean reduction', () => {
    const ce = new CrossEntropyLoss(3, 4);
    const loss = ce.forward(Float32Array.from(logits.flat()), Float32Array.from(targets), 2);
    expect(loss).toBeCloseTo(referenceCe(logits, targets), 6);
  });

  it('gives (softmax − onehot) / rows as the gradient', () => {
    const ce = new CrossEntropyLoss(3, 4);
    ce.forward(Float32Array.from(logits.flat()), Float32Array.from(targets), 2);
    const g = ce.backward(2);
    for (let r = 0; r < 2; r++) {
      const sumExp = logits[r].reduce((s, v) => s + Math.exp(v), 0);
      for (let j = 0; j < 3; j++) {
        const p = Math.exp(logits[r][j]) / sumExp;
        expect(g[r * 3 + j]).toBeCloseTo((p - (j === targets[r] ? 1 : 0)) / 2, 6);
      }
    }
  });

  it('is stable for huge logits (log-sum-exp)', () => {
    const ce = new CrossEntropyLoss(2, 1);
    const loss = ce.forward(Float32Array.from([1000, 0]), Float32Array.from([1]), 1);
    expect(loss).toBeCloseTo(1000, 6);
    expect(ce.forward(Float32Array.from([1000, 0]), Float32Array.from([0]), 1)).toBe(0);
    const g = ce.backward(1);
    expect(Array.from(g.subarray(0, 2)).every(Number.isFinite)).toBe(true);
  });

  it('propagates NaN logits into the loss', () => {
    const ce = new CrossEntropyLoss(2, 1);
    expect(Number.isNaN(ce.forward(Float32Array.from([NaN, 0]), Float32Array.from([0]), 1))).toBe(true);
  });

  it('expects ln C initially and rejects invalid class indices', () => {
    const ce = new CrossEntropyLoss(3, 1);
    expect(ce.expectedInitialLoss(3)).toBeCloseTo(Math.log(3), 12);
    expect(() => ce.forward(Float32Array.from([0, 0, 0]), Float32Array.from([3]), 1)).toThrow(RangeError);
    expect(() => ce.forward(Float32Array.from([0, 0, 0]), Float32Array.from([0.5]), 1)).toThrow(RangeError);
  });
});

describe('MseLoss', () => {
  it('is the mean over all elements with gradient 2(pred − target)/N', () => {
    const mse = new MseLoss(2, 4, 'regression');
    const pred = Float32Array.from([1, 2, 3, 4]);
    const target = Float32Array.from([0, 2, 5, 3]);
    expect(mse.forward(pred, target, 2)).toBeCloseTo((1 + 0 + 4 + 1) / 4, 12);
    expect(Array.from(mse.backward(2).subarray(0, 4))).toEqual([0.5, 0, -1, 0.5]);
    expect(mse.expectedInitialLoss(2)).toBeUndefined();
  });

  it('compares with one-hot targets on classification data', () => {
    const mse = new MseLoss(3, 2, 'classification');
    const pred = Float32Array.from([0.2, 0.5, 0.3, 1, 0, 0]);
    const loss = mse.forward(pred, Float32Array.from([1, 0]), 2);
    expect(loss).toBeCloseTo((0.04 + 0.25 + 0.09 + 0) / 6, 7);
    const g = mse.backward(2);
    expect(g[1]).toBeCloseTo((2 * (0.5 - 1)) / 6, 7);
    expect(g[3]).toBe(0);
  });
});

describe('createLoss', () => {
  it('creates the named loss', () => {
    expect(createLoss(lossSpec({ type: 'cross_entropy' }), 3, 4, 'classification')).toBeInstanceOf(CrossEntropyLoss);
    expect(createLoss(lossSpec({ type: 'mse' }), 1, 4, 'regression')).toBeInstanceOf(MseLoss);
    expect(createLoss(lossSpec({ type: 'mse' }), 3, 4, 'classification').kind).toBe('mse');
  });

  it('refuses cross-entropy on regression data at ["loss"]', () => {
    let error: unknown;
    try {
      createLoss(lossSpec({ type: 'cross_entropy' }), 1, 4, 'regression');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).path).toEqual(['loss']);
    expect((error as SpecError).message).toMatch(/regression.*mse/);
  });
});

describe('countCorrect', () => {
  it('counts argmax hits, first maximum on ties', () => {
    const scores = Float32Array.from([0.1, 0.9, 0.5, 0.5, 2, 1]);
    expect(countCorrect(scores, Float32Array.from([1, 0, 0]), 3, 2)).toBe(3);
    expect(countCorrect(scores, Float32Array.from([0, 1, 1]), 3, 2)).toBe(0);
  });
});

// ---- torch golden values ----------------------------------------------------------------------

interface GoldenLossCase {
  name: string;
  spec: LossSpec;
  task: Task;
  outputs: number;
  rows: number;
  pred: number[];
  target: number[];
  /** torch's loss with the case's reduction (the objective). */
  loss: number;
  /** The same call with reduction='mean' (what the engine reports). */
  mean: number;
  grad: number[];
}

/*
 * Tolerances. The fixture holds torch's float64 evaluation of the float32 inputs, and our losses
 * are computed in double from the same float32 values, so the loss agrees to rounding (measured
 * worst 1.5e-16 relative; asserted 1e-12). Gradients are stored as float32 (relative rounding
 * 6e-8), and cross-entropy's softmax probabilities pass through float32 before p − 1, which adds
 * ~6e-8·p/rows absolute: rtol 1e-6 + atol 1e-7 bound both with margin (measured worst 1.4e-8
 * absolute, 3.1e-7 relative on entries above 1e-3).
 */
const LOSS_RTOL = 1e-12;
const GRAD_RTOL = 1e-6;
const GRAD_ATOL = 1e-7;

describe('losses equal torch.nn.functional (golden values from test/torch/gen_losses_golden.py)', () => {
  const cases = golden.cases as GoldenLossCase[];

  it('the fixture covers every loss kind, class weights with label smoothing, and pos_weight', () => {
    expect(new Set(cases.map((c) => c.spec.type))).toEqual(new Set(LOSS_KINDS));
    expect(cases.some((c) => c.spec.type === 'cross_entropy' && c.spec.weight && c.spec.label_smoothing)).toBe(true);
    expect(cases.some((c) => c.spec.type === 'nll_loss' && c.spec.weight)).toBe(true);
    expect(cases.some((c) => c.spec.type === 'bce_with_logits' && c.spec.pos_weight !== undefined)).toBe(true);
    expect(new Set(cases.filter((c) => c.spec.reduction === 'sum').map((c) => c.spec.type))).toEqual(new Set(LOSS_KINDS));
  });

  for (const c of cases) {
    it(c.name, () => {
      const loss = createLoss(c.spec, c.outputs, c.rows, c.task);
      const pred = Float32Array.from(c.pred);
      const target = Float32Array.from(c.target);
      expect(pred.length).toBe(c.rows * loss.modelOutputs);
      const value = loss.forward(pred, target, c.rows);
      expect(Math.abs(value - c.mean)).toBeLessThanOrEqual(LOSS_RTOL * Math.abs(c.mean));
      expect(Math.abs(loss.lastObjective() - c.loss)).toBeLessThanOrEqual(LOSS_RTOL * Math.abs(c.loss));
      const grad = loss.backward(c.rows);
      for (let i = 0; i < c.grad.length; i++) {
        const tolerance = GRAD_ATOL + GRAD_RTOL * Math.abs(c.grad[i]);
        if (!(Math.abs(grad[i] - c.grad[i]) <= tolerance)) {
          throw new Error(`${c.name}: grad[${i}] = ${grad[i]}, torch ${c.grad[i]}`);
        }
      }
    });
  }
});

// ---- numerical gradients ----------------------------------------------------------------------

/**
 * Central differences of the objective (the mean, or with reduction 'sum' the sum),
 * (f(x + ε) − f(x − ε)) / (x₊ − x₋) with the perturbed values rounded to
 * float32 as the buffers hold them. The losses evaluate in double, so only the O(ε²) truncation
 * error (and float32 storage of the analytic gradient) remains: rtol 1e-4, atol 1e-6 with ε = 1e-3.
 * Inputs are kept ≥ 2ε away from the kinks (|d| = delta/beta, d = 0 for L1).
 */
function expectNumericGradient(
  loss: Loss,
  pred: Float32Array,
  target: Float32Array,
  rows: number,
  label: string,
  informativeShare = 1 / 3,
): void {
  loss.forward(pred, target, rows);
  const analytic = Float64Array.from(loss.backward(rows).subarray(0, rows * loss.modelOutputs));
  let informative = 0;
  for (let i = 0; i < analytic.length; i++) {
    const original = pred[i];
    pred[i] = original + 1e-3;
    const plus = pred[i];
    loss.forward(pred, target, rows);
    const fPlus = loss.lastObjective();
    pred[i] = original - 1e-3;
    const minus = pred[i];
    loss.forward(pred, target, rows);
    const fMinus = loss.lastObjective();
    pred[i] = original;
    const numeric = (fPlus - fMinus) / (plus - minus);
    const tolerance = 1e-6 + 1e-4 * Math.max(Math.abs(numeric), Math.abs(analytic[i]));
    if (!(Math.abs(numeric - analytic[i]) <= tolerance)) throw new Error(`${label}[${i}]: analytic ${analytic[i]} vs numeric ${numeric}`);
    if (Math.abs(numeric) > 1e-4) informative++;
  }
  // A check of (nearly) all-zero gradients would prove nothing.
  expect(informative, `${label}: informative entries`).toBeGreaterThanOrEqual(analytic.length * informativeShare);
}

function randomValues(rng: Random, size: number, scale: number, avoid: number[] = []): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let v: number;
    do v = rng.uniformRange(-scale, scale);
    while (avoid.some((k) => Math.abs(Math.abs(v) - k) < 3e-3));
    out[i] = v;
  }
  return out;
}

describe('numerical gradient checks', () => {
  const rows = 7;
  const classes = 4;
  const rng = new Random(31);
  const classTargets = Float32Array.from({ length: rows }, (_, r) => r % classes);
  const logits = randomValues(rng, rows * classes, 3);

  const classificationLosses: [string, Loss][] = [
    ['cross_entropy', new CrossEntropyLoss(classes, rows)],
    ['cross_entropy + weight', new CrossEntropyLoss(classes, rows, { weight: [0.3, 2, 1, 0.7] })],
    ['cross_entropy + label_smoothing', new CrossEntropyLoss(classes, rows, { labelSmoothing: 0.2 })],
    ['cross_entropy + weight + label_smoothing', new CrossEntropyLoss(classes, rows, { weight: [0.3, 2, 1, 0.7], labelSmoothing: 0.3 })],
    ['nll_loss + weight', new NllLoss(classes, rows, { weight: [1, 0.5, 2, 3] })],
    ['mse one-hot', new MseLoss(classes, rows, 'classification')],
    ['huber one-hot', new HuberLoss(classes, rows, 'classification', 0.8)],
  ];
  for (const [label, loss] of classificationLosses) {
    // nll_loss only has a gradient at each row's target: 1 entry in `classes`.
    const share = loss.kind === 'nll_loss' ? 1 / classes : 1 / 3;
    it(label, () => expectNumericGradient(loss, logits.slice(), classTargets, rows, label, share));
  }

  it('cross_entropy with probability targets, with weights and label smoothing', () => {
    const soft = new Float32Array(rows * classes);
    const own = new Random(47); // its own stream: the other checks keep their inputs
    for (let r = 0; r < rows; r++) {
      const raw = Array.from({ length: classes }, () => own.uniformRange(0.05, 1));
      const sum = raw.reduce((a, b) => a + b, 0);
      raw.forEach((v, j) => (soft[r * classes + j] = v / sum));
    }
    for (const options of [{}, { weight: [0.3, 2, 1, 0.7], labelSmoothing: 0.2 }]) {
      const loss = new CrossEntropyLoss(classes, rows, { ...options, probabilities: true });
      expectNumericGradient(loss, logits.slice(), soft, rows, `soft cross_entropy ${JSON.stringify(options)}`);
    }
  });

  it('cross_entropy and nll_loss skipping the rows of an ignored class', () => {
    const ce = new CrossEntropyLoss(classes, rows, { ignoreIndex: 2, labelSmoothing: 0.1, weight: [0.3, 2, 1, 0.7] });
    expectNumericGradient(ce, logits.slice(), classTargets, rows, 'cross_entropy ignore_index');
    expectNumericGradient(new NllLoss(classes, rows, { ignoreIndex: 0 }), logits.slice(), classTargets, rows, 'nll_loss ignore_index', 1 / (2 * classes));
  });

  it('bce_with_logits with and without pos_weight, logits up to ±12', () => {
    const binary = Float32Array.from({ length: rows }, (_, r) => r % 2);
    const x = randomValues(rng, rows, 12);
    for (const p of [1, 2.5, 0.4]) expectNumericGradient(new BceWithLogitsLoss(rows, p), x, binary, rows, `bce pos_weight ${p}`);
  });

  it('bce on probabilities in (0.02, 0.98)', () => {
    const binary = Float32Array.from({ length: rows }, (_, r) => r % 2);
    const x = randomValues(rng, rows, 0.48).map((v) => 0.5 + v);
    expectNumericGradient(new BceLoss(rows), x, binary, rows, 'bce');
    expectNumericGradient(new BceLoss(rows, { reduction: 'sum' }), x, binary, rows, 'bce sum');
  });

  it('huber and smooth_l1 on both sides of delta/beta, and smooth_l1 with beta 0 (L1)', () => {
    const outputs = 3;
    const target = randomValues(rng, rows * outputs, 1);
    for (const [label, loss, kink] of [
      ['huber δ=1', new HuberLoss(outputs, rows, 'regression', 1), 1],
      ['huber δ=0.3', new HuberLoss(outputs, rows, 'regression', 0.3), 0.3],
      ['smooth_l1 β=1', new SmoothL1Loss(outputs, rows, 'regression', 1), 1],
      ['smooth_l1 β=0.5', new SmoothL1Loss(outputs, rows, 'regression', 0.5), 0.5],
      ['smooth_l1 β=0', new SmoothL1Loss(outputs, rows, 'regression', 0), 0],
      ['l1_loss', new L1Loss(outputs, rows, 'regression'), 0],
      ['mse', new MseLoss(outputs, rows, 'regression'), NaN],
    ] as const) {
      const d = randomValues(rng, rows * outputs, 2.5, [kink, 0]);
      const pred = target.map((t, i) => t + d[i]);
      // Both pieces must be exercised.
      if (Number.isFinite(kink) && kink > 0) {
        expect(d.some((v) => Math.abs(v) < kink), label).toBe(true);
        expect(d.some((v) => Math.abs(v) > kink), label).toBe(true);
      }
      expectNumericGradient(loss, pred, target, rows, label);
    }
  });
});

// ---- semantics beyond the golden cases --------------------------------------------------------

describe('cross_entropy class weights and label smoothing', () => {
  it('with weights, the mean divides by the sum of the weights of the targets', () => {
    const ce = new CrossEntropyLoss(2, 3, { weight: [1, 3] });
    const logits = Float32Array.from([0, 0, 2, 0, 0, 2]);
    const target = Float32Array.from([0, 0, 1]);
    // rows: [0, 0] → class 0, [2, 0] → class 0, [0, 2] → class 1 (weight 3); S = 1 + 1 + 3
    const perRow = [Math.log(2), Math.log(1 + Math.exp(-2)), Math.log(1 + Math.exp(-2))];
    expect(ce.forward(logits, target, 3)).toBeCloseTo((perRow[0] + perRow[1] + 3 * perRow[2]) / 5, 12);
    expect(ce.lastNormalizer()).toBe(5);
  });

  it('label smoothing 1 is cross-entropy against the uniform distribution', () => {
    const ce = new CrossEntropyLoss(3, 1, { labelSmoothing: 1 });
    const z = [1, -2, 0.5];
    const lse = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
    expect(ce.forward(Float32Array.from(z), Float32Array.from([2]), 1)).toBeCloseTo(z.reduce((s, v) => s + (lse - v), 0) / 3, 12);
  });

  it('starts at ln C from zero logits with weights or smoothing; with both, torch\'s normalizer shifts it', () => {
    const zeros = new Float32Array(20);
    const target = Float32Array.from([0, 1, 3, 3]);
    const weight = [1, 2, 0.5, 3, 1];
    for (const options of [{ weight }, { labelSmoothing: 0.3 }, {}]) {
      const ce = new CrossEntropyLoss(5, 4, options);
      expect(ce.forward(zeros, target, 4)).toBeCloseTo(Math.log(5), 12);
      expect(ce.expectedInitialLoss(5)).toBeCloseTo(Math.log(5), 15);
    }
    // Both: ln C·((1 − ε) + ε·W/C·rows/S) with W = 7.5, S = 1 + 2 + 3 + 3 = 9.
    const both = new CrossEntropyLoss(5, 4, { weight, labelSmoothing: 0.3 });
    expect(both.forward(zeros, target, 4)).toBeCloseTo(Math.log(5) * (0.7 + ((0.3 * 7.5) / 5) * (4 / 9)), 12);
    expect(both.expectedInitialLoss(5)).toBeUndefined();
  });

  it('a batch whose targets all weigh 0 has loss 0/0 = NaN, as in torch', () => {
    const ce = new CrossEntropyLoss(2, 2, { weight: [0, 1] });
    expect(ce.forward(Float32Array.from([1, 2, 3, 4]), Float32Array.from([0, 0]), 2)).toBeNaN();
  });

  it('the normalizer lets chunks combine into the whole-set mean', () => {
    const rng = new Random(5);
    const rows = 9;
    const logits = randomValues(rng, rows * 3, 2);
    const target = Float32Array.from({ length: rows }, (_, r) => (r * 7) % 3);
    for (const loss of [
      new CrossEntropyLoss(3, rows, { weight: [0.5, 2, 1], labelSmoothing: 0.1 }),
      new NllLoss(3, rows, { weight: [3, 1, 0.2] }),
      new MseLoss(3, rows, 'classification'),
    ]) {
      const whole = loss.forward(logits, target, rows);
      let sum = 0;
      let normalizer = 0;
      for (const [start, n] of [[0, 4], [4, 5]]) {
        const value = loss.forward(logits.subarray(start * 3), target.subarray(start), n);
        sum += value * loss.lastNormalizer();
        normalizer += loss.lastNormalizer();
      }
      expect(sum / normalizer).toBeCloseTo(whole, 12);
    }
  });

  it('rejects weights of the wrong length or sign, and smoothing outside [0, 1]', () => {
    expect(() => new CrossEntropyLoss(3, 1, { weight: [1, 2] })).toThrow(/one weight per class/);
    expect(() => new NllLoss(2, 1, { weight: [1, -1] })).toThrow(/≥ 0/);
    expect(() => new CrossEntropyLoss(3, 1, { labelSmoothing: 1.5 })).toThrow(/label_smoothing/);
  });
});

describe('ignore_index and probability targets', () => {
  const logits = Float32Array.of(2, 0, -1, 0.5, 0.5, 3, -2, 1, 0);
  it('an ignored row adds nothing to the loss, its gradient or the mean; all rows ignored is 0/0 = NaN, as in torch', () => {
    const targets = Float32Array.of(0, 1, 1);
    const skipping = new CrossEntropyLoss(3, 3, { ignoreIndex: 1 });
    const first = new CrossEntropyLoss(3, 1);
    expect(skipping.forward(logits, targets, 3)).toBeCloseTo(first.forward(logits.subarray(0, 3), targets.subarray(0, 1), 1), 12);
    expect(skipping.lastNormalizer()).toBe(1);
    expect(Array.from(skipping.backward(3).subarray(3, 9))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(skipping.forward(logits, Float32Array.of(1, 1, 1), 3)).toBeNaN();
    expect(new NllLoss(3, 3, { ignoreIndex: 1 }).forward(logits, Float32Array.of(1, 1, 1), 3)).toBeNaN();
  });

  it('a one-hot probability target is the class-index loss; ignore_index with probabilities is refused (torch too)', () => {
    const hard = new CrossEntropyLoss(3, 3, { labelSmoothing: 0.2, weight: [1, 1, 1] });
    const soft = new CrossEntropyLoss(3, 3, { labelSmoothing: 0.2, weight: [1, 1, 1], probabilities: true });
    const oneHot = Float32Array.of(0, 0, 1, 1, 0, 0, 0, 1, 0);
    expect(soft.forward(logits, oneHot, 3)).toBeCloseTo(hard.forward(logits, Float32Array.of(2, 0, 1), 3), 12);
    expect(() => new CrossEntropyLoss(3, 3, { probabilities: true, ignoreIndex: 0 })).toThrow(/ignore_index 0 needs class-index targets/);
  });

  it('accuracy against probability targets counts the likeliest class (the first on ties; P(class 1) above ½ for one output)', () => {
    const soft = new CrossEntropyLoss(3, 3, { probabilities: true });
    // argmax of the logits: 0, 2, 1; of the targets: 0, 2, and 0 (a tie of 0.4 and 0.4: the first).
    expect(soft.countCorrect(logits, Float32Array.of(0.6, 0.3, 0.1, 0.2, 0.3, 0.5, 0.4, 0.2, 0.4), 3)).toBe(2);
    const binary = new BceWithLogitsLoss(3, 1, {}, true);
    expect(binary.countCorrect(Float32Array.of(1, -1, 0.5), Float32Array.of(0.2, 0.8, 0.5, 0.5, 0.5, 0.5), 3)).toBe(2);
  });
});

describe('nll_loss', () => {
  it('after log_softmax equals cross_entropy, gradient included', () => {
    const z = [0.3, -1.2, 2.2, 0.1, 0.4, -0.5];
    const target = Float32Array.from([2, 0]);
    const logProbs = new Float32Array(6);
    for (let r = 0; r < 2; r++) {
      const row = z.slice(3 * r, 3 * r + 3);
      const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
      row.forEach((v, j) => (logProbs[3 * r + j] = v - lse));
    }
    const nll = new NllLoss(3, 2);
    const ce = new CrossEntropyLoss(3, 2);
    expect(nll.forward(logProbs, target, 2)).toBeCloseTo(ce.forward(Float32Array.from(z), target, 2), 6);
    expect(Array.from(nll.backward(2).subarray(0, 6))).toEqual([0, 0, -0.5, -0.5, 0, 0]);
    expect(nll.expectedInitialLoss(3)).toBeCloseTo(Math.log(3), 15);
  });

  it('clears the gradient of the previous batch', () => {
    const nll = new NllLoss(2, 2);
    nll.forward(Float32Array.from([-1, -1, -1, -1]), Float32Array.from([0, 0]), 2);
    nll.backward(2);
    nll.forward(Float32Array.from([-1, -1, -1, -1]), Float32Array.from([1, 1]), 2);
    expect(Array.from(nll.backward(2).subarray(0, 4))).toEqual([0, -0.5, 0, -0.5]);
  });
});

describe('bce_with_logits', () => {
  it('reads one logit per row and the class index as the 0/1 target', () => {
    const bce = new BceWithLogitsLoss(3);
    expect(bce.modelOutputs).toBe(1);
    const x = Float32Array.from([2, -1, 0]);
    const y = Float32Array.from([1, 0, 1]);
    const expected = (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-1)) + Math.LN2) / 3;
    expect(bce.forward(x, y, 3)).toBeCloseTo(expected, 12);
    expect(() => bce.forward(x, Float32Array.from([2, 0, 1]), 3)).toThrow(/class index in 0..1/);
  });

  it('is finite and exact for huge logits, and NaN propagates', () => {
    const bce = new BceWithLogitsLoss(2);
    expect(bce.forward(Float32Array.from([1000, -1000]), Float32Array.from([0, 1]), 2)).toBeCloseTo(1000, 9);
    expect(Array.from(bce.backward(2).subarray(0, 2))).toEqual([0.5, -0.5]);
    expect(bce.forward(Float32Array.from([NaN, 0]), Float32Array.from([0, 1]), 2)).toBeNaN();
  });

  it('pos_weight multiplies the positive term only', () => {
    const x = Float32Array.from([0.7, 0.7]);
    const plain = new BceWithLogitsLoss(1);
    const weighted = new BceWithLogitsLoss(1, 4);
    const pos = Float32Array.from([1]);
    const neg = Float32Array.from([0]);
    expect(weighted.forward(x, pos, 1)).toBeCloseTo(4 * plain.forward(x, pos, 1), 12);
    expect(weighted.forward(x, neg, 1)).toBeCloseTo(plain.forward(x, neg, 1), 12);
  });

  it('counts logit > 0 as class 1 (a logit of 0 is class 0, like argmax of [0, 0])', () => {
    const bce = new BceWithLogitsLoss(4);
    expect(bce.countCorrect(Float32Array.from([0.1, -0.2, 0, 3]), Float32Array.from([1, 0, 0, 0]), 4)).toBe(3);
  });

  it('expects ln 2 initially without pos_weight; no data-free value with it', () => {
    expect(new BceWithLogitsLoss(1).expectedInitialLoss(2)).toBeCloseTo(Math.LN2, 15);
    expect(new BceWithLogitsLoss(1, 3).expectedInitialLoss(2)).toBeUndefined();
  });
});

describe('bce (probabilities)', () => {
  it('is bce_with_logits of the logit, read from its sigmoid', () => {
    const logits = Float32Array.from([2, -1, 0.3, -4]);
    const y = Float32Array.from([1, 0, 0, 1]);
    const probabilities = logits.map((v) => 1 / (1 + Math.exp(-v)));
    const bce = new BceLoss(4);
    expect(bce.forward(probabilities, y, 4)).toBeCloseTo(new BceWithLogitsLoss(4).forward(logits, y, 4), 6);
    expect(bce.expectedInitialLoss(2)).toBeCloseTo(Math.LN2, 15);
  });

  it('clamps each log at −100, as torch: a certain wrong answer costs 100, not ∞', () => {
    const bce = new BceLoss(2);
    expect(bce.forward(Float32Array.from([1, 0]), Float32Array.from([0, 1]), 2)).toBe(100);
    expect(Array.from(bce.backward(2).subarray(0, 2)).every(Number.isFinite)).toBe(true);
  });

  it('refuses outputs outside [0, 1] (torch raises too), lets NaN through, and counts p > ½ as class 1', () => {
    const bce = new BceLoss(2);
    expect(() => bce.forward(Float32Array.from([0.5, 1.5]), Float32Array.from([0, 1]), 2)).toThrow(/outside \[0, 1\].*sigmoid/);
    expect(bce.forward(Float32Array.from([NaN, 0.5]), Float32Array.from([0, 1]), 2)).toBeNaN();
    expect(bce.countCorrect(Float32Array.from([0.7, 0.5, 0.2]), Float32Array.from([1, 0, 1]), 3)).toBe(2);
  });
});

describe('huber and smooth_l1', () => {
  it('huber is quadratic inside delta and linear with slope delta outside', () => {
    const h = new HuberLoss(1, 2, 'regression', 2);
    expect(h.forward(Float32Array.from([1, 5]), Float32Array.from([0, 0]), 2)).toBeCloseTo((0.5 + 2 * (5 - 1)) / 2, 12);
    expect(Array.from(h.backward(2).subarray(0, 2))).toEqual([0.5, 1]);
  });

  it('smooth_l1 is huber / beta, and beta = 0 is L1 with slope sign(d)', () => {
    const pred = Float32Array.from([0.25, -3, 1.5]);
    const target = new Float32Array(3);
    const s = new SmoothL1Loss(1, 3, 'regression', 0.5);
    const h = new HuberLoss(1, 3, 'regression', 0.5);
    expect(s.forward(pred, target, 3)).toBeCloseTo(h.forward(pred, target, 3) / 0.5, 12);
    const l1 = new SmoothL1Loss(1, 3, 'regression', 0);
    expect(l1.forward(Float32Array.from([0, -3, 1.5]), target, 3)).toBeCloseTo(1.5, 12);
    // torch 1.13's smooth_l1_backward: d ≤ −β → −1, so a zero residual gets −1 when β = 0.
    expect(Array.from(l1.backward(3).subarray(0, 3))).toEqual([-1 / 3, -1 / 3, 1 / 3].map(Math.fround));
  });

  it('l1_loss is |d| with slope sign(d), 0 at a zero residual (torch\'s abs backward)', () => {
    const l1 = new L1Loss(1, 3, 'regression');
    expect(l1.forward(Float32Array.from([0, -3, 1.5]), new Float32Array(3), 3)).toBeCloseTo(1.5, 12);
    expect(Array.from(l1.backward(3).subarray(0, 3))).toEqual([0, -1 / 3, 1 / 3].map(Math.fround));
  });

  it('refuses delta ≤ 0 and beta < 0, as torch does', () => {
    expect(() => new HuberLoss(1, 1, 'regression', 0)).toThrow(/delta/);
    expect(() => new SmoothL1Loss(1, 1, 'regression', -1)).toThrow(/beta/);
  });
});

describe('which model width each loss reads', () => {
  it('modelOutputs: classes, 1 logit for bce_with_logits, targets for regression', () => {
    expect(modelOutputs(lossSpec({ type: 'cross_entropy' }), 3, 'classification')).toBe(3);
    expect(modelOutputs(lossSpec({ type: 'nll_loss' }), 4, 'classification')).toBe(4);
    expect(modelOutputs(lossSpec({ type: 'bce_with_logits' }), 2, 'classification')).toBe(1);
    expect(modelOutputs(lossSpec({ type: 'mse' }), 3, 'classification')).toBe(3);
    expect(modelOutputs(lossSpec({ type: 'huber' }), 2, 'regression')).toBe(2);
    expect(createLoss(lossSpec({ type: 'bce_with_logits' }), 2, 4, 'classification').modelOutputs).toBe(1);
  });

  function specError(f: () => unknown): SpecError {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      return e as SpecError;
    }
    throw new Error('expected a SpecError');
  }

  it('bce_with_logits needs exactly 2 classes and is refused for regression', () => {
    const three = specError(() => createLoss(lossSpec({ type: 'bce_with_logits' }), 3, 4, 'classification'));
    expect(three.path).toEqual(['loss']);
    expect(three.message).toMatch(/2 classes.*has 3 classes.*cross_entropy/);
    expect(specError(() => createLoss(lossSpec({ type: 'bce_with_logits' }), 1, 4, 'regression')).message).toMatch(/regression/);
    expect(specError(() => createLoss(lossSpec({ type: 'nll_loss' }), 1, 4, 'regression')).message).toMatch(/classification/);
  });

  it('checkModelOutputs names the width the loss needs', () => {
    const bce = createLoss(lossSpec({ type: 'bce_with_logits' }), 2, 4, 'classification');
    checkModelOutputs(bce, 1);
    const e = specError(() => checkModelOutputs(bce, 2));
    expect(e.message).toBe('bce_with_logits needs a last linear layer with 1 output for 2 classes (the logit of class 1), not 2');
    expect(e.path).toEqual(['model']);
    expect(specError(() => checkModelOutputs(createLoss(lossSpec({ type: 'cross_entropy' }), 3, 1, 'classification'), 2)).message).toMatch(
      /3 outputs, not 2/,
    );
  });

  it('class weights must have one entry per class (SpecError at loss.weight)', () => {
    const e = specError(() => createLoss(lossSpec({ type: 'cross_entropy', weight: [1, 2] }), 3, 4, 'classification'));
    expect(e.path).toEqual(['loss', 'weight']);
    expect(e.message).toMatch(/3 classes.*2 entries/);
    expect(specError(() => createLoss({ type: 'nll_loss', weight: [1, -2], ignore_index: -100, reduction: 'mean' }, 2, 4, 'classification')).path).toEqual(['loss', 'weight', 1]);
  });

  it('options reach the losses; absent options are torch defaults', () => {
    const huber = createLoss(lossSpec({ type: 'huber', delta: 0.5 }), 1, 1, 'regression');
    expect(huber.forward(Float32Array.from([2]), Float32Array.from([0]), 1)).toBeCloseTo(0.5 * (2 - 0.25), 12);
    const smooth = createLoss(lossSpec({ type: 'smooth_l1' }), 1, 1, 'regression');
    expect(smooth.forward(Float32Array.from([0.5]), Float32Array.from([0]), 1)).toBeCloseTo(0.125, 12);
    const bce = createLoss(lossSpec({ type: 'bce_with_logits', pos_weight: 2 }), 2, 1, 'classification');
    expect(bce.forward(Float32Array.from([0]), Float32Array.from([1]), 1)).toBeCloseTo(2 * Math.LN2, 12);
  });

  it('field tables list every kind with torch defaults; class weights are for cross_entropy and nll_loss', () => {
    expect(LOSS_KINDS).toEqual(['cross_entropy', 'nll_loss', 'mse', 'bce_with_logits', 'bce', 'huber', 'smooth_l1', 'l1_loss']);
    expect(option(LOSSES, 'cross_entropy', 'label_smoothing')).toMatchObject({ default: 0, minimum: 0, maximum: 1 });
    expect(option(LOSSES, 'huber', 'delta')).toMatchObject({ default: 1, exclusiveMinimum: 0 });
    expect(option(LOSSES, 'smooth_l1', 'beta')).toMatchObject({ default: 1, minimum: 0 });
    expect(option(LOSSES, 'bce_with_logits', 'pos_weight')).toMatchObject({ default: 1, minimum: 0 });
    for (const kind of LOSS_KINDS) expect(option(LOSSES, kind, 'reduction')).toMatchObject({ default: 'mean', enum: ['mean', 'sum'] });
    expect(CLASS_WEIGHT_LOSSES).toEqual(['cross_entropy', 'nll_loss']);
  });
});
