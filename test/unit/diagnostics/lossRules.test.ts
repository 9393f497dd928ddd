import { describe, expect, it } from 'vitest';
import { Diagnostician } from '../../../engine/diagnostics/diagnostician';
import { context, ofRule, param, probe, layer, runLosses, runProbes } from './helpers';

describe('nan-loss', () => {
  it('stops the run at the step the loss became NaN, blaming the learning rate', () => {
    const { d, findings } = runLosses([1.1, 1.0, NaN, NaN]);
    const nan = ofRule(findings, 'nan-loss');
    expect(nan).toHaveLength(1); // once per run
    expect(nan[0]).toMatchObject({ severity: 'error', step: 3, path: ['optimizer', 'lr'] });
    expect(nan[0].message).toContain('NaN almost always means the learning rate is too high');
    expect(nan[0].fix).toEqual({
      title: 'Divide the learning rate by 10 (0.1 → 0.01)',
      edits: [{ kind: 'set', path: ['optimizer', 'lr'], value: 0.01 }],
    });
    expect(d.shouldStop).toBe(true);
    expect(d.stopFinding).toBe(nan[0]);
  });

  it('fires on an infinite epoch evaluation too', () => {
    const d = new Diagnostician(context());
    d.step(1, 1, 1.1);
    const findings = d.epoch({ epoch: 1, step: 1, train_loss: 0.9, val_loss: Infinity });
    expect(ofRule(findings, 'nan-loss')[0].message).toContain('Infinity in the evaluation after epoch 1');
  });

  it('stays quiet on finite losses', () => {
    const { d, findings } = runLosses([1.1, 1.0, 0.9, 3.2]);
    expect(ofRule(findings, 'nan-loss')).toEqual([]);
    expect(d.shouldStop).toBe(false);
  });

  it('points inside lookahead at the inner optimizer\'s learning rate', () => {
    const ctx = context({ optimizer: { type: 'adam', lr: 0.003, lrPath: ['optimizer', 'optimizer', 'lr'] } });
    const nan = ofRule(runLosses([1.1, NaN], ctx).findings, 'nan-loss')[0];
    expect(nan.path).toEqual(['optimizer', 'optimizer', 'lr']);
    expect(nan.fix?.edits).toEqual([{ kind: 'set', path: ['optimizer', 'optimizer', 'lr'], value: 0.0003 }]);
  });
});

describe('nan-parameters', () => {
  it('stops the run when a probe finds NaN weights or gradients', () => {
    const layers = [layer(0, 'linear', 'output')];
    const findings = runProbes([
      probe(1, layers, [param('0.weight', [3, 2])]),
      probe(50, layers, [param('0.weight', [3, 2], { nonfinite: 2 }), param('0.bias', [3], { grad_nonfinite: 1 })]),
    ]);
    const nan = ofRule(findings, 'nan-parameters');
    expect(nan).toHaveLength(1);
    expect(nan[0]).toMatchObject({ severity: 'error', step: 50, path: ['optimizer', 'lr'], evidence: { nonfinite: 2, grad_nonfinite: 1 } });
    expect(nan[0].message).toContain('0.weight, 0.bias');
    expect(nan[0].fix?.edits).toEqual([{ kind: 'set', path: ['optimizer', 'lr'], value: 0.01 }]);
  });

  it('stays quiet while everything is finite', () => {
    const findings = runProbes([probe(1, [layer(0, 'linear', 'output')], [param('0.weight', [3, 2])])]);
    expect(ofRule(findings, 'nan-parameters')).toEqual([]);
  });
});

describe('exploding-loss', () => {
  it('stops the run when the loss stays above 3× the initial loss (most of the recent steps)', () => {
    const { d, findings } = runLosses([1.0, 2.0, 3.5, 3.2, 4.0]);
    const exploding = ofRule(findings, 'exploding-loss');
    expect(exploding).toHaveLength(1);
    // Steps 3 and 4 make 2 of 4 (not most); step 5 makes 3 of 5.
    expect(exploding[0]).toMatchObject({ severity: 'error', step: 5, path: ['optimizer', 'lr'] });
    expect(exploding[0].message).toContain('"if the cost is ever > 3 × original cost, break out early"');
    expect(exploding[0].message).toContain('most of the last 5 steps (median 3.2 at step 5)');
    expect(exploding[0].evidence).toMatchObject({ loss: 3.2, initial_loss: 1 });
    expect(exploding[0].fix?.edits).toEqual([{ kind: 'set', path: ['optimizer', 'lr'], value: 0.01 }]);
    expect(d.shouldStop).toBe(true);
  });

  it('lets single mini-batch spikes pass: a small batch has them on a healthy run', () => {
    // A loss near 0.1 with one batch in 30 at 5.57 (the batch of 8): never most of the window.
    const losses = Array.from({ length: 600 }, (_, i) => (i > 0 && i % 30 === 0 ? 5.57 : 0.1 + 1 / (1 + i / 10)));
    const { d, findings } = runLosses([1.1, ...losses]);
    expect(ofRule(findings, 'exploding-loss')).toEqual([]);
    expect(d.shouldStop).toBe(false);
  });

  it('fires on an epoch\'s training loss above 3× the initial one', () => {
    const d = new Diagnostician(context());
    d.step(1, 1, 1.0);
    d.step(2, 1, 0.9);
    const findings = ofRule(d.epoch({ epoch: 1, step: 2, train_loss: 3.4, val_loss: 3.6 }), 'exploding-loss');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('The training loss after epoch 1 is 3.4');
    expect(ofRule(new Diagnostician(context()).epoch({ epoch: 1, step: 2, train_loss: 3.4 }), 'exploding-loss')).toEqual([]);
  });

  it('does not fire at exactly 3×, and follows its threshold setting', () => {
    expect(ofRule(runLosses([1.0, 3.0, 3.0, 3.0]).findings, 'exploding-loss')).toEqual([]);
    expect(ofRule(runLosses([1.0, 3.0, 3.0, 3.0], context(), { explodingLossFactor: 2 }).findings, 'exploding-loss')).toHaveLength(1);
  });

  it('needs a positive initial loss to compare with', () => {
    expect(ofRule(runLosses([0, 5, 5, 5]).findings, 'exploding-loss')).toEqual([]);
  });
});

describe('initial-loss', () => {
  const ln3 = Math.log(3);

  it('warns when the first loss is more than 0.5 above ln C, blaming an uncalibrated init (judged one step later without probes)', () => {
    const ctx = context({ initWeight: 'normal' });
    const findings = ofRule(runLosses([ln3 + 0.51, 1.0], ctx).findings, 'initial-loss');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', step: 2, path: ['init', 'weight'] });
    expect(findings[0].message).toContain('ln(3) = 1.1');
    expect(findings[0].fix).toEqual({
      title: 'Use Kaiming initialization for the relu layers',
      edits: [{ kind: 'set', path: ['init', 'weight'], value: { type: 'kaiming_normal', nonlinearity: 'relu' } }],
    });
  });

  it('stays quiet within the tolerance, and for regression', () => {
    expect(ofRule(runLosses([ln3 + 0.49, 1]).findings, 'initial-loss')).toEqual([]);
    expect(ofRule(runLosses([ln3 - 0.49, 1]).findings, 'initial-loss')).toEqual([]);
    expect(ofRule(runLosses([50, 1], context({ task: 'regression', expectedInitialLoss: undefined })).findings, 'initial-loss')).toEqual([]);
  });

  it('blames the data only when the measured inputs are on a large scale; offers to standardize a CSV file', () => {
    const large = { std: 40, maxAbs: 300 };
    const ctx = context({ initWeight: 'default', data: { type: 'csv', standardize: false }, inputScale: large });
    const [finding] = ofRule(runLosses([ln3 + 2, 1], ctx).findings, 'initial-loss');
    expect(finding.path).toEqual(['data', 'standardize']);
    expect(finding.fix?.edits).toEqual([{ kind: 'set', path: ['data', 'standardize'], value: true }]);
    // synthetic data cannot be standardized by a key: the finding points at the data, without a fix
    const [synthetic] = ofRule(runLosses([ln3 + 2, 1], context({ inputScale: large })).findings, 'initial-loss');
    expect(synthetic.path).toEqual(['data']);
    expect(synthetic.fix).toBeUndefined();
    // inputs in [-1, 1] are not the cause, whatever the init
    const [small] = ofRule(runLosses([ln3 + 2, 1], context({ data: { type: 'csv', standardize: false }, inputScale: { std: 0.6, maxAbs: 1 } })).findings, 'initial-loss');
    expect(small.path).toEqual(['init', 'weight']);
    expect(small.message).not.toMatch(/standardize/);
  });

  it("with the initialization probe, blames the layer that scales the signal up: its own init, not the data", () => {
    const ctx = context({
      inputScale: { std: 0.6, maxAbs: 1 },
      layers: [
        { index: 0, kind: 'linear', outFeatures: 64 },
        { index: 1, kind: 'relu' },
        { index: 2, kind: 'linear', ownInit: { weight: 'normal' } },
      ],
    });
    const layers = [layer(0, 'linear', 'pre-activation', { std: 0.5 }), layer(1, 'relu', 'activation', { std: 0.3 }), layer(2, 'linear', 'output', { std: 12 })];
    const d = new Diagnostician(ctx);
    const findings = [...d.step(1, 1, ln3 + 5), ...d.probe(probe(1, layers))];
    const [finding] = ofRule(findings, 'initial-loss');
    expect(finding).toMatchObject({ step: 1, path: ['model', 2, 'init'] });
    expect(finding.message).toContain('model[2] multiplies the spread of its input by 40');
    expect(finding.message).not.toMatch(/standardize/);
    expect(finding.fix?.edits).toEqual([{ kind: 'set', path: ['model', 2, 'init'], value: { weight: { type: 'kaiming_normal', nonlinearity: 'relu' } } }]);
  });

  it('a first loss far below ln C: large logits too (right by chance), blamed the same way; nothing when nothing explains it', () => {
    const large = { std: 12, maxAbs: 40 };
    const [inputs] = ofRule(runLosses([ln3 - 0.51, 1], context({ inputScale: large })).findings, 'initial-loss');
    expect(inputs).toMatchObject({ target: 'low', path: ['data'] });
    expect(inputs.message).toMatch(/well below .*confident before it has learned anything.*standardize them/);
    expect(inputs.message).not.toMatch(/give the target away/);
    const [init] = ofRule(runLosses([ln3 - 0.51, 1], context({ initWeight: 'normal' })).findings, 'initial-loss');
    expect(init).toMatchObject({ target: 'low', path: ['init', 'weight'] });
    // Calibrated initialization, inputs on a normal scale: no cause to name, no noise.
    expect(ofRule(runLosses([ln3 - 0.51, 1], context({ inputScale: { std: 1, maxAbs: 3 } })).findings, 'initial-loss')).toEqual([]);
  });

  it('offers no init fix when the experiment already uses the recommended one', () => {
    const ctx = context({ initWeight: 'normal', layers: [{ index: 0, kind: 'linear', outFeatures: 8 }, { index: 1, kind: 'tanh' }, { index: 2, kind: 'linear' }] });
    const [finding] = ofRule(runLosses([ln3 + 1, 1], ctx).findings, 'initial-loss');
    expect(finding.fix?.edits[0]).toEqual({ kind: 'set', path: ['init', 'weight'], value: { type: 'xavier_normal', gain: 1.66667 } });
    // Already the recommended init: a loss up to twice the tolerance above ln(C) is what such an init
    // gives on a normal scale (nothing said); beyond it, a finding without that fix.
    const already = context({ ...ctx, initWeight: 'xavier_normal' });
    expect(ofRule(runLosses([ln3 + 1, 1], already).findings, 'initial-loss')).toEqual([]);
    expect(ofRule(runLosses([ln3 + 1.5, 1], already).findings, 'initial-loss')[0].fix).toBeUndefined();
  });
});

describe('loss-flat', () => {
  /** 200 steps: 100 at the initial loss, then 100 at (1 − drop) of it. */
  function flatRun(drop: number, level = 1): number[] {
    const initial = 1.1;
    return Array.from({ length: 200 }, (_, i) => (i < 100 ? initial * level : initial * level * (1 - drop)));
  }

  it('warns once the mean loss moved less than 1 % over 200 steps, suggesting a 10× learning rate', () => {
    const { findings } = runLosses(flatRun(0.0099));
    const flat = ofRule(findings, 'loss-flat');
    expect(flat).toHaveLength(1);
    expect(flat[0]).toMatchObject({ severity: 'warning', step: 200, path: ['optimizer', 'lr'] });
    expect(flat[0].message).toContain('"loss barely changing: learning rate is probably too low"');
    expect(flat[0].fix).toEqual({
      title: 'Multiply the learning rate by 10 (0.1 → 1)',
      edits: [{ kind: 'set', path: ['optimizer', 'lr'], value: 1 }],
    });
  });

  it('stays quiet when the loss moves 1 % or more', () => {
    expect(ofRule(runLosses(flatRun(0.0101)).findings, 'loss-flat')).toEqual([]);
  });

  it('stays quiet before the window is full', () => {
    expect(ofRule(runLosses(flatRun(0).slice(0, 199)).findings, 'loss-flat')).toEqual([]);
  });

  it('stays quiet when the loss levelled off well below where it started (converged)', () => {
    const losses = [1.1, ...flatRun(0, 0.5).slice(1)];
    expect(ofRule(runLosses(losses).findings, 'loss-flat')).toEqual([]);
  });
});
