import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../../engine/core/jsKernels';
import { Random } from '../../../engine/core/random';
import type { LayerSpec } from '../../../engine/nn/kinds';
import type { OptimizerSpec } from '../../../engine/optim/kinds';
import { createLoss } from '../../../engine/losses';
import { buildModel } from '../../../engine/nn/sequential';
import { createOptimizer } from '../../../engine/optim';
import { ModelProbeTarget } from '../../../engine/probes/modelTarget';
import { Prober } from '../../../engine/probes/prober';
import { updateRatio } from '../../../engine/probes/stats';
import { layerSpec, lossSpec } from '../specs';

const MODEL: LayerSpec[] = [
  { type: 'linear', out_features: 8, bias: true },
  layerSpec({ type: 'batch_norm' }),
  { type: 'relu' },
  { type: 'linear', out_features: 8, bias: true },
  { type: 'tanh' },
  { type: 'linear', bias: true },
];

const SGD: OptimizerSpec = { type: 'sgd', lr: 0.1, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false };

/** One real training step of the engine's pieces on random data, probed as the loop will do it. */
function probedStep(rows: number) {
  const rng = new Random(3);
  const model = buildModel(MODEL, 4, 3, { weight: { type: 'default' }, bias: { type: 'default' } }, rng.fork('init'), 16, jsKernels, {
    task: 'classification',
  });
  const loss = createLoss(lossSpec({ type: 'cross_entropy' }), 3, 16, 'classification');
  const optimizer = createOptimizer(SGD, model.parameters);
  const target = new ModelProbeTarget(model, MODEL.map((layer) => layer.type));
  const prober = new Prober(target.layout());
  const x = Float32Array.from({ length: rows * 4 }, () => rng.normal());
  const y = Float32Array.from({ length: rows }, (_, i) => i % 3);

  optimizer.zeroGrad();
  const out = model.forward(x, rows, true);
  const value = loss.forward(out, y, rows);
  model.backward(loss.backward(rows), rows);
  const before = model.parameters.map((p) => p.data.slice());
  expect(prober.isDue(1)).toBe(true);
  prober.beforeStep(model.parameters);
  optimizer.step();
  const record = prober.probe(1, 1, target.update(), optimizer);
  return { model, record, before, value, prober };
}

describe('ModelProbeTarget over a real Sequential', () => {
  it('probes every layer of the model with its kind, role and description', () => {
    const { record } = probedStep(12);
    expect(record.rows).toBe(12);
    expect(record.layers.map((l) => [l.index, l.kind, l.role, l.features])).toEqual([
      [0, 'linear', 'other', 8],
      [1, 'batch_norm', 'pre-activation', 8],
      [2, 'relu', 'activation', 8],
      [3, 'linear', 'pre-activation', 8],
      [4, 'tanh', 'activation', 8],
      [5, 'linear', 'output', 3],
    ]);
    expect(record.layers[0].name).toBe('Linear(4 → 8)');
    // batch norm in training mode: each feature of its output has mean 0 and variance 1
    expect(record.layers[1].mean).toBeCloseTo(0, 5);
    expect(record.layers[1].std).toBeCloseTo(1, 2);
    expect(record.layers[2].dead).toBeDefined();
    expect(record.layers[4].saturated_fraction).toBeDefined();
    expect(record.layers.every((l) => l.count === 12 * l.features)).toBe(true);
  });

  it('reports every parameter with the update ratio of the real step', () => {
    const { model, record, before } = probedStep(12);
    expect(record.params.map((p) => p.name)).toEqual(model.parameters.map((p) => p.name));
    model.parameters.forEach((p, i) => {
      const probe = record.params[i];
      const ratio = updateRatio(before[i], p.data);
      if (Number.isNaN(ratio)) expect(probe.update_ratio).toBeUndefined();
      else expect(probe.update_ratio).toBeCloseTo(ratio, 6);
    });
    // the first SGD step with momentum is lr·g, so ‖Δθ‖ = 0.1·‖g‖
    const w = record.params[0];
    expect(w.update_norm).toBeCloseTo(0.1 * w.grad_norm, 5);
    expect(record.lr).toBe(0.1);
    expect(record.momentum).toBe(0.9);
    expect(record.initial).toBe(true);
  });

  it('reads the batch norm running statistics from the model\'s buffers', () => {
    const { record } = probedStep(12);
    expect(record.batchnorm).toHaveLength(1);
    const bn = record.batchnorm![0];
    expect(bn.name).toBe('1');
    expect(bn.features).toBe(8);
    expect(bn.batches_tracked).toBe(1);
    // running_var started at 1 and moved 10 % toward the batch variance
    expect(bn.running_var.min).toBeGreaterThan(0);
  });

  it('sizes the scratch so that probing the real model never grows it', () => {
    const { prober } = probedStep(16);
    expect(prober.scratch.growths).toBe(0);
  });

  it('rejects layer types that do not match the model', () => {
    const { model } = probedStep(4);
    expect(() => new ModelProbeTarget(model, ['linear'])).toThrow(RangeError);
  });
});
