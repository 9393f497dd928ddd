import { describe, expect, it } from 'vitest';
import { summarizeActivations } from '../../../engine/probes/activations';
import type { ProbeOptimizer } from '../../../engine/probes/optimizerState';
import { Prober, type ProbeTarget } from '../../../engine/probes/prober';
import { ProbeScratch } from '../../../engine/probes/scratch';
import Ajv from 'ajv';
import * as z from 'zod';
import { isProbeStep, DEFAULT_PROBE_SETTINGS, probeSettings } from '../../../engine/probes/settings';
import { layerRoles } from '../../../engine/probes/roles';

/** A hand-made network state: Linear(2 → 3) → ReLU, batch of 2 rows. */
function target(): ProbeTarget & { weight: { data: Float32Array; grad: Float32Array } } {
  const weight = {
    name: '0.weight',
    shape: [3, 2],
    data: new Float32Array([1, 2, 2, 0, 0, 1]), // ‖W‖ = √10
    grad: new Float32Array([0.3, 0, 0, 0.4, 0, 0]), // ‖g‖ = 0.5
  };
  const bias = { name: '0.bias', shape: [3], data: new Float32Array(3), grad: new Float32Array([0, 1.2, 0]) };
  return {
    rows: 2,
    weight,
    layers: [
      { name: 'Linear(2 → 3)', kind: 'linear', features: 3, output: new Float32Array([1, -2, 0.5, 3, -1, -0.5]) },
      { name: 'ReLU', kind: 'relu', features: 3, output: new Float32Array([1, 0, 0.5, 3, 0, 0]) },
    ],
    params: [weight, bias],
  };
}

const sgd: ProbeOptimizer = { lr: 0.1, momentum: 0.9, spec: { type: 'sgd' } };

describe('Prober', () => {
  it('probes step 1 (initialization) and every `every`-th step', () => {
    const prober = new Prober({ maxRows: 2, layerFeatures: [3, 3], paramSizes: [6, 3] }, { every: 50 });
    expect([1, 2, 49, 50, 51, 100].map((s) => prober.isDue(s))).toEqual([true, false, false, true, false, true]);
    expect(isProbeStep({ ...DEFAULT_PROBE_SETTINGS, at_init: false, every: 0 }, 1)).toBe(false);
  });

  it('measures the actual update against a snapshot taken before the step', () => {
    const t = target();
    const prober = new Prober({ maxRows: 2, layerFeatures: [3, 3], paramSizes: [6, 3] });
    prober.beforeStep(t.params);
    // the "optimizer step": W ← W − 0.1·g
    for (let i = 0; i < 6; i++) t.weight.data[i] -= 0.1 * t.weight.grad[i];
    const record = prober.probe(1, 1, t, sgd);
    const w = record.params[0];
    expect(w.name).toBe('0.weight');
    expect(w.shape).toEqual([3, 2]);
    expect(w.norm).toBeCloseTo(Math.sqrt(10), 6); // before the step
    expect(w.grad_norm).toBeCloseTo(0.5, 6);
    expect(w.update_norm).toBeCloseTo(0.05, 6);
    expect(w.update_ratio).toBeCloseTo(0.05 / Math.sqrt(10), 6);
    expect(w.histogram.counts.reduce((a, b) => a + b, 0)).toBe(6);
    expect([w.histogram.lo, w.histogram.hi]).toEqual([0, 2]);
    // the zero bias has no ratio (no scale), but its update is measured
    expect(record.params[1].update_ratio).toBeUndefined();
    expect(record.params[1].update_norm).toBe(0);
    expect(record.total_grad_norm).toBeCloseTo(Math.sqrt(0.25 + 1.44), 6);
    expect(record).toMatchObject({ kind: 'probe', step: 1, epoch: 1, initial: true, rows: 2, lr: 0.1, momentum: 0.9, optimizer: { type: 'sgd' } });
  });

  it('reports no update without a snapshot, and marks only step 1 initial', () => {
    const t = target();
    const prober = new Prober({ maxRows: 2, layerFeatures: [3, 3], paramSizes: [6, 3] });
    const record = prober.probe(50, 2, t, { lr: 0.01, momentum: undefined, spec: { type: 'adam' } });
    expect(record.params[0].update_ratio).toBeUndefined();
    expect(record.params[0].update_norm).toBeUndefined();
    expect(record.initial).toBeUndefined();
    expect('momentum' in record).toBe(false);
  });

  it('summarizes each layer: roles, dead ReLU units, percentiles, histogram', () => {
    const record = new Prober({ maxRows: 2, layerFeatures: [3, 3], paramSizes: [6, 3] }).probe(1, 1, target(), sgd);
    const [linear, relu] = record.layers;
    expect(linear).toMatchObject({ index: 0, kind: 'linear', role: 'pre-activation', features: 3, count: 6, nonfinite: 0, min: -2, max: 3 });
    expect(linear.dead).toBeUndefined();
    expect(relu).toMatchObject({ index: 1, kind: 'relu', role: 'output', dead: 1, dead_fraction: 1 / 3 });
    expect(relu.mean).toBeCloseTo(4.5 / 6, 6);
    expect(relu.percentiles[3]).toBeCloseTo(0.25, 6); // median of 0,0,0,0.5,1,3
    const h = relu.histogram;
    expect(h.counts.reduce((a, b) => a + b, 0) + h.under + h.over).toBe(6);
    expect(h.counts).toHaveLength(30);
  });

  it('gives the layers\' gradient scale when the loop hands the gradients in', () => {
    const t = target();
    const withGradients: ProbeTarget = {
      ...t,
      layers: t.layers.map((layer) => ({ ...layer, gradient: new Float32Array([1, 1, 1, -1, -1, 3]) })),
    };
    const record = new Prober({ maxRows: 2, layerFeatures: [3, 3], paramSizes: [6, 3] }).probe(5, 1, withGradients, sgd);
    expect(record.layers[0].grad_rms).toBeCloseTo(Math.sqrt(14 / 6), 6);
  });

  it('is allocation-free in its work memory: a second probe reuses the scratch and gives the same record', () => {
    const t = target();
    const prober = new Prober({ maxRows: 2, layerFeatures: [3, 3], paramSizes: [6, 3] });
    const values = prober.scratch.values;
    const snapshots = [...prober.scratch.snapshots];
    prober.beforeStep(t.params);
    const first = prober.probe(7, 1, t, sgd);
    prober.beforeStep(t.params);
    const second = prober.probe(7, 1, t, sgd);
    expect(second).toEqual(first);
    expect(prober.scratch.growths).toBe(0);
    expect(prober.scratch.values).toBe(values);
    prober.scratch.snapshots.forEach((s, i) => expect(s).toBe(snapshots[i]));
    // the layers' own buffers are left untouched by the percentile selection
    expect([...t.layers[1].output]).toEqual([1, 0, 0.5, 3, 0, 0]);
  });

  it('grows the scratch (and counts it) when a layout was too small', () => {
    const prober = new Prober({ maxRows: 1, layerFeatures: [1], paramSizes: [1] });
    prober.beforeStep(target().params);
    prober.probe(1, 1, target(), sgd);
    expect(prober.scratch.growths).toBeGreaterThan(0);
  });

  it('records non-finite values without letting them into any statistic', () => {
    const t = target();
    const prober = new Prober({ maxRows: 2, layerFeatures: [3, 3], paramSizes: [6, 3] });
    prober.beforeStep(t.params);
    t.weight.data[0] = NaN;
    t.weight.grad[1] = Infinity;
    (t.layers[0].output as Float32Array)[0] = NaN;
    const record = prober.probe(3, 1, t, sgd);
    expect(record.params[0].nonfinite).toBe(1);
    expect(record.params[0].grad_nonfinite).toBe(1);
    expect(record.layers[0].nonfinite).toBe(1);
    expect(JSON.parse(JSON.stringify(record))).toEqual(record); // nothing JSON would turn into null
    expect(record.params[0].update_norm).toBeUndefined();
  });

  it('summarizes Adam\'s effective step size from the live state', () => {
    const t = target();
    const grads = [0.1, 0.2, 0.4];
    const beta2 = 0.999;
    // after one Adam step: v = (1 − β2)·g², so v̂ = g², and the step per unit of m̂ is lr/(1 − β1)/(|g| + eps)
    const states = [
      { step: 1, exp_avg: new Float32Array(6), exp_avg_sq: new Float32Array(6).fill(0), max_exp_avg_sq: new Float32Array(0) },
      { step: 1, exp_avg: new Float32Array([0.1, 0.1, 0.1]), exp_avg_sq: Float32Array.from(grads, (g) => (1 - beta2) * g * g), max_exp_avg_sq: new Float32Array(0) },
    ];
    const adam: ProbeOptimizer = { lr: 1e-3, momentum: 0.9, spec: { type: 'adam', betas: [0.9, beta2], eps: 1e-8 }, states: () => states };
    const record = new Prober({ maxRows: 2, layerFeatures: [3, 3], paramSizes: [6, 3] }).probe(2, 1, t, adam);
    const bias = record.optimizer?.state?.[1];
    expect(record.optimizer?.step).toBe(1);
    expect(bias?.rms.exp_avg).toBeCloseTo(0.1, 6);
    expect(bias?.rms.max_exp_avg_sq).toBeUndefined(); // empty (no amsgrad) tensors are left out
    const expected = grads.map((g) => 1e-3 / 0.1 / (g + 1e-8)).sort((a, b) => a - b);
    // p50 is the middle one; p5 and p95 interpolate between neighbours
    expect(bias?.effective_lr?.[1]).toBeCloseTo(expected[1], 4);
    expect(bias?.effective_lr?.[0]).toBeCloseTo(expected[0] + 0.1 * (expected[1] - expected[0]), 4);
  });

  it('summarizes batch norm running statistics', () => {
    const t: ProbeTarget = {
      ...target(),
      batchnorm: [{ name: '1', runningMean: new Float32Array([0, 1]), runningVar: new Float32Array([1, 3]), numBatchesTracked: 4 }],
    };
    const record = new Prober({ maxRows: 2, layerFeatures: [3, 3], paramSizes: [6, 3] }).probe(2, 1, t, sgd);
    expect(record.batchnorm).toEqual([
      { name: '1', features: 2, running_mean: { mean: 0.5, min: 0, max: 1 }, running_var: { mean: 2, min: 1, max: 3 }, batches_tracked: 4 },
    ]);
  });
});

describe('summarizeActivations', () => {
  it('counts saturated tanh values', () => {
    const scratch = new ProbeScratch({ maxRows: 2, layerFeatures: [2], paramSizes: [] });
    const s = summarizeActivations(new Float32Array([0.99, -0.995, 0.2, 0.5]), 2, 2, { bins: 10, saturation: 'tanh' }, scratch);
    expect(s.saturated_fraction).toBe(0.5);
    expect(s.dead).toBeUndefined();
  });

  it('rejects a buffer smaller than rows × features', () => {
    const scratch = new ProbeScratch({ maxRows: 2, layerFeatures: [2], paramSizes: [] });
    expect(() => summarizeActivations(new Float32Array(3), 2, 2, { bins: 10 }, scratch)).toThrow(RangeError);
  });
});

describe('layer roles and settings', () => {
  it('labels pre- and post-activations', () => {
    expect(layerRoles(['linear', 'relu', 'linear', 'batch_norm', 'tanh', 'dropout', 'linear'])).toEqual([
      'pre-activation',
      'activation',
      'other',
      'pre-activation',
      'activation',
      'other',
      'output',
    ]);
    expect(layerRoles(['linear', 'maxout', 'linear'])).toEqual(['other', 'activation', 'output']);
  });

  it('checks settings against their documented ranges, filling in the defaults', () => {
    expect(probeSettings.parse({ every: 10 })).toEqual({ ...DEFAULT_PROBE_SETTINGS, every: 10 });
    expect(probeSettings.safeParse({ every: -1 }).success).toBe(false);
    expect(probeSettings.safeParse({ every: 2.5 }).success).toBe(false);
    expect(probeSettings.safeParse({ bins: 1 }).success).toBe(false);
  });

  it('describes the probes section as a JSON schema', () => {
    const validate = new Ajv().compile(z.toJSONSchema(probeSettings, { target: 'draft-7', io: 'input' }));
    expect(validate(DEFAULT_PROBE_SETTINGS)).toBe(true);
    expect(validate({ every: 0.5 })).toBe(false);
    expect(validate({ every: 10, at_init: 'yes' })).toBe(false);
  });
});
