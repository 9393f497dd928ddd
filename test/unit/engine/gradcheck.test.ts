/**
 * Numerical gradient checks: every analytic gradient against central differences
 * (f(θ + ε) − f(θ − ε)) / (θ₊ − θ₋). The implementation is float32, so the perturbed values are
 * rounded to float32 and the actual difference θ₊ − θ₋ is the denominator; scalar objectives are
 * summed in double. With ε = 1e-3 the float32 rounding of outputs (~1e-7 relative) contributes
 * ~1e-4 absolute error, hence atol 2e-4 and rtol 1e-2 (losses alone, evaluated in double: 1e-4);
 * ReLU inputs are kept away from the kink.
 */
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../../engine/core/jsKernels';
import { Random } from '../../../engine/core/random';
import type { InitSpec } from '../../../engine/init';
import type { LayerSpec } from '../../../engine/nn/kinds';
import { CrossEntropyLoss, MseLoss, type Loss } from '../../../engine/losses';
import { ReLU, Tanh } from '../../../engine/nn/activations';
import type { Layer } from '../../../engine/nn/layer';
import { Linear } from '../../../engine/nn/linear';
import { buildModel } from '../../../engine/nn/sequential';

const EPS = 1e-3;
const RTOL = 1e-2;
const ATOL = 2e-4;

function randomArray(rng: Random, size: number, scale = 1, awayFromZero = 0): Float32Array {
  const a = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let v = 0;
    do v = rng.uniformRange(-scale, scale);
    while (Math.abs(v) < awayFromZero);
    a[i] = v;
  }
  return a;
}

/** Central-difference gradient of `objective` wrt every entry of `values` (restored afterwards). */
function numericGradient(values: Float32Array, objective: () => number): Float64Array {
  const grad = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const original = values[i];
    values[i] = original + EPS;
    const plus = values[i];
    const fPlus = objective();
    values[i] = original - EPS;
    const minus = values[i];
    const fMinus = objective();
    values[i] = original;
    grad[i] = (fPlus - fMinus) / (plus - minus);
  }
  return grad;
}

function expectGradientsMatch(
  analytic: ArrayLike<number>,
  numeric: Float64Array,
  label: string,
  rtol = RTOL,
  atol = ATOL,
): void {
  expect(analytic.length, label).toBe(numeric.length);
  let nonZero = 0;
  for (let i = 0; i < numeric.length; i++) {
    const a = analytic[i];
    const n = numeric[i];
    const tolerance = atol + rtol * Math.max(Math.abs(a), Math.abs(n));
    if (Math.abs(a - n) > tolerance) {
      throw new Error(`${label}[${i}]: analytic ${a} vs numeric ${n}`);
    }
    if (Math.abs(n) > 1e-3) nonZero++;
  }
  // A check of all-zero gradients would prove nothing.
  expect(nonZero, `${label}: informative entries`).toBeGreaterThanOrEqual(Math.max(1, numeric.length / 5));
}

/** Σ g·y in double: a scalar objective whose gradient wrt the layer output is exactly g. */
function dot(y: Float32Array, g: Float32Array, size: number): number {
  let s = 0;
  for (let i = 0; i < size; i++) s += y[i] * g[i];
  return s;
}

function checkLayer(layer: Layer, rows: number, input: Float32Array, rng: Random): void {
  const outSize = rows * layer.outFeatures;
  const g = randomArray(rng, outSize);
  const objective = () => dot(layer.forward(input, rows, true), g, outSize);

  objective();
  for (const p of layer.parameters) p.zeroGrad();
  const gradInput = Float64Array.from(layer.backward(g, rows).subarray(0, rows * layer.inFeatures));
  const analyticParams = layer.parameters.map((p) => Float64Array.from(p.grad));

  expectGradientsMatch(gradInput, numericGradient(input.subarray(0, rows * layer.inFeatures), objective), `${layer.describe()} input`);
  layer.parameters.forEach((p, i) => {
    expectGradientsMatch(analyticParams[i], numericGradient(p.data, objective), p.name);
  });
}

function checkLoss(loss: Loss, pred: Float32Array, target: Float32Array, rows: number): void {
  loss.forward(pred, target, rows);
  const analytic = Float64Array.from(loss.backward(rows).subarray(0, pred.length));
  // The loss is computed in double from float32 inputs, so only the O(ε²) truncation error of the
  // central difference remains: a much tighter tolerance holds.
  const numeric = numericGradient(pred, () => loss.forward(pred, target, rows));
  expectGradientsMatch(analytic, numeric, loss.kind, 1e-4, 1e-6);
}

describe('gradient checks', () => {
  it('Linear: weight, bias and input', () => {
    const rng = new Random(11);
    const layer = new Linear({ name: '0', inFeatures: 4, outFeatures: 3, bias: true, maxRows: 6, kernels: jsKernels, inputGradient: true });
    layer.weight.data.set(randomArray(rng, 12));
    layer.bias!.data.set(randomArray(rng, 3));
    checkLayer(layer, 5, randomArray(rng, 6 * 4), rng);
  });

  it('ReLU (inputs away from the kink at 0)', () => {
    const rng = new Random(12);
    checkLayer(new ReLU(5, 4), 4, randomArray(rng, 20, 2, 0.05), rng);
  });

  it('Tanh', () => {
    const rng = new Random(13);
    checkLayer(new Tanh(5, 4), 4, randomArray(rng, 20, 2), rng);
  });

  it('cross-entropy wrt logits', () => {
    const rng = new Random(14);
    checkLoss(new CrossEntropyLoss(4, 5), randomArray(rng, 20, 3), Float32Array.from([0, 3, 1, 2, 3]), 5);
  });

  it('MSE wrt predictions (regression and one-hot classification)', () => {
    const rng = new Random(15);
    checkLoss(new MseLoss(3, 4, 'regression'), randomArray(rng, 12, 2), randomArray(rng, 12, 2), 4);
    checkLoss(new MseLoss(3, 4, 'classification'), randomArray(rng, 12, 2), Float32Array.from([2, 0, 1, 1]), 4);
  });

  it('a whole MLP (tanh and relu) under cross-entropy, every parameter and the input', () => {
    const spec: LayerSpec[] = [
      { type: 'linear', out_features: 6, bias: true },
      { type: 'tanh' },
      { type: 'linear', out_features: 5, bias: true },
      { type: 'relu' },
      { type: 'linear', bias: true },
    ];
    const init: InitSpec = { weight: { type: 'normal', mean: 0, std: 0.8 }, bias: { type: 'uniform', a: -0.5, b: 0.5 } };
    const rows = 6;
    const model = buildModel(spec, 3, 3, init, new Random(16), rows, jsKernels, { inputGradient: true });
    const rng = new Random(17);
    const x = randomArray(rng, rows * 3, 1.5);
    const target = Float32Array.from([0, 1, 2, 2, 1, 0]);
    const loss = new CrossEntropyLoss(3, rows);
    const objective = () => loss.forward(model.forward(x, rows, true), target, rows);

    // Keep the ReLU away from its kink: no pre-activation may be close enough to 0 for a
    // perturbation of ε to change its sign.
    model.forward(x, rows, true);
    const preActivation = (model.layers[2] as Linear).forward(model.layers[1].forward(model.layers[0].forward(x, rows, true), rows, true), rows, true);
    const margin = Math.min(...Array.from(preActivation.subarray(0, rows * 5), Math.abs));
    expect(margin).toBeGreaterThan(0.02);
    // At least some units must be off, or ReLU's zero branch goes untested.
    expect(Array.from(preActivation.subarray(0, rows * 5)).some((v) => v < 0)).toBe(true);

    objective();
    model.zeroGrad();
    const dx = Float64Array.from(model.backward(loss.backward(rows), rows).subarray(0, rows * 3));
    const analytic = model.parameters.map((p) => Float64Array.from(p.grad));

    for (const [i, p] of model.parameters.entries()) {
      expectGradientsMatch(analytic[i], numericGradient(p.data, objective), p.name);
    }
    expectGradientsMatch(dx, numericGradient(x, objective), 'input');
  });
});
