import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { RULES, ruleById } from '../../../engine/diagnostics/catalogue';
import { runContextFromSpec } from '../../../engine/train/runDiagnostics';
import { Diagnostician } from '../../../engine/diagnostics/diagnostician';
import { formatFinding } from '../../../engine/diagnostics/finding';
import { LossWindow } from '../../../engine/diagnostics/observations';
import * as z from 'zod';
import { DEFAULT_THRESHOLDS, thresholdOptions } from '../../../engine/diagnostics/thresholds';
import type { ExperimentSpec } from '../../../engine/experiment/sections';
import type { EpochRecord, StepRecord } from '../../../engine/train/events';
import { context, layer, param, probe } from './helpers';
import { lossSpec } from '../specs';

describe('the catalogue', () => {
  it('has every rule, each with a unique id and documented thresholds', () => {
    expect(RULES.map((r) => r.id)).toEqual([
      'nan-loss',
      'nan-parameters',
      'exploding-loss',
      'vanishing-activations',
      'exploding-activations',
      'saturated-units',
      'dead-relu',
      'vanishing-gradients',
      'exploding-gradients',
      'initial-loss',
      'update-ratio',
      'loss-flat',
      'overfitting',
      'underfitting',
    ]);
    for (const rule of RULES) {
      expect(rule.title.length).toBeGreaterThan(0);
      expect(rule.description.length).toBeGreaterThan(0);
      expect(rule.on.length).toBeGreaterThan(0);
      for (const key of rule.thresholds) expect(thresholdOptions.shape[key]).toBeDefined();
    }
    expect(RULES.filter((r) => r.severity === 'error').map((r) => r.id)).toEqual(['nan-loss', 'nan-parameters', 'exploding-loss']);
    expect(ruleById('dead-relu')?.severity).toBe('warning');
  });
});

describe('thresholds', () => {
  it('takes its defaults from the documented table', () => {
    expect(DEFAULT_THRESHOLDS.explodingLossFactor).toBe(3);
    expect(DEFAULT_THRESHOLDS.updateRatioLow).toBe(1e-4);
    expect(DEFAULT_THRESHOLDS.updateRatioHigh).toBe(1e-2);
    expect(DEFAULT_THRESHOLDS.flatWindow).toBe(200);
    // Every default is within its own range.
    expect(thresholdOptions.safeParse(DEFAULT_THRESHOLDS).success).toBe(true);
  });

  it('checks overrides, naming the key', () => {
    expect(thresholdOptions.parse({ deadFraction: 0.8 }).deadFraction).toBe(0.8);
    const rejected = (value: object): PropertyKey[] => thresholdOptions.safeParse(value).error?.issues.map(i => i.path[0]) ?? [];
    expect(rejected({ deadFraction: 1.5 })).toEqual(['deadFraction']);
    expect(rejected({ flatWindow: 10.5 })).toEqual(['flatWindow']);
    expect(thresholdOptions.safeParse({ nope: 1 }).success).toBe(false);
    expect(rejected({ explodingLossFactor: 'x' })).toEqual(['explodingLossFactor']);
  });

  it('describes itself as a JSON schema that accepts the defaults and rejects bad values', () => {
    const validate = new Ajv().compile(z.toJSONSchema(thresholdOptions, { target: 'draft-7', io: 'input' }));
    expect(validate(DEFAULT_THRESHOLDS)).toBe(true);
    expect(validate({ sustainProbes: 0 })).toBe(false);
    expect(validate({ unknown: 1 })).toBe(false);
  });
});

describe('Diagnostician', () => {
  it('reports each rule once per target and stamps the step and epoch it fired at', () => {
    const d = new Diagnostician(context());
    const relu = (dead: number) => [layer(0, 'linear', 'pre-activation'), layer(1, 'relu', 'activation', { dead, dead_fraction: dead / 32 }), layer(2, 'linear', 'output')];
    d.step(1, 1, 1.1);
    expect(d.probe(probe(1, relu(30)))).toHaveLength(1);
    d.step(2, 1, 1.0);
    expect(d.probe({ ...probe(1, relu(30)), step: 2, initial: true })).toEqual([]);
    expect(d.findings).toHaveLength(1);
    expect(d.findings[0]).toMatchObject({ rule: 'dead-relu', step: 1, epoch: 1 });
  });

  it('dispatches the records of the run\'s stream by kind', () => {
    const d = new Diagnostician(context());
    // The training loop's own records.
    const stepRecord: StepRecord = { kind: 'step', step: 1, epoch: 1, loss: 1.1, lr: 0.1 };
    const epochRecord: EpochRecord = { kind: 'epoch', epoch: 1, step: 1, train_loss: 1, lr: 0.1, elapsed_ms: 5 };
    const findings = [
      ...d.observe(stepRecord),
      ...d.observe(probe(1, [layer(0, 'linear', 'output')], [param('0.weight', [3, 2], { nonfinite: 1 })])),
    ];
    expect(findings.map((f) => f.rule)).toEqual(['nan-parameters']);
    expect(d.stopFinding?.rule).toBe('nan-parameters');
    d.observe(epochRecord);
    expect(d.observations.epochs).toHaveLength(1);
  });

  it('skips disabled rules and applies threshold overrides', () => {
    const d = new Diagnostician(context(), { disabled: ['exploding-loss'], thresholds: { explodingLossFactor: 2 } });
    d.step(1, 1, 1);
    expect(d.step(2, 1, 10)).toEqual([]);
    expect(d.shouldStop).toBe(false);
    expect(d.thresholds.explodingLossFactor).toBe(2);
  });

  it('keeps only the probes the sustained checks need', () => {
    const d = new Diagnostician(context());
    for (let s = 1; s <= 10; s++) d.probe(probe(s * 50, [layer(0, 'linear', 'output')]));
    expect(d.observations.probes.map((p) => p.step)).toEqual([400, 450, 500]);
  });

  it('formats a finding for the command line', () => {
    expect(formatFinding({ severity: 'warning', message: 'The loss has barely moved.' })).toBe('warning: The loss has barely moved.');
  });
});

describe('LossWindow', () => {
  it('keeps the latest losses in a ring', () => {
    const w = new LossWindow(3);
    [1, 2, 3, 4, 5].forEach((loss, i) => w.push(i + 1, loss));
    expect([w.at(0), w.at(1), w.at(2)]).toEqual([3, 4, 5]);
    expect(w.mean(0, 3)).toBe(4);
    expect(w.firstStep).toBe(3);
    expect(w.full).toBe(true);
  });
});

describe('runContextFromSpec', () => {
  const spec: ExperimentSpec = {
    name: 'x',
    data: { type: 'csv', path: 'd.csv', target: 'y', task: 'classification', standardize: false, validation_split: 0.2, seed: 1 },
    model: [{ type: 'linear', out_features: 16, bias: true }, { type: 'tanh' }, { type: 'linear', bias: true }],
    init: { weight: { type: 'normal', mean: 0, std: 0.01 }, bias: { type: 'zeros' } },
    loss: lossSpec({ type: 'cross_entropy' }),
    optimizer: {
      type: 'lookahead',
      k: 5,
      alpha: 0.5,
      optimizer: { type: 'adam', lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false, decoupled_weight_decay: false },
    },
    training: { epochs: 3, batch_size: 8, seed: 1, shuffle: true },
  };

  it('reads what the rules need from the resolved experiment', () => {
    const ctx = runContextFromSpec(spec, { task: 'classification', expectedInitialLoss: Math.log(4) });
    expect(ctx).toEqual({
      task: 'classification',
      expectedInitialLoss: Math.log(4),
      layers: [{ index: 0, kind: 'linear', outFeatures: 16 }, { index: 1, kind: 'tanh' }, { index: 2, kind: 'linear' }],
      optimizer: { type: 'adam', lr: 0.001, lrPath: ['optimizer', 'optimizer', 'lr'], weightDecay: 0, weightDecayPath: ['optimizer', 'optimizer', 'weight_decay'] },
      data: { type: 'csv', standardize: false },
      initWeight: 'normal',
      clipping: false,
    });
  });

  it('notices gradient clipping in the training section', () => {
    const clipped = { ...spec, training: { ...spec.training, clip_grad_norm: { max_norm: 1, norm_type: 2, error_if_nonfinite: false } } };
    expect(runContextFromSpec(clipped, { task: 'classification' }).clipping).toBe(true);
  });
});
