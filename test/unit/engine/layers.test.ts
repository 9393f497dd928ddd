import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../../engine/core/jsKernels';
import { Random } from '../../../engine/core/random';
import type { InitSpec, LayerSpec } from '../../../engine/experiment/spec';
import { SpecError } from '../../../engine/experiment/specError';
import { ReLU, Tanh } from '../../../engine/nn/activations';
import { Linear } from '../../../engine/nn/linear';
import { buildModel } from '../../../engine/nn/sequential';

const DEFAULT_INIT: InitSpec = { weight: { type: 'default' }, bias: { type: 'default' } };

function linear(inFeatures: number, outFeatures: number, maxRows = 4, bias = true, inputGradient = true): Linear {
  return new Linear({ name: '0', inFeatures, outFeatures, bias, maxRows, kernels: jsKernels, inputGradient });
}

describe('Linear', () => {
  // W = [[1, 2], [3, 4], [5, 6]] (out=3, in=2, stored [out, in] as torch), b = [0.5, -1, 2]
  function handSet(): Linear {
    const layer = linear(2, 3);
    layer.weight.data.set([1, 2, 3, 4, 5, 6]);
    layer.bias!.data.set([0.5, -1, 2]);
    return layer;
  }

  it('names and shapes its parameters like torch.nn.Linear', () => {
    const layer = handSet();
    expect(layer.weight.name).toBe('0.weight');
    expect(layer.weight.shape).toEqual([3, 2]);
    expect(layer.bias!.name).toBe('0.bias');
    expect(layer.bias!.shape).toEqual([3]);
    expect(layer.parameters).toEqual([layer.weight, layer.bias]);
    expect(layer.describe()).toBe('Linear(2 → 3)');
    expect(linear(2, 3, 4, false).describe()).toBe('Linear(2 → 3, bias=False)');
    expect(linear(2, 3, 4, false).parameters.length).toBe(1);
  });

  it('computes y = x·Wᵀ + b on a prefix of its buffers', () => {
    const layer = handSet();
    const x = Float32Array.from([1, 1, 2, -1, 99, 99, 99, 99]); // only 2 of 4 rows used
    const y = layer.forward(x, 2, true);
    expect(Array.from(y.subarray(0, 6))).toEqual([3.5, 6, 13, 0.5, 1, 6]);
  });

  it('accumulates parameter gradients and returns the input gradient', () => {
    const layer = handSet();
    const x = Float32Array.from([1, 1, 2, -1]);
    layer.forward(x, 2, true);
    const dy = Float32Array.from([1, 0, 2, 0, 1, -1]);
    const dx = layer.backward(dy, 2);
    // dW = dYᵀ·X: row o = Σ_r dy[r,o]·x[r]
    expect(Array.from(layer.weight.grad)).toEqual([1, 1, 2, -1, 0, 3]);
    expect(Array.from(layer.bias!.grad)).toEqual([1, 1, 1]);
    // dX = dY·W
    expect(Array.from(dx.subarray(0, 4))).toEqual([11, 14, -2, -2]);
    // A second backward adds, like torch's .grad accumulation.
    layer.backward(dy, 2);
    expect(Array.from(layer.weight.grad)).toEqual([2, 2, 4, -2, 0, 6]);
    expect(Array.from(layer.bias!.grad)).toEqual([2, 2, 2]);
  });

  it('skips the input gradient when built without it', () => {
    const layer = linear(2, 3, 4, true, false);
    layer.weight.data.set([1, 2, 3, 4, 5, 6]);
    layer.forward(Float32Array.from([1, 1]), 1, true);
    const dx = layer.backward(Float32Array.from([1, 1, 1]), 1);
    expect(dx.length).toBe(0);
    expect(Array.from(layer.weight.grad)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('refuses more rows than its buffers hold', () => {
    expect(() => linear(2, 3, 2).forward(new Float32Array(6), 3, true)).toThrow(RangeError);
  });
});

describe('activations', () => {
  it('ReLU clamps negatives and passes gradient only where the input was positive (0 at 0, as torch)', () => {
    const relu = new ReLU(3, 2);
    expect(relu.describe()).toBe('ReLU');
    expect(relu.parameters).toEqual([]);
    const y = relu.forward(Float32Array.from([-1, 0, 2, 3, -0.5, 0.25]), 2, true);
    expect(Array.from(y)).toEqual([0, 0, 2, 3, 0, 0.25]);
    const g = relu.backward(Float32Array.from([1, 1, 1, 2, 2, 2]), 2);
    expect(Array.from(g)).toEqual([0, 0, 1, 2, 0, 2]);
  });

  it('Tanh computes tanh and 1 − tanh²', () => {
    const tanh = new Tanh(2, 1);
    expect(tanh.describe()).toBe('Tanh');
    const y = tanh.forward(Float32Array.from([0, 1]), 1, true);
    expect(y[0]).toBe(0);
    expect(y[1]).toBeCloseTo(Math.tanh(1), 6);
    const g = tanh.backward(Float32Array.from([2, 1]), 1);
    expect(g[0]).toBe(2);
    expect(g[1]).toBeCloseTo(1 - Math.tanh(1) ** 2, 6);
  });
});

describe('buildModel', () => {
  const mlp: LayerSpec[] = [
    { type: 'linear', out_features: 8, bias: true },
    { type: 'tanh' },
    { type: 'linear', out_features: 4, bias: false },
    { type: 'relu' },
    { type: 'linear', bias: true },
  ];

  it('names parameters like torch.nn.Sequential state_dict keys and infers widths', () => {
    const model = buildModel(mlp, 2, 3, DEFAULT_INIT, new Random(1), 16, jsKernels);
    expect(model.parameters.map((p) => [p.name, p.shape])).toEqual([
      ['0.weight', [8, 2]],
      ['0.bias', [8]],
      ['2.weight', [4, 8]],
      ['4.weight', [3, 4]],
      ['4.bias', [3]],
    ]);
    expect(model.parameterCount).toBe(16 + 8 + 32 + 12 + 3);
    expect(model.layerDescriptions()).toEqual([
      'Linear(2 → 8)',
      'Tanh',
      'Linear(8 → 4, bias=False)',
      'ReLU',
      'Linear(4 → 3)',
    ]);
    expect(model.describe()).toBe('Sequential(Linear(2 → 8), Tanh, Linear(8 → 4, bias=False), ReLU, Linear(4 → 3))');
    expect(model.inputs).toBe(2);
    expect(model.outputs).toBe(3);
  });

  it('initializes deterministically from the rng, and per-layer init overrides the experiment init', () => {
    const a = buildModel(mlp, 2, 3, DEFAULT_INIT, new Random(5), 4, jsKernels);
    const b = buildModel(mlp, 2, 3, DEFAULT_INIT, new Random(5), 4, jsKernels);
    const c = buildModel(mlp, 2, 3, DEFAULT_INIT, new Random(6), 4, jsKernels);
    expect(Array.from(a.parameters[0].data)).toEqual(Array.from(b.parameters[0].data));
    expect(Array.from(a.parameters[0].data)).not.toEqual(Array.from(c.parameters[0].data));
    expect(a.parameters[0].data.some((v) => v !== 0)).toBe(true);

    const withOverride: LayerSpec[] = [
      { type: 'linear', out_features: 8, bias: true, init: { weight: { type: 'constant', value: 0.5 }, bias: { type: 'zeros' } } },
      { type: 'relu' },
      { type: 'linear', bias: true },
    ];
    const model = buildModel(withOverride, 2, 3, DEFAULT_INIT, new Random(5), 4, jsKernels);
    expect(Array.from(model.parameters[0].data)).toEqual(new Array(16).fill(0.5));
    expect(Array.from(model.parameters[1].data)).toEqual(new Array(8).fill(0));
    expect(model.parameters[2].data.some((v) => v !== 0.5 && v !== 0)).toBe(true);
  });

  it('rejects an explicit last width that differs from the outputs, pointing at out_features', () => {
    const spec: LayerSpec[] = [
      { type: 'linear', out_features: 8, bias: true },
      { type: 'relu' },
      { type: 'linear', out_features: 2, bias: true },
    ];
    let error: unknown;
    try {
      buildModel(spec, 2, 3, DEFAULT_INIT, new Random(1), 4, jsKernels, { task: 'classification' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).path).toEqual(['model', 2, 'out_features']);
    expect((error as SpecError).message).toBe('the last linear layer must output 3 values (one per class), not 2');
    // a matching explicit width is fine
    spec[2] = { type: 'linear', out_features: 3, bias: true };
    expect(buildModel(spec, 2, 3, DEFAULT_INIT, new Random(1), 4, jsKernels).outputs).toBe(3);
  });

  it('requires out_features on every linear layer but the last', () => {
    const spec: LayerSpec[] = [{ type: 'linear', bias: true }, { type: 'relu' }, { type: 'linear', bias: true }];
    expect(() => buildModel(spec, 2, 3, DEFAULT_INIT, new Random(1), 4, jsKernels)).toThrow(
      expect.objectContaining({ name: 'SpecError', path: ['model', 0, 'out_features'] }),
    );
  });

  it('rejects a model without a linear layer at ["model"]', () => {
    expect(() => buildModel([{ type: 'relu' }], 2, 3, DEFAULT_INIT, new Random(1), 4, jsKernels)).toThrow(
      expect.objectContaining({ name: 'SpecError', path: ['model'] }),
    );
  });

  it('runs forward and backward through the stack', () => {
    const model = buildModel(mlp, 2, 3, DEFAULT_INIT, new Random(2), 4, jsKernels, { inputGradient: true });
    const x = Float32Array.from([0.3, -0.7, 1.1, 0.2]);
    const y = model.forward(x, 2, true);
    expect(y.length).toBe(4 * 3);
    expect(Array.from(y.subarray(0, 6)).every(Number.isFinite)).toBe(true);
    const dx = model.backward(new Float32Array(12).fill(1), 2);
    expect(dx.length).toBe(4 * 2);
    expect(model.parameters[0].grad.some((v) => v !== 0)).toBe(true);
    model.zeroGrad();
    expect(model.parameters.every((p) => p.grad.every((v) => v === 0))).toBe(true);
  });
});
