import { describe, expect, it } from 'vitest';
import type { ProbeRecord } from '../../../engine/probes/record';
import { context, deepContext, deepLayers, layer, ofRule, param, probe, runProbes } from './helpers';

/** The default test model's layers (see helpers.context) with per-layer overrides. */
function mlpLayers(relu1: object = {}, relu3: object = {}) {
  return [
    layer(0, 'linear', 'pre-activation'),
    layer(1, 'relu', 'activation', { name: 'ReLU', features: 64, dead: 0, dead_fraction: 0, ...relu1 }),
    layer(2, 'linear', 'pre-activation'),
    layer(3, 'relu', 'activation', { name: 'ReLU', features: 64, dead: 0, dead_fraction: 0, ...relu3 }),
    layer(4, 'linear', 'output', { features: 3 }),
  ];
}

/** Probes at steps 50, 100, ... with the given update ratios of 0.weight and 2.weight. */
function ratioProbes(ratios: readonly [number, number][]): ProbeRecord[] {
  return ratios.map(([a, b], i) =>
    probe(50 * (i + 1), mlpLayers(), [
      param('0.weight', [64, 2], { update_ratio: a }),
      param('0.bias', [64], { update_ratio: 0.5 }), // biases are not judged
      param('2.weight', [64, 64], { update_ratio: b }),
    ]),
  );
}

describe('update-ratio', () => {
  it('names the layer whose ratio stayed below 1e-4 for 3 probes; no learning-rate fix when other layers are fine', () => {
    const findings = ofRule(runProbes(ratioProbes([[5e-5, 1e-3], [9e-5, 1e-3], [9.9e-5, 1e-3]])), 'update-ratio');
    expect(findings).toHaveLength(1);
    // Only one layer: no learning rate for all layers fixes it; the finding is on that layer.
    expect(findings[0]).toMatchObject({ severity: 'warning', step: 150, target: 'low', path: ['model', 0] });
    expect(findings[0].message).toContain('0.weight (1 of 2 weight tensors)');
    expect(findings[0].message).toContain('"somewhere around 0.001"');
    expect(findings[0].related).toEqual([{ message: '0.weight: 9.9e-5', path: ['model', 0] }]);
    expect(findings[0].fix).toBeUndefined();
  });

  it('fixes the learning rate when every weight tensor is off on the same side', () => {
    const [low] = ofRule(runProbes(ratioProbes([[5e-5, 5e-5], [5e-5, 5e-5], [5e-5, 5e-5]])), 'update-ratio');
    // geometric mean 5e-5 is 20× too small: the nearest power of ten is ×10
    expect(low.fix).toEqual({
      title: 'Multiply the learning rate by 10 (0.1 → 1)',
      edits: [{ kind: 'set', path: ['optimizer', 'lr'], value: 1 }],
    });
    expect(low).toMatchObject({ target: 'low', path: ['optimizer', 'lr'] });
    const high = ofRule(runProbes(ratioProbes([[0.2, 0.2], [0.2, 0.2], [0.2, 0.2]])), 'update-ratio');
    expect(high).toHaveLength(1); // one finding, both layers inside it
    expect(high[0].related?.map((r) => r.path)).toEqual([['model', 0], ['model', 2]]);
    expect(high[0].message).toContain('every weight tensor has stayed above 0.01');
    expect(high[0].fix?.edits).toEqual([{ kind: 'set', path: ['optimizer', 'lr'], value: 0.001 }]); // ÷100
  });

  it('blames the learning rate when most weight tensors are off the same way (2 of 3), naming them', () => {
    const probes = [50, 100, 150].map((step) =>
      probe(step, mlpLayers(), [
        param('0.weight', [64, 2], { update_ratio: 0.02 }),
        param('2.weight', [64, 64], { update_ratio: 0.005 }),
        param('4.weight', [3, 64], { update_ratio: 0.03 }),
      ]),
    );
    const [high] = ofRule(runProbes(probes), 'update-ratio');
    expect(high).toMatchObject({ target: 'high', path: ['optimizer', 'lr'] });
    expect(high.message).toContain('0.weight, 4.weight (2 of 3 weight tensors) has stayed above 0.01');
    expect(high.message).toMatch(/learning rate \(0\.1\) is too high/);
  });

  it('says nothing once the loss is well down (below half the initial loss): a converging model is fine', () => {
    const probes = ratioProbes([[5e-5, 5e-5], [5e-5, 5e-5], [5e-5, 5e-5]]);
    const converged = runProbes([probe(1, mlpLayers()), ...probes], context(), {}, (step) => (step === 1 ? 1.1 : 0.3));
    expect(ofRule(converged, 'update-ratio')).toEqual([]);
    // the same ratios while the loss is still up: reported
    const stuck = runProbes([probe(1, mlpLayers()), ...probes], context(), {}, (step) => (step === 1 ? 1.1 : 1.0));
    expect(ofRule(stuck, 'update-ratio')).toHaveLength(1);
  });

  it('needs the condition sustained over 3 probes, strictly outside the band', () => {
    expect(ofRule(runProbes(ratioProbes([[5e-5, 1e-3], [5e-5, 1e-3]])), 'update-ratio')).toEqual([]);
    expect(ofRule(runProbes(ratioProbes([[5e-5, 1e-3], [1.1e-4, 1e-3], [5e-5, 1e-3]])), 'update-ratio')).toEqual([]);
    expect(ofRule(runProbes(ratioProbes([[1e-4, 1e-2], [1e-4, 1e-2], [1e-4, 1e-2]])), 'update-ratio')).toEqual([]);
    expect(ofRule(runProbes(ratioProbes([[5e-5, 1e-3], [5e-5, 1e-3]]), context(), { sustainProbes: 2 }), 'update-ratio')).toHaveLength(1);
  });
});

describe('dead-relu', () => {
  it('at initialization: more than half the units dead → biases of 0.1 (course notes)', () => {
    const findings = ofRule(runProbes([probe(1, mlpLayers({ dead: 33, dead_fraction: 33 / 64 }))]), 'dead-relu');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ target: 'init', step: 1, path: ['init', 'bias'] });
    expect(findings[0].message).toContain('(33 of 64)');
    expect(findings[0].related).toEqual([{ message: 'model[1] (ReLU): 33 of 64 units dead (51.6 %)', path: ['model', 1] }]);
    expect(findings[0].fix?.edits).toEqual([{ kind: 'set', path: ['init', 'bias'], value: { type: 'constant', value: 0.1 } }]);
  });

  it('during training: sustained over 3 probes → leaky ReLU in that layer', () => {
    const dead = { dead: 40, dead_fraction: 0.625 };
    const probes = [probe(50, mlpLayers({}, dead)), probe(100, mlpLayers({}, dead)), probe(150, mlpLayers({}, dead))];
    const findings = ofRule(runProbes(probes), 'dead-relu');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ target: 'training', step: 150, path: ['model', 3] });
    expect(findings[0].fix).toEqual({ title: 'Use leaky ReLU in this layer', edits: [{ kind: 'set', path: ['model', 3], value: { type: 'leaky_relu' } }] });
  });

  it('does not judge a probe batch of fewer than 8 rows (a healthy unit is silent for half the rows)', () => {
    const dead = { dead: 40, dead_fraction: 0.625 };
    expect(ofRule(runProbes([probe(1, mlpLayers(dead), [], { rows: 7 })]), 'dead-relu')).toEqual([]);
    expect(ofRule(runProbes([probe(1, mlpLayers(dead), [], { rows: 8 })]), 'dead-relu')).toHaveLength(1);
    const small = [probe(50, mlpLayers(dead)), probe(100, mlpLayers(dead), [], { rows: 2 }), probe(150, mlpLayers(dead))];
    expect(ofRule(runProbes(small), 'dead-relu')).toEqual([]);
  });

  it('stays quiet at exactly the threshold, or when not sustained', () => {
    expect(ofRule(runProbes([probe(1, mlpLayers({ dead: 32, dead_fraction: 0.5 }))]), 'dead-relu')).toEqual([]);
    const dead = { dead: 40, dead_fraction: 0.625 };
    const probes = [probe(50, mlpLayers({}, dead)), probe(100, mlpLayers({}, { dead_fraction: 0.4 })), probe(150, mlpLayers({}, dead))];
    expect(ofRule(runProbes(probes), 'dead-relu')).toEqual([]);
  });
});

describe('saturated-units', () => {
  const tanhContext = deepContext('tanh', 2, { initWeight: 'normal' });
  const tanhLayers = (fraction: number) => deepLayers('tanh', [0.9, 0.9]).map((l) => (l.kind === 'tanh' ? { ...l, saturated_fraction: fraction } : l));

  it('at initialization: blames the init and offers Xavier with tanh\'s gain', () => {
    const findings = ofRule(runProbes([probe(1, tanhLayers(0.51))], tanhContext), 'saturated-units');
    // One finding for the cause, both layers inside it.
    expect(findings.map((f) => f.target)).toEqual(['init']);
    expect(findings[0].related?.map((r) => r.message)).toEqual(['model[1] (tanh): 51 % saturated', 'model[3] (tanh): 51 % saturated']);
    expect(findings[0].path).toEqual(['init', 'weight']);
    expect(findings[0].message).toContain('gradients will be all zero');
    expect(findings[0].fix?.edits).toEqual([{ kind: 'set', path: ['init', 'weight'], value: { type: 'xavier_normal', gain: 1.66667 } }]);
  });

  it('during training: sustained → batch normalization before that activation', () => {
    const probes = [50, 100, 150].map((s) => probe(s, tanhLayers(0.8)));
    const [first] = ofRule(runProbes(probes, tanhContext), 'saturated-units');
    expect(first).toMatchObject({ step: 150, target: 'training', path: ['model', 1] });
    // Before each saturated activation, from the last one back (indices stay right as edits apply).
    expect(first.fix?.edits).toEqual([3, 1].map((i) => ({ kind: 'insert', path: ['model', i], value: { type: 'batch_norm' } })));
  });

  it('stays quiet at or below the threshold', () => {
    expect(ofRule(runProbes([probe(1, tanhLayers(0.5))], tanhContext), 'saturated-units')).toEqual([]);
  });
});

describe('vanishing-activations / exploding-activations (at initialization)', () => {
  // The course notes' table: 10 tanh layers of 500 units, W = 0.01·randn.
  const courseSmall = [0.213081, 0.047551, 0.01063, 0.002378, 0.000532, 0.000119];
  // Xavier (W = randn/√fan_in) on tanh: "reasonable initialization".
  const courseXavier = [0.627953, 0.486051, 0.407723, 0.357108, 0.320917, 0.292116];

  it('fires on the course notes\' 0.01·randn tanh stack, offering Xavier', () => {
    const ctx = deepContext('tanh', 6, { initWeight: 'normal' });
    const findings = ofRule(runProbes([probe(1, deepLayers('tanh', courseSmall))], ctx), 'vanishing-activations');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ path: ['init', 'weight'], step: 1, evidence: { layers: 6 } });
    expect(findings[0].message).toContain('0.213 → 0.0476 → 0.0106');
    expect(findings[0].fix?.edits[0]).toEqual({ kind: 'set', path: ['init', 'weight'], value: { type: 'xavier_normal', gain: 1.66667 } });
  });

  it('stays quiet on the course notes\' Xavier table, and after initialization', () => {
    const ctx = deepContext('tanh', 6);
    expect(ofRule(runProbes([probe(1, deepLayers('tanh', courseXavier))], ctx), 'vanishing-activations')).toEqual([]);
    expect(ofRule(runProbes([probe(50, deepLayers('tanh', courseSmall))], ctx), 'vanishing-activations')).toEqual([]);
  });

  it('needs 3 ratios in a row below 0.75 (0.75 itself passes)', () => {
    const ctx = deepContext('relu', 4);
    const geometric = (r: number) => [1, r, r * r, r * r * r];
    expect(ofRule(runProbes([probe(1, deepLayers('relu', geometric(0.7499)))], ctx), 'vanishing-activations')).toHaveLength(1);
    expect(ofRule(runProbes([probe(1, deepLayers('relu', geometric(0.75)))], ctx), 'vanishing-activations')).toEqual([]);
    expect(ofRule(runProbes([probe(1, deepLayers('relu', [1, 0.5, 0.25, 0.25]))], ctx), 'vanishing-activations')).toEqual([]);
  });

  it('exploding: std growing by more than 1.33× per layer, Kaiming for ReLU', () => {
    const ctx = deepContext('relu', 4, { initWeight: 'normal' });
    const findings = ofRule(runProbes([probe(1, deepLayers('relu', [0.5, 1, 2, 4]))], ctx), 'exploding-activations');
    expect(findings).toHaveLength(1);
    expect(findings[0].fix?.edits[0]).toEqual({ kind: 'set', path: ['init', 'weight'], value: { type: 'kaiming_normal', nonlinearity: 'relu' } });
    expect(ofRule(runProbes([probe(1, deepLayers('relu', [1, 1.3, 1.69, 2.197]))], ctx), 'exploding-activations')).toEqual([]);
    const geometric = (r: number) => [1, r, r * r, r * r * r];
    expect(ofRule(runProbes([probe(1, deepLayers('relu', geometric(1.3301)))], ctx), 'exploding-activations')).toHaveLength(1);
    expect(ofRule(runProbes([probe(1, deepLayers('relu', geometric(1.33)))], ctx), 'exploding-activations')).toEqual([]);
  });
});

describe('vanishing-gradients / exploding-gradients', () => {
  const ctx = deepContext('relu', 4);
  const stds = [1, 1, 1, 1];

  it('vanishing: the gradient shrinks 10× per layer on the way back → batch norm after every hidden linear', () => {
    const findings = ofRule(runProbes([probe(1, deepLayers('relu', stds, [1e-6, 1e-5, 1e-4, 1e-3]))], ctx), 'vanishing-gradients');
    expect(findings).toHaveLength(1);
    expect(findings[0].path).toEqual(['model']);
    expect(findings[0].message).toContain('0.001 → 1.0e-4 → 1.0e-5 → 1.0e-6 from model[7] back to model[1]');
    // inserted from the back, so each index is still right when its edit is applied
    expect(findings[0].fix?.edits).toEqual([6, 4, 2, 0].map((i) => ({ kind: 'insert', path: ['model', i + 1], value: { type: 'batch_norm' } })));
  });

  it('exploding: the gradient grows on the way back → clip the gradient norm (unless clipping is on)', () => {
    const layers = deepLayers('relu', stds, [1, 0.1, 0.01, 0.001]);
    const [finding] = ofRule(runProbes([probe(1, layers)], ctx), 'exploding-gradients');
    expect(finding.path).toEqual(['training', 'clip_grad_norm']);
    expect(finding.fix?.edits).toEqual([{ kind: 'set', path: ['training', 'clip_grad_norm'], value: { max_norm: 1 } }]);
    // With clipping already on, clipping is not the advice: the weights' scale is.
    const [clipped] = ofRule(runProbes([probe(1, layers)], deepContext('relu', 4, { clipping: true, initWeight: 'normal' })), 'exploding-gradients');
    expect(clipped.path).toEqual(['init', 'weight']);
    expect(clipped.message).toContain('Gradient clipping is already on');
    expect(clipped.message).not.toMatch(/can be mitigated using gradient clipping/);
    expect(clipped.fix?.edits).toEqual([{ kind: 'set', path: ['init', 'weight'], value: { type: 'kaiming_normal', nonlinearity: 'relu' } }]);
  });

  it('edges: a shrink to 0.7499 per layer fires, 0.75 does not; growth 2.0001 fires, 2 does not (1.5, what Xavier or Kaiming layers show, neither)', () => {
    // gradient RMS in model order; going back each layer multiplies it by r
    const backwards = (r: number) => [r * r * r, r * r, r, 1];
    const fires = (rule: string, r: number) => ofRule(runProbes([probe(1, deepLayers('relu', stds, backwards(r)))], ctx), rule).length;
    expect(fires('vanishing-gradients', 0.7499)).toBe(1);
    expect(fires('vanishing-gradients', 0.75)).toBe(0);
    expect(fires('exploding-gradients', 2.0001)).toBe(1);
    expect(fires('exploding-gradients', 2)).toBe(0);
    expect(fires('exploding-gradients', 1.5)).toBe(0);
  });

  it('after initialization the condition must hold for 3 probes', () => {
    const bad = deepLayers('relu', stds, [1e-6, 1e-5, 1e-4, 1e-3]);
    const fine = deepLayers('relu', stds, [1, 1, 1, 1]);
    expect(ofRule(runProbes([probe(50, bad), probe(100, bad), probe(150, bad)], ctx), 'vanishing-gradients')).toHaveLength(1);
    expect(ofRule(runProbes([probe(50, bad), probe(100, fine), probe(150, bad)], ctx), 'vanishing-gradients')).toEqual([]);
  });

  it('stays quiet on a healthy gradient profile, or without layer gradients', () => {
    expect(ofRule(runProbes([probe(1, deepLayers('relu', stds, [0.8, 0.9, 0.95, 1]))], ctx), 'vanishing-gradients')).toEqual([]);
    expect(ofRule(runProbes([probe(1, deepLayers('relu', stds))], ctx), 'vanishing-gradients')).toEqual([]);
  });
});
