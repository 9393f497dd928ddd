import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../../engine/core/jsKernels';
import { Random } from '../../../engine/core/random';
import type { InitSpec } from '../../../engine/init';
import type { LayerSpec } from '../../../engine/nn/kinds';
import { SpecError } from '../../../engine/core/errors';
import { ReLU, Tanh } from '../../../engine/nn/activations';
import { BatchNorm1d } from '../../../engine/nn/batchNorm';
import { Dropout } from '../../../engine/nn/dropout';
import { LAYERS } from '../../../engine/nn/kinds';
import { Linear } from '../../../engine/nn/linear';
import { Maxout } from '../../../engine/nn/maxout';
import { PReLU } from '../../../engine/nn/prelu';
import { buildModel } from '../../../engine/nn/sequential';
import maxoutGolden from '../../fixtures/torch/layers_maxout.json';
import preluGolden from '../../fixtures/torch/layers_prelu.json';
import sequentialGolden from '../../fixtures/torch/layers_sequential.json';
import { parseExperiment } from '../../../engine/experiment/parse';
import { type LayerInput, layerSpec, layerSpecs, option } from '../specs';

/** float32 tolerance (torch float32, or float64 rounded to float32, vs the engine). */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], label: string, rtol = 1e-5, atol = 1e-6): void {
  expect(actual.length, `${label}: length`).toBeGreaterThanOrEqual(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`${label}[${i}]: engine ${a} vs torch ${e}`);
    }
  }
}

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

  it('has no buffers', () => {
    expect(linear(2, 3).buffers).toEqual([]);
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

describe('PReLU vs torch', () => {
  const { rows, features } = preluGolden;
  const x = Float32Array.from(preluGolden.x);
  const g = Float32Array.from(preluGolden.g);

  it.each(preluGolden.cases.map((c) => [JSON.stringify(c.spec), c] as const))('%s', (_label, c) => {
    const spec = c.spec as { num_parameters?: number; init?: number };
    const layer = new PReLU({ name: '3', features, numParameters: spec.num_parameters ?? 1, init: spec.init ?? 0.25, maxRows: rows });
    expect(layer.weight.name).toBe('3.weight');
    expect(layer.weight.shape).toEqual([c.weight.length]);
    if (c.spec.num_parameters === undefined) expect(Array.from(layer.weight.data)).toEqual([0.25]);
    layer.weight.data.set(c.weight);
    expectClose(layer.forward(x, rows, true), c.output, 'output');
    expectClose(layer.backward(g, rows), c.grad_input, 'grad_input');
    expectClose(layer.weight.grad, c.grad_weight, 'weight.grad');
  });

  it('accepts one slope or one per feature, nothing else', () => {
    expect(() => new PReLU({ name: '0', features: 4, numParameters: 3, init: 0.25, maxRows: 2 })).toThrow(/num_parameters/);
    expect(new PReLU({ name: '0', features: 4, numParameters: 4, init: 0.25, maxRows: 2 }).describe()).toBe('PReLU(num_parameters=4)');
  });
});

describe('Maxout vs torch (Linear(in, out·k) + view(N, out, k).max(-1))', () => {
  const { rows } = maxoutGolden;

  it.each(maxoutGolden.cases.map((c) => [`${c.in_features} → ${c.out_features}, pieces=${c.pieces}, bias=${c.bias}`, c] as const))(
    '%s',
    (_label, c) => {
      const layer = new Maxout({
        name: '2',
        inFeatures: c.in_features,
        outFeatures: c.out_features,
        pieces: c.pieces,
        bias: c.bias,
        maxRows: rows,
        kernels: jsKernels,
        inputGradient: true,
      });
      expect(layer.parameters.map((p) => [p.name, p.shape])).toEqual(
        c.bias
          ? [
              ['2.weight', [c.out_features * c.pieces, c.in_features]],
              ['2.bias', [c.out_features * c.pieces]],
            ]
          : [['2.weight', [c.out_features * c.pieces, c.in_features]]],
      );
      layer.weight.data.set(c.weight);
      if (c.bias) layer.bias!.data.set((c as { bias_values: number[] }).bias_values);
      expectClose(layer.forward(Float32Array.from(c.x), rows, true), c.output, 'output');
      expectClose(layer.backward(Float32Array.from(c.g), rows), c.grad_input, 'grad_input');
      expectClose(layer.weight.grad, c.grad_weight, 'weight.grad');
      if (c.bias) expectClose(layer.bias!.grad, (c as { grad_bias: number[] }).grad_bias, 'bias.grad');
    },
  );

  it('routes each gradient to the winning piece only', () => {
    const layer = new Maxout({ name: '0', inFeatures: 1, outFeatures: 1, pieces: 3, bias: true, maxRows: 1, kernels: jsKernels, inputGradient: true });
    layer.weight.data.set([1, -1, 0.5]);
    layer.bias!.data.set([0, 0, 1]);
    // x = 3: pieces 3, −3, 2.5 → piece 0 wins
    expect(layer.forward(Float32Array.from([3]), 1, true)[0]).toBe(3);
    layer.backward(Float32Array.from([2]), 1);
    expect(Array.from(layer.weight.grad)).toEqual([6, 0, 0]);
    expect(Array.from(layer.bias!.grad)).toEqual([2, 0, 0]);
    expect(layer.describe()).toBe('Maxout(1 → 1, pieces=3)');
  });
});

describe('buildModel with every layer kind', () => {
  it('has a key table with torch defaults for every kind', () => {
    expect(new Set(LAYERS.types).size).toBe(LAYERS.types.length);
    expect(option(LAYERS, 'batch_norm', 'eps')).toMatchObject({ default: 1e-5 });
    expect(option(LAYERS, 'batch_norm', 'momentum')).toMatchObject({ default: 0.1 });
    expect(option(LAYERS, 'dropout', 'p')).toMatchObject({ default: 0.5 });
    expect(option(LAYERS, 'leaky_relu', 'negative_slope')).toMatchObject({ default: 0.01 });
    expect(option(LAYERS, 'prelu', 'init')).toMatchObject({ default: 0.25 });
  });

  it('builds every kind, with torch defaults for keys left out, and runs forward/backward', () => {
    const spec: LayerSpec[] = LAYERS.types.filter((k) => k !== 'linear' && k !== 'maxout' && k !== 'glu').flatMap((type): LayerSpec[] => [
      { type: 'linear', out_features: 4, bias: true },
      layerSpec({ type } as LayerInput),
    ]);
    spec.push(layerSpec({ type: 'maxout', out_features: 4 }), { type: 'linear', out_features: 6, bias: true }, { type: 'glu' }, { type: 'linear', bias: true });
    const model = buildModel(spec, 3, 2, DEFAULT_INIT, new Random(3), 8, jsKernels, { inputGradient: true });
    expect(model.layers.length).toBe(spec.length);
    const x = Float32Array.from({ length: 8 * 3 }, (_, i) => Math.sin(i));
    const y = model.forward(x, 8, true);
    expect(Array.from(y.subarray(0, 16)).every(Number.isFinite)).toBe(true);
    const dx = model.backward(new Float32Array(16).fill(0.1), 8);
    expect(Array.from(dx.subarray(0, 24)).every(Number.isFinite)).toBe(true);
    expect(Array.from(model.forward(x, 8, false).subarray(0, 16)).every(Number.isFinite)).toBe(true);
    const bn = model.layers.find((l) => l instanceof BatchNorm1d) as BatchNorm1d;
    expect([bn.eps, bn.momentum, bn.weight !== undefined, bn.runningMean !== undefined]).toEqual([1e-5, 0.1, true, true]);
    expect((model.layers.find((l) => l instanceof Dropout) as Dropout).p).toBe(0.5);
    expect((model.layers.find((l) => l instanceof Maxout) as Maxout).pieces).toBe(2);
  });

  it('names parameters and buffers like torch.nn.Sequential and lists the state_dict in torch order', () => {
    const spec: LayerSpec[] = [
      { type: 'linear', out_features: 4, bias: true },
      layerSpec({ type: 'batch_norm' }),
      layerSpec({ type: 'prelu' }),
      { type: 'dropout', p: 0.2 },
      { type: 'maxout', out_features: 3, pieces: 2, bias: false },
      layerSpec({ type: 'layer_norm' }),
      { type: 'linear', bias: true },
    ];
    const model = buildModel(spec, 2, 2, DEFAULT_INIT, new Random(1), 4, jsKernels);
    expect(model.parameters.map((p) => [p.name, p.shape])).toEqual([
      ['0.weight', [4, 2]],
      ['0.bias', [4]],
      ['1.weight', [4]],
      ['1.bias', [4]],
      ['2.weight', [1]],
      ['4.weight', [6, 4]],
      ['5.weight', [3]],
      ['5.bias', [3]],
      ['6.weight', [2, 3]],
      ['6.bias', [2]],
    ]);
    expect(model.buffers.map((b) => b.name)).toEqual(['1.running_mean', '1.running_var', '1.num_batches_tracked']);
    expect(model.stateDict().map((e) => e.name)).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '1.running_mean',
      '1.running_var',
      '1.num_batches_tracked',
      '2.weight',
      '4.weight',
      '5.weight',
      '5.bias',
      '6.weight',
      '6.bias',
    ]);
    expect(model.stateDict()[0].data).toBe(model.parameters[0].data);
    expect(model.layerDescriptions()).toEqual([
      'Linear(2 → 4)',
      'BatchNorm1d(4)',
      'PReLU',
      'Dropout(p=0.2)',
      'Maxout(4 → 3, pieces=2, bias=False)',
      'LayerNorm(3)',
      'Linear(3 → 2)',
    ]);
    // norm layers start at γ = 1, β = 0 whatever the experiment's init; PReLU at 0.25
    expect(Array.from(model.parameters[2].data)).toEqual([1, 1, 1, 1]);
    expect(Array.from(model.parameters[3].data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(model.parameters[4].data)).toEqual([0.25]);
    expect(model.parameters[5].data.some((v) => v !== 0)).toBe(true);
  });

  it('keeps the initial weights of linear layers when norm, dropout or activation layers are added', () => {
    const plain = buildModel([{ type: 'linear', out_features: 5, bias: true }, { type: 'relu' }, { type: 'linear', bias: true }], 3, 2, DEFAULT_INIT, new Random(9), 4, jsKernels);
    const rich = buildModel(
      [
        { type: 'linear', out_features: 5, bias: true },
        layerSpec({ type: 'batch_norm' }),
        layerSpec({ type: 'dropout' }),
        layerSpec({ type: 'gelu' }),
        { type: 'linear', bias: true },
      ],
      3,
      2,
      DEFAULT_INIT,
      new Random(9),
      4,
      jsKernels,
    );
    const linears = rich.parameters.filter((p) => p.name.startsWith('0.') || p.name.startsWith('4.'));
    expect(linears.map((p) => Array.from(p.data))).toEqual(plain.parameters.map((p) => Array.from(p.data)));
  });

  it('exposes each layer\'s output of the last forward for probes', () => {
    const model = buildModel([{ type: 'linear', out_features: 3, bias: true }, { type: 'relu' }, { type: 'linear', bias: true }], 2, 2, DEFAULT_INIT, new Random(4), 4, jsKernels);
    expect(model.layerOutputs().every((o) => o.length === 0)).toBe(true);
    const y = model.forward(Float32Array.from([1, -1, 0.5, 2]), 2, false);
    const outputs = model.layerOutputs();
    expect(outputs.length).toBe(3);
    expect(model.lastRows).toBe(2);
    expect(outputs[2]).toBe(y);
    for (let i = 0; i < 6; i++) expect(outputs[1][i]).toBe(Math.max(0, outputs[0][i]));
    // and each layer's ∂loss/∂output of the last backward
    expect(model.layerOutputGradients().every((o) => o.length === 0)).toBe(true);
    const dy = Float32Array.from([1, -2, 0.5, 3]);
    model.backward(dy, 2);
    const gradients = model.layerOutputGradients();
    expect(gradients[2]).toBe(dy);
    for (let i = 0; i < 6; i++) expect(gradients[0][i]).toBe(outputs[0][i] > 0 ? gradients[1][i] : 0);
    expect(gradients[1].subarray(0, 6).some((v) => v !== 0)).toBe(true);
  });

  it('gives the last linear layer twice the outputs per glu after it', () => {
    const model = buildModel([{ type: 'linear', bias: true }, { type: 'glu' }], 2, 3, DEFAULT_INIT, new Random(1), 4, jsKernels);
    expect(model.layerDescriptions()).toEqual(['Linear(2 → 6)', 'GLU']);
    expect(model.outputs).toBe(3);
  });

  it('lets a maxout layer be the last mapping (it gets the outputs when out_features is left out)', () => {
    const model = buildModel([{ type: 'linear', out_features: 4, bias: true }, layerSpec({ type: 'maxout', pieces: 3 })], 2, 3, DEFAULT_INIT, new Random(1), 4, jsKernels);
    expect(model.outputs).toBe(3);
    expect(model.layerDescriptions()).toEqual(['Linear(2 → 4)', 'Maxout(4 → 3, pieces=3)']);
  });

  it('blames layer settings the widths make impossible on their key', () => {
    const cases: [LayerSpec[], (string | number)[], RegExp][] = [
      [[{ type: 'linear', out_features: 4, bias: true }, layerSpec({ type: 'prelu', num_parameters: 3 }), { type: 'linear', bias: true }], ['model', 1, 'num_parameters'], /1 .* or 4/],
      [[{ type: 'linear', out_features: 5, bias: true }, { type: 'glu' }, { type: 'linear', bias: true }], ['model', 1], /even/],
      [[{ type: 'linear', out_features: 3, bias: true }, { type: 'glu' }], ['model', 0, 'out_features'], /must output 4 values: the model outputs 2 and the glu after it halves the width, not 3/],
      [[layerSpec({ type: 'maxout', bias: true }), { type: 'linear', bias: true }], ['model', 0, 'out_features'], /only the last/],
      [[{ type: 'linear', out_features: 4, bias: true }, layerSpec({ type: 'maxout', out_features: 3 })], ['model', 1, 'out_features'], /last maxout layer must output 2/],
      [[layerSpec({ type: 'batch_norm' }), { type: 'relu' }], ['model'], /no linear layer/],
    ];
    for (const [spec, path, message] of cases) {
      let error: unknown;
      try {
        buildModel(spec, 3, 2, DEFAULT_INIT, new Random(1), 4, jsKernels);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(spec)).toBeInstanceOf(SpecError);
      expect((error as SpecError).path, JSON.stringify(spec)).toEqual(path);
      expect((error as SpecError).message).toMatch(message);
    }
  });

  it('settings impossible in themselves are refused by the experiment format, at their key', () => {
    const problems = (layer: object) =>
      parseExperiment(JSON.stringify({ data: 'spiral', model: [{ type: 'linear', out_features: 4 }, layer, { type: 'linear' }], optimizer: 'adam' }), 'x.experiment.json')
        .problems.filter(p => p.severity === 'error')
        .map(p => [p.path, p.message]);
    expect(problems({ type: 'dropout', p: 1.5 })).toEqual([[['model', 1, 'p'], expect.stringMatching(/less than 1/)]]);
    expect(problems({ type: 'celu', alpha: 0 })).toEqual([[['model', 1, 'alpha'], expect.stringMatching(/alpha/)]]);
    expect(problems({ type: 'hardtanh', min_val: 2 })).toEqual([[['model', 1, 'min_val'], expect.stringMatching(/max_val/)]]);
  });
});

describe('a whole Sequential vs torch', () => {
  const fx = sequentialGolden;
  type Dict = Record<string, number[] | number>;

  function modelFromFixture() {
    const model = buildModel(layerSpecs(fx.layers as LayerInput[]), fx.inputs, fx.outputs, DEFAULT_INIT, new Random(0), fx.rows, jsKernels, {
      inputGradient: true,
    });
    expect(model.stateDict().map((e) => e.name)).toEqual(fx.state_dict_keys);
    const initial = fx.state_dict as Dict;
    for (const entry of model.stateDict()) {
      const value = initial[entry.name];
      if (typeof value === 'number') entry.data[0] = value;
      else entry.data.set(value);
    }
    return model;
  }

  it('same state_dict keys, outputs, gradients and running statistics after a training step', () => {
    const model = modelFromFixture();
    const x = Float32Array.from(fx.x);
    const y = model.forward(x, fx.rows, true);
    expectClose(y.subarray(0, fx.rows * fx.outputs), fx.train.output, 'train output');
    model.zeroGrad();
    const dx = model.backward(Float32Array.from(fx.g), fx.rows);
    expectClose(dx.subarray(0, fx.rows * fx.inputs), fx.train.grad_input, 'grad_input');
    const grads = fx.train.grads as Record<string, number[]>;
    expect(model.parameters.map((p) => p.name)).toEqual(Object.keys(grads));
    for (const p of model.parameters) expectClose(p.grad, grads[p.name], `${p.name}.grad`);
    const after = fx.train.state_dict_after as Dict;
    for (const b of model.buffers) {
      const value = after[b.name];
      if (typeof value === 'number') expect(b.data[0], b.name).toBe(value);
      else expectClose(b.data, value, b.name);
    }
    expectClose(model.forward(x, fx.rows, false).subarray(0, fx.rows * fx.outputs), fx.eval_output, 'eval output');
  });
});
