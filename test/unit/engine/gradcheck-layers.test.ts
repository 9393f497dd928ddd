/**
 * Numerical gradient checks for every layer and activation of engine/nn: each analytic gradient
 * (input, and every parameter) against central differences of the scalar Σ y·g for a random g,
 * as in gradcheck.test.ts (float32 storage: ε = 1e-3, atol 2e-4, rtol 1e-2; the perturbed value's
 * actual float32 difference is the denominator). Inputs are kept a margin away from every kink
 * (0 for the rectifiers, ±1 for hardtanh, ±3 for hardswish) and maxout's pieces away from ties, so
 * an ε-step never crosses one. Batch norm is checked in both modes (batch statistics couple the
 * rows; running statistics do not); dropout with a mask fixed by its seed.
 */
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../../engine/core/jsKernels';
import { Random } from '../../../engine/core/random';
import type { InitSpec } from '../../../engine/init';
import type { LayerSpec } from '../../../engine/nn/kinds';
import { activation as createActivation, type LayerInput } from '../specs';
import { BatchNorm1d } from '../../../engine/nn/batchNorm';
import { Dropout } from '../../../engine/nn/dropout';
import type { Layer } from '../../../engine/nn/layer';
import { LayerNorm } from '../../../engine/nn/layerNorm';
import { Maxout } from '../../../engine/nn/maxout';
import { PReLU } from '../../../engine/nn/prelu';
import { buildModel } from '../../../engine/nn/sequential';
import { layerSpec } from '../specs';

const EPS = 1e-3;
const RTOL = 1e-2;
const ATOL = 2e-4;
/**
 * Through eleven float32 layers (two normalizations), rounding noise in Σ y·g reaches ~4e-4 / (2ε)
 * at ε = 1e-3 on the small gradients behind batch norm; ε = 1e-2 shrinks it tenfold while the
 * truncation error of the smooth composite, O(ε²), stays below ATOL (kinks are kept ≥ 0.15 away).
 */
const MODEL_EPS = 1e-2;

/** Uniform values in (−scale, scale), each at least `margin` away from every kink. */
function randomArray(rng: Random, size: number, scale = 1, kinks: readonly number[] = [], margin = 0.05): Float32Array {
  const a = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let v = 0;
    do v = rng.uniformRange(-scale, scale);
    while (kinks.some((k) => Math.abs(v - k) < margin));
    a[i] = v;
  }
  return a;
}

/** Central-difference gradient of `objective` wrt every entry of `values` (restored afterwards). */
function numericGradient(values: Float32Array, objective: () => number, eps = EPS): Float64Array {
  const grad = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const original = values[i];
    values[i] = original + eps;
    const plus = values[i];
    const fPlus = objective();
    values[i] = original - eps;
    const minus = values[i];
    const fMinus = objective();
    values[i] = original;
    grad[i] = (fPlus - fMinus) / (plus - minus);
  }
  return grad;
}

function expectGradientsMatch(analytic: ArrayLike<number>, numeric: Float64Array, label: string, minInformative = 0.2): void {
  expect(analytic.length, label).toBe(numeric.length);
  let informative = 0;
  for (let i = 0; i < numeric.length; i++) {
    const a = analytic[i];
    const n = numeric[i];
    if (Math.abs(a - n) > ATOL + RTOL * Math.max(Math.abs(a), Math.abs(n))) {
      throw new Error(`${label}[${i}]: analytic ${a} vs numeric ${n}`);
    }
    if (Math.abs(n) > 1e-3) informative++;
  }
  // A check of all-zero gradients would prove nothing.
  expect(informative, `${label}: informative entries`).toBeGreaterThanOrEqual(Math.max(1, Math.floor(numeric.length * minInformative)));
}

function dot(y: Float32Array, g: Float32Array, size: number): number {
  let s = 0;
  for (let i = 0; i < size; i++) s += y[i] * g[i];
  return s;
}

/**
 * Checks ∂(Σ y·g)/∂input and ∂/∂parameter. `forward` defaults to the layer's own (in `training`
 * mode); dropout passes one that rebuilds the layer so every evaluation draws the same mask.
 */
function checkLayer(
  layer: Layer,
  rows: number,
  input: Float32Array,
  rng: Random,
  options: { training?: boolean; forward?: (x: Float32Array) => Float32Array; minInformative?: number } = {},
): void {
  const training = options.training ?? true;
  const forward = options.forward ?? ((x: Float32Array) => layer.forward(x, rows, training));
  const outSize = rows * layer.outFeatures;
  const g = randomArray(rng, outSize);
  const objective = () => dot(forward(input), g, outSize);

  layer.forward(input, rows, training);
  for (const p of layer.parameters) p.zeroGrad();
  const gradInput = Float64Array.from(layer.backward(g, rows).subarray(0, rows * layer.inFeatures));
  const analyticParams = layer.parameters.map((p) => Float64Array.from(p.grad));

  const x = input.subarray(0, rows * layer.inFeatures);
  expectGradientsMatch(gradInput, numericGradient(x, objective), `${layer.describe()} input`, options.minInformative);
  layer.parameters.forEach((p, i) => {
    expectGradientsMatch(analyticParams[i], numericGradient(p.data, objective), p.name, options.minInformative);
  });
}

describe('gradient checks: activations', () => {
  const RECTIFIER = [0];
  const cases: [LayerInput, number, readonly number[]][] = [
    [{ type: 'relu' }, 2, RECTIFIER],
    [{ type: 'leaky_relu' }, 2, RECTIFIER],
    [{ type: 'leaky_relu', negative_slope: 0.3 }, 2, RECTIFIER],
    [{ type: 'elu' }, 3, RECTIFIER],
    [{ type: 'elu', alpha: 0.5 }, 3, RECTIFIER],
    [{ type: 'selu' }, 3, RECTIFIER],
    [{ type: 'celu' }, 3, []], // continuously differentiable at 0
    [{ type: 'celu', alpha: 2 }, 3, []],
    [{ type: 'gelu' }, 4, []],
    [{ type: 'gelu', approximate: 'tanh' }, 4, []],
    [{ type: 'silu' }, 4, []],
    [{ type: 'swish' }, 4, []],
    [{ type: 'hardswish' }, 5, [-3, 3]],
    [{ type: 'softplus' }, 4, []],
    [{ type: 'softplus', beta: 2, threshold: 5 }, 2, [2.5]],
    [{ type: 'sigmoid' }, 4, []],
    [{ type: 'tanh' }, 2, []],
    [{ type: 'mish' }, 4, []],
    [{ type: 'hardtanh' }, 2, [-1, 1]],
    [{ type: 'hardtanh', min_val: -2, max_val: 0.5 }, 3, [-2, 0.5]],
    [{ type: 'relu6' }, 8, [0, 6]],
    [{ type: 'hardsigmoid' }, 5, [-3, 3]],
    [{ type: 'softsign' }, 3, []],
    [{ type: 'logsigmoid' }, 4, []],
    [{ type: 'softmax' }, 3, []],
    [{ type: 'log_softmax' }, 3, []],
  ];

  it.each(cases.map(([spec, scale, kinks], i) => [JSON.stringify(spec), spec, scale, kinks, i] as const))(
    '%s',
    (_label, spec, scale, kinks, i) => {
      const rng = new Random(100 + i);
      const rows = 4;
      const features = 5;
      checkLayer(createActivation(spec, features, rows), rows, randomArray(rng, rows * features, scale, kinks), rng, {
        // hardtanh and hardswish are flat on part of their range
        minInformative: 0.1,
      });
    },
  );

  it('{"type":"glu"}', () => {
    const rng = new Random(130);
    checkLayer(createActivation({ type: 'glu' }, 6, 4), 4, randomArray(rng, 24, 3), rng);
  });
});

describe('gradient checks: layers with weights or state', () => {
  it('PReLU with one shared slope and one per feature (input and slopes)', () => {
    const rng = new Random(140);
    for (const numParameters of [1, 5]) {
      const layer = new PReLU({ name: '0', features: 5, numParameters, init: 0.25, maxRows: 6 });
      layer.weight.data.set(randomArray(rng, numParameters, 0.5));
      checkLayer(layer, 6, randomArray(rng, 30, 2, [0]), rng);
    }
  });

  it('Maxout (weight, bias, input; pieces away from ties)', () => {
    const rng = new Random(141);
    const layer = new Maxout({ name: '0', inFeatures: 4, outFeatures: 3, pieces: 3, bias: true, maxRows: 5, kernels: jsKernels, inputGradient: true });
    layer.weight.data.set(randomArray(rng, 36, 1));
    layer.bias!.data.set(randomArray(rng, 9, 0.5));
    const x = randomArray(rng, 20, 1.5);
    // the winner of every unit must lead the runner-up by more than an ε-step can change: a step of
    // ε = 1e-3 in x (|w| < 1) or in w (|x| < 1.5) moves a piece by < 1.5e-3, two pieces by < 3e-3
    const z = layer.linear.forward(x, 5, true);
    let margin = Infinity;
    for (let o = 0; o < 15; o++) {
      const pieces = Array.from(z.subarray(o * 3, o * 3 + 3)).sort((a, b) => b - a);
      margin = Math.min(margin, pieces[0] - pieces[1]);
    }
    expect(margin).toBeGreaterThan(0.005);
    checkLayer(layer, 5, x, rng);
  });

  it.each([
    ['affine, momentum 0.1', { affine: true, momentum: 0.1 as number | null }],
    ['not affine', { affine: false, momentum: 0.1 }],
    ['momentum null', { affine: true, momentum: null }],
  ])('BatchNorm1d in training mode (batch statistics couple the rows): %s', (_label, o) => {
    const rng = new Random(142);
    const layer = new BatchNorm1d({ name: '1', features: 4, eps: 1e-5, momentum: o.momentum, affine: o.affine, trackRunningStats: true, maxRows: 6 });
    if (layer.weight) {
      layer.weight.data.set(randomArray(rng, 4, 1.5, [0], 0.3));
      layer.bias!.data.set(randomArray(rng, 4, 0.5));
    }
    const x = randomArray(rng, 24, 2);
    checkLayer(layer, 6, x, rng, { training: true });
  });

  it('BatchNorm1d in evaluation mode (running statistics are constants)', () => {
    const rng = new Random(143);
    const layer = new BatchNorm1d({ name: '1', features: 4, eps: 1e-5, momentum: 0.1, affine: true, trackRunningStats: true, maxRows: 6 });
    layer.weight!.data.set(randomArray(rng, 4, 1.5, [0], 0.3));
    layer.bias!.data.set(randomArray(rng, 4, 0.5));
    layer.runningMean!.set(randomArray(rng, 4, 1));
    layer.runningVar!.set([0.5, 2, 1.5, 0.8]);
    checkLayer(layer, 6, randomArray(rng, 24, 2), rng, { training: false });
  });

  it('BatchNorm1d without running statistics (batch statistics in both modes)', () => {
    const rng = new Random(144);
    const layer = new BatchNorm1d({ name: '1', features: 3, eps: 1e-5, momentum: 0.1, affine: true, trackRunningStats: false, maxRows: 5 });
    layer.weight!.data.set([0.7, -1.2, 1.5]);
    checkLayer(layer, 5, randomArray(rng, 15, 2), rng, { training: false });
  });

  it.each([true, false])('LayerNorm (elementwise_affine %s)', (affine) => {
    const rng = new Random(145);
    const layer = new LayerNorm({ name: '2', features: 5, eps: 1e-5, elementwiseAffine: affine, maxRows: 4 });
    if (layer.weight) {
      layer.weight.data.set(randomArray(rng, 5, 1.5, [0], 0.3));
      layer.bias!.data.set(randomArray(rng, 5, 0.5));
    }
    checkLayer(layer, 4, randomArray(rng, 20, 2), rng);
  });

  it('Dropout in training (mask fixed by the seed) and evaluation', () => {
    const rng = new Random(146);
    const make = () => new Dropout({ features: 5, p: 0.4, maxRows: 4, rng: new Random(9) });
    const x = randomArray(rng, 20, 2);
    checkLayer(make(), 4, x, rng, { forward: (input) => make().forward(input, 4, true), minInformative: 0.1 });
    checkLayer(make(), 4, x, rng, { training: false });
  });
});

describe('gradient check: a model mixing every kind of layer', () => {
  it('linear, batch norm, gelu, layer norm, prelu, maxout, mish, glu, log_softmax', () => {
    const spec: LayerSpec[] = [
      { type: 'linear', out_features: 6, bias: true },
      layerSpec({ type: 'batch_norm' }),
      layerSpec({ type: 'gelu' }),
      { type: 'linear', out_features: 5, bias: true },
      layerSpec({ type: 'layer_norm' }),
      layerSpec({ type: 'prelu', num_parameters: 5 }),
      layerSpec({ type: 'maxout', out_features: 4, pieces: 2 }),
      { type: 'mish' },
      { type: 'linear', bias: true }, // 6 = 2 × 3 outputs, halved by the glu
      { type: 'glu' },
      { type: 'log_softmax' },
    ];
    const init: InitSpec = { weight: { type: 'normal', mean: 0, std: 0.8 }, bias: { type: 'uniform', a: -0.5, b: 0.5 } };
    const rows = 6;
    // Seeds chosen (by a search over 80) so no PReLU input or maxout pair is near a kink or a tie.
    const model = buildModel(spec, 3, 3, init, new Random(178), rows, jsKernels, { inputGradient: true });
    const rng = new Random(1178);
    const x = randomArray(rng, rows * 3, 1.5);
    const g = randomArray(rng, rows * 3);
    const objective = () => dot(model.forward(x, rows, true), g, rows * 3);

    // PReLU's kink and maxout's ties must be out of an ε-step's reach.
    model.forward(x, rows, true);
    const beforePrelu = model.layerOutputs()[4].subarray(0, rows * 5);
    expect(Math.min(...Array.from(beforePrelu, Math.abs))).toBeGreaterThan(0.15);
    const z = (model.layers[6] as Maxout).linear.forward(model.layerOutputs()[5], rows, true);
    let tie = Infinity;
    for (let o = 0; o < rows * 4; o++) tie = Math.min(tie, Math.abs(z[2 * o] - z[2 * o + 1]));
    expect(tie).toBeGreaterThan(0.15);

    objective();
    model.zeroGrad();
    const dx = Float64Array.from(model.backward(g, rows).subarray(0, rows * 3));
    const analytic = model.parameters.map((p) => Float64Array.from(p.grad));
    for (const [i, p] of model.parameters.entries()) {
      const numeric = numericGradient(p.data, objective, MODEL_EPS);
      if (p.name === '0.bias') {
        // batch norm subtracts the batch mean right after this bias: its gradient is exactly 0
        expect(Math.max(...analytic[i].map(Math.abs))).toBeLessThan(1e-6);
        expect(Math.max(...numeric.map(Math.abs))).toBeLessThan(ATOL);
        continue;
      }
      expectGradientsMatch(analytic[i], numeric, p.name, 0.1);
    }
    expectGradientsMatch(dx, numericGradient(x, objective, MODEL_EPS), 'input');
  });
});
