/**
 * Probes and diagnostics wired into the training loop, end to end through
 * TrainingSession on small synthetic data built by hand.
 */
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../engine/experiment/parse';
import { Random } from '../../../engine/core/random';
import type { DataSplit, Dataset } from '../../../engine/data/dataset';
import type { InitializerSpec } from '../../../engine/init';
import type { LayerSpec } from '../../../engine/nn/kinds';
import type { OptimizerSpec } from '../../../engine/optim/kinds';
import { Parameter } from '../../../engine/core/parameter';
import { createOptimizer, NO_STATE } from '../../../engine/optim';
import type { EpochRecord, FindingRecord, MetricRecord, ProbeRecord, StepRecord, TrainEvent } from '../../../engine/train/events';
import { TrainingSession, type SessionSpec } from '../../../engine/train/session';
import { lossSpec } from '../specs';

/** CS231n's spiral: three arms of `perClass` points in the plane. */
function spiral(perClass: number, seed: number): Dataset {
  const rng = new Random(seed);
  const classes = 3;
  const size = perClass * classes;
  const x = new Float32Array(size * 2);
  const y = new Float32Array(size);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const row = c * perClass + i;
      const r = i / (perClass - 1);
      const t = c * 4 + r * 4 + 0.2 * rng.normal();
      x[2 * row] = r * Math.sin(t);
      x[2 * row + 1] = r * Math.cos(t);
      y[row] = c;
    }
  }
  return { task: 'classification', size, features: 2, outputs: 3, x, y, featureNames: ['x1', 'x2'], classNames: ['a', 'b', 'c'] };
}

/** Unit-Gaussian inputs of `features` columns, labels cycling through `classes`. */
function gaussian(size: number, features: number, classes: number, seed: number): Dataset {
  const rng = new Random(seed);
  const x = Float32Array.from({ length: size * features }, () => rng.normal());
  const y = Float32Array.from({ length: size }, (_, i) => i % classes);
  const names = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
  return { task: 'classification', size, features, outputs: classes, x, y, featureNames: names(features, 'x'), classNames: names(classes, 'c') };
}

const spiralSplit: DataSplit = { train: spiral(100, 1), validation: spiral(30, 2), description: 'spiral' };

const KAIMING_RELU: InitializerSpec = { type: 'kaiming_normal', a: 0, mode: 'fan_in', nonlinearity: 'relu' };
const SGD_MOMENTUM: OptimizerSpec = { type: 'sgd', lr: 0.1, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false };

/** 2-64-64-3 ReLU MLP, Kaiming init (the output layer with gain 1, so the first loss is near ln 3). */
function mlpSpec(overrides: Partial<SessionSpec> = {}, training: Partial<SessionSpec['training']> = {}): SessionSpec {
  return {
    name: 'spiral-mlp',
    data: { type: 'spiral', samples: 390, classes: 3, noise: 0.2, seed: 1, validation_split: 0.23 },
    model: [
      { type: 'linear', out_features: 64, bias: true },
      { type: 'relu' },
      { type: 'linear', out_features: 64, bias: true },
      { type: 'relu' },
      {
        type: 'linear',
        bias: true,
        init: { weight: { type: 'kaiming_normal', a: 0, mode: 'fan_in', nonlinearity: 'linear' }, bias: { type: 'zeros' } },
      },
    ],
    init: { weight: KAIMING_RELU, bias: { type: 'zeros' } },
    loss: lossSpec({ type: 'cross_entropy' }),
    optimizer: SGD_MOMENTUM,
    ...overrides,
    training: { epochs: 4, batch_size: 32, seed: 1, shuffle: true, ...training },
  };
}

function run(spec: SessionSpec, data: DataSplit = spiralSplit) {
  const events: TrainEvent[] = [];
  const session = new TrainingSession(spec, data, { onEvent: (e) => events.push(e) });
  const summary = session.runToEnd();
  const records: MetricRecord[] = events.flatMap((e) => (e.type === 'records' ? e.records : []));
  return { session, summary, events, records };
}

const stepsOf = (records: readonly MetricRecord[]) => records.filter((r): r is StepRecord => r.kind === 'step');
const probesOf = (records: readonly MetricRecord[]) => records.filter((r): r is ProbeRecord => r.kind === 'probe');
const findingsOf = (records: readonly MetricRecord[]) => records.filter((r): r is FindingRecord => r.kind === 'finding');
const epochsOf = (records: readonly MetricRecord[]) => records.filter((r): r is EpochRecord => r.kind === 'epoch');

function sgd(lr: number): OptimizerSpec {
  return { ...SGD_MOMENTUM, lr, momentum: 0 } as OptimizerSpec;
}

describe('a learning rate far too high stops the run where it blew up', () => {
  it('lr = 1e6: the run fails at the step the loss exploded, blaming optimizer.lr with a fix that divides it by 10', () => {
    const { summary, records } = run(mlpSpec({ optimizer: sgd(1e6) }, { epochs: 20 }));
    expect(summary.status).toBe('failed');
    const stop = findingsOf(records).find((f) => f.severity === 'error')!;
    expect(['nan-loss', 'exploding-loss']).toContain(stop.rule);
    expect(summary.stopped_by).toEqual({ rule: stop.rule, step: stop.step });
    expect(summary.error).toBe(stop.message);
    expect(stop.path).toEqual(['optimizer', 'lr']);
    expect(stop.fix?.edits).toEqual([{ kind: 'set', path: ['optimizer', 'lr'], value: 1e5 }]);
    expect(stop.fix?.title).toMatch(/^Divide the learning rate by 10/);
    // the error finding is the run's last record; the steps before it are all kept, in order
    expect(records[records.length - 1]).toBe(stop);
    const steps = stepsOf(records);
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: steps.length }, (_, i) => i + 1));
    const initial = steps[0].loss;
    if (stop.rule === 'exploding-loss') {
      // the step that made the trend cross completed: its record is the last step record, and most
      // of the recent losses (its own among them) are above 3×
      expect(steps[steps.length - 1].step).toBe(stop.step);
      expect(steps[steps.length - 1].loss).toBeGreaterThan(3 * initial);
      const recent = steps.slice(-Math.min(steps.length, 25));
      expect(recent.filter((s) => s.loss > 3 * initial).length * 2).toBeGreaterThan(recent.length);
      expect(summary.steps).toBe(stop.step);
    } else {
      expect(steps[steps.length - 1].step).toBe(stop.step - 1);
      expect(summary.steps).toBe(stop.step - 1);
    }
    expect(summary.steps).toBeLessThan(20 * 11);
    expect(summary.findings?.error).toBe(1);
  });

  it('with exploding-loss disabled it runs on until the loss is NaN, and nan-loss stops it at that very step', () => {
    const { summary, records } = run(mlpSpec({ optimizer: sgd(1e6), diagnostics: { disabled: ['exploding-loss'] } }, { epochs: 20 }));
    expect(summary.status).toBe('failed');
    expect(summary.stopped_by?.rule).toBe('nan-loss');
    const nan = findingsOf(records).find((f) => f.rule === 'nan-loss')!;
    expect(nan.message).toContain('NaN almost always means the learning rate is too high');
    expect(nan.message).toMatch(new RegExp(`^The loss became (NaN|Infinity|-Infinity) at step ${nan.step}\\.`));
    expect(summary.error).toBe(nan.message);
    expect(nan.fix?.edits).toEqual([{ kind: 'set', path: ['optimizer', 'lr'], value: 1e5 }]);
    // the NaN step has no record (NaN does not survive JSON) and was not applied
    const steps = stepsOf(records);
    expect(steps.length).toBe(nan.step - 1);
    expect(steps.every((s) => Number.isFinite(s.loss))).toBe(true);
    expect(summary.stopped_by!.step).toBe(nan.step);
    expect(summary.steps).toBe(nan.step - 1);
    expect(records[records.length - 1]).toBe(nan);
  });

  it('with every stopping rule disabled the old failure remains: "loss became … at step N"', () => {
    const disabled = ['nan-loss', 'exploding-loss', 'nan-parameters'];
    const { summary, records } = run(mlpSpec({ optimizer: sgd(1e6), diagnostics: { disabled } }, { epochs: 20 }));
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/^loss became (NaN|Infinity|-Infinity) at step \d+$/);
    expect(summary.stopped_by).toBeUndefined();
    expect(Number(/step (\d+)/.exec(summary.error!)![1])).toBe(stepsOf(records).length + 1);
  });
});

describe('initialization of a deep tanh network', () => {
  const WIDTH = 100;
  const DEPTH = 6;
  const CLASSES = 10;
  const deepData: DataSplit = {
    train: gaussian(64, WIDTH, CLASSES, 11),
    validation: gaussian(0, WIDTH, CLASSES, 12),
    description: 'gaussian',
  };

  function deepSpec(weight: InitializerSpec): SessionSpec {
    const model: LayerSpec[] = [];
    for (let i = 0; i < DEPTH; i++) model.push({ type: 'linear', out_features: WIDTH, bias: true }, { type: 'tanh' });
    model.push({ type: 'linear', bias: true });
    return {
      name: 'deep-tanh',
      data: { type: 'blobs', samples: 64, classes: CLASSES, noise: 1, seed: 1, validation_split: 0 },
      model,
      init: { weight, bias: { type: 'zeros' } },
      loss: lossSpec({ type: 'cross_entropy' }),
      optimizer: sgd(0.01),
      training: { epochs: 2, batch_size: 64, seed: 1, shuffle: false },
    };
  }

  it('N(0, 0.01²) weights: vanishing-activations fires at step 1 on init.weight, offering Xavier', () => {
    const { records } = run(deepSpec({ type: 'normal', mean: 0, std: 0.01 }), deepData);
    const vanishing = findingsOf(records).find((f) => f.rule === 'vanishing-activations')!;
    expect(vanishing).toBeDefined();
    expect(vanishing.step).toBe(1);
    expect(vanishing.severity).toBe('warning');
    expect(vanishing.path).toEqual(['init', 'weight']);
    expect(vanishing.fix?.edits).toEqual([{ kind: 'set', path: ['init', 'weight'], value: { type: 'xavier_normal', gain: 1.66667 } }]);
    // it comes right after the initialization probe that showed it
    const at = records.indexOf(vanishing);
    const before = records.slice(0, at).reverse().find((r) => r.kind !== 'finding');
    expect(before).toMatchObject({ kind: 'probe', step: 1, initial: true });
    // the probe: each tanh layer's spread about 0.01·√100 = 0.1 times the one before
    const tanh = (before as ProbeRecord).layers.filter((l) => l.kind === 'tanh');
    for (let i = 1; i < tanh.length; i++) expect(tanh[i].std / tanh[i - 1].std).toBeLessThan(0.15);
  });

  it('the same network with Xavier (tanh gain) has no vanishing or exploding findings', () => {
    const { records } = run(deepSpec({ type: 'xavier_normal', gain: 5 / 3 }), deepData);
    expect(findingsOf(records).filter((f) => /vanishing|exploding/.test(f.rule))).toEqual([]);
  });
});

describe('a healthy run', () => {
  it('a Kaiming ReLU MLP at a sane lr learns the spiral without warnings', () => {
    const { summary, records } = run(mlpSpec({}, { epochs: 20 }));
    expect(summary.status).toBe('completed');
    expect(summary.final!.val_accuracy!).toBeGreaterThan(0.9);
    expect(findingsOf(records).filter((f) => f.severity !== 'info')).toEqual([]);
    expect(summary.findings).toEqual({ error: 0, warning: 0, info: findingsOf(records).length });
    expect(summary.stopped_by).toBeUndefined();
  });
});

describe('probes in the loop', () => {
  it('probe step 1 (initial) and every `every`-th step, each right after its step record', () => {
    const { records, session } = run(mlpSpec({ probes: { every: 10 } }));
    const probes = probesOf(records);
    const total = session.header.totalSteps;
    const expected = [1, ...Array.from({ length: Math.floor(total / 10) }, (_, i) => 10 * (i + 1))];
    expect(probes.map((p) => p.step)).toEqual(expected);
    expect(probes[0].initial).toBe(true);
    expect(probes.slice(1).every((p) => p.initial === undefined)).toBe(true);
    for (const probe of probes) {
      const at = records.indexOf(probe);
      expect(records[at - 1]).toMatchObject({ kind: 'step', step: probe.step, epoch: probe.epoch, lr: probe.lr });
    }
  });

  it('carry per-layer statistics, dead ReLU counts, update ratios of the weights and the optimizer state', () => {
    // (every 7: step 10, the last batch of an epoch, has 300 − 9·32 = 12 rows)
    const { records } = run(mlpSpec({ probes: { every: 7 } }));
    const probe = probesOf(records)[1];
    expect(probe.step).toBe(7);
    expect(probe.rows).toBe(32);
    expect(probe.layers.map((l) => [l.index, l.kind, l.role, l.features])).toEqual([
      [0, 'linear', 'pre-activation', 64],
      [1, 'relu', 'activation', 64],
      [2, 'linear', 'pre-activation', 64],
      [3, 'relu', 'activation', 64],
      [4, 'linear', 'output', 3],
    ]);
    for (const layer of probe.layers) {
      expect(layer.count).toBe(32 * layer.features);
      expect(layer.nonfinite).toBe(0);
      expect(layer.std).toBeGreaterThan(0);
      expect(layer.grad_rms).toBeGreaterThan(0);
      expect(layer.histogram.counts.length).toBe(30);
      if (layer.kind === 'relu') {
        expect(layer.dead).toBeGreaterThanOrEqual(0);
        expect(layer.dead_fraction).toBe(layer.dead! / 64);
      } else {
        expect(layer.dead).toBeUndefined();
      }
    }
    expect(probe.params.map((p) => p.name)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
    for (const param of probe.params.filter((p) => p.name.endsWith('weight'))) {
      expect(param.update_ratio).toBeGreaterThan(0);
      expect(param.update_ratio).toBeCloseTo(param.update_norm! / param.norm, 12);
    }
    // SGD with momentum 0.9: the velocity (lr·buf is the step) under torch's key
    expect(probe.momentum).toBe(0.9);
    expect(probe.optimizer?.type).toBe('sgd');
    expect(probe.optimizer?.state?.map((s) => s.name)).toEqual(probe.params.map((p) => p.name));
    for (const s of probe.optimizer!.state!) expect(s.rms.momentum_buffer).toBeGreaterThan(0);
    // the update of a plain momentum step is exactly lr·buf
    const weight = probe.params[0];
    const buf = probe.optimizer!.state![0].rms.momentum_buffer;
    expect(weight.update_norm!).toBeCloseTo(0.1 * buf * Math.sqrt(64 * 2), 5);
  });

  it('Adam reports its effective step size; Lookahead(Adam) is read as Adam plus the slow weights', () => {
    const adam: OptimizerSpec = { type: 'adam', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false, decoupled_weight_decay: false };
    const plain = probesOf(run(mlpSpec({ optimizer: adam, probes: { every: 10 } })).records)[1];
    expect(plain.optimizer?.type).toBe('adam');
    expect(plain.optimizer?.step).toBe(10);
    for (const s of plain.optimizer!.state!) {
      expect(Object.keys(s.rms).sort()).toEqual(['exp_avg', 'exp_avg_sq']); // amsgrad's empty buffer is left out
      expect(s.effective_lr).toHaveLength(3);
      expect(s.effective_lr![0]).toBeLessThanOrEqual(s.effective_lr![2]);
    }
    const lookahead: OptimizerSpec = { type: 'lookahead', k: 5, alpha: 0.5, optimizer: adam } as OptimizerSpec;
    const wrapped = probesOf(run(mlpSpec({ optimizer: lookahead, probes: { every: 10 } })).records)[1];
    expect(wrapped.optimizer?.type).toBe('adam');
    for (const s of wrapped.optimizer!.state!) {
      expect(s.rms.lookahead_slow_buff).toBeGreaterThan(0);
      expect(s.effective_lr).toHaveLength(3);
    }
  });

  it('probes off ({ every: 0, at_init: false }) gives none; every: 0 alone only the initialization probe', () => {
    const off = run(mlpSpec({ probes: { every: 0, at_init: false } }));
    expect(probesOf(off.records)).toEqual([]);
    expect(off.session.probeMemory).toBeUndefined();
    const initOnly = run(mlpSpec({ probes: { every: 0, bins: undefined } }));
    expect(probesOf(initOnly.records).map((p) => p.step)).toEqual([1]);
    // probing reads and never changes the run: the same steps and epochs either way
    const plain = (records: MetricRecord[]) =>
      records.filter((r) => r.kind === 'step' || r.kind === 'epoch').map((r) => (r.kind === 'epoch' ? { ...r, elapsed_ms: 0 } : r));
    const all = run(mlpSpec({ probes: { every: 1, max_overhead: 1 } }));
    expect(plain(all.records)).toEqual(plain(off.records));
    expect(probesOf(all.records)).toHaveLength(all.session.header.totalSteps);
  });

  it('a probe every step of a tiny network: the first 20, then as many as 5 % of the training time affords (the same steps every run)', () => {
    const { records, session } = run(mlpSpec({ probes: { every: 1 } }, { epochs: 60 }));
    // 2-64-64-3 at batch 32: a probe costs about twenty steps (probes/cost.ts).
    const stride = session.probeStride!;
    expect(stride).toBeGreaterThan(100);
    expect(stride).toBeLessThan(1000);
    const steps = probesOf(records).map((p) => p.step);
    const total = session.header.totalSteps;
    const later = Array.from({ length: Math.floor(total / stride) }, (_, i) => (i + 1) * stride).filter((s) => s >= 20);
    expect(steps).toEqual([...Array.from({ length: 19 }, (_, i) => i + 1), ...later]);
    expect(probesOf(run(mlpSpec({ probes: { every: 1 } }, { epochs: 60 })).records).map((p) => p.step)).toEqual(steps);
  });

  it('by default: at step 1 and every 50th step', () => {
    const { records, session } = run(mlpSpec({}, { epochs: 10 }));
    const steps = probesOf(records).map((p) => p.step);
    expect(steps).toEqual([1, 50, 100].filter((s) => s <= session.header.totalSteps));
  });

  it('probing allocates no work memory after the start: the scratch never grows (mini-batch, last partial batch, full batch)', () => {
    // 300 rows in batches of 32: the last batch has 12 rows
    const mini = run(mlpSpec({ probes: { every: 1 } }, { epochs: 3 }));
    const before = new TrainingSession(mlpSpec({ probes: { every: 1 } }, { epochs: 3 }), spiralSplit, { onEvent: () => {} }).probeMemory!;
    expect(mini.session.probeMemory).toEqual({ bytes: before.bytes, growths: 0 });
    expect(probesOf(mini.records).some((p) => p.rows === 300 % 32)).toBe(true);
    const lbfgs = run(lbfgsSpec({ every: 1 }));
    expect(lbfgs.session.probeMemory?.growths).toBe(0);
  });

  function lbfgsSpec(probes: SessionSpec['probes']): SessionSpec {
    const optimizer = {
      type: 'lbfgs',
      lr: 1,
      max_iter: 5,
      tolerance_grad: 1e-7,
      tolerance_change: 1e-9,
      history_size: 10,
      line_search_fn: 'strong_wolfe',
    } as OptimizerSpec;
    return mlpSpec({ optimizer, probes }, { epochs: 5 });
  }

  it('L-BFGS: one full-batch closure step per epoch, probed like any step (rows = the training set)', () => {
    const { records, summary } = run(lbfgsSpec({ every: 2 }));
    expect(summary.status).toBe('completed');
    const probes = probesOf(records);
    expect(probes.map((p) => p.step)).toEqual([1, 2, 4]);
    expect(probes[0].initial).toBe(true);
    for (const probe of probes) {
      expect(probe.rows).toBe(300);
      expect(records[records.indexOf(probe) - 1]).toMatchObject({ kind: 'step', step: probe.step });
      expect(probe.optimizer?.type).toBe('lbfgs');
      for (const p of probe.params) expect(p.update_norm).toBeGreaterThan(0);
    }
    // L-BFGS's search direction, per parameter, once it has one
    expect(probes[2].optimizer?.state?.every((s) => s.rms.d > 0)).toBe(true);
    // each epoch record follows its single step (and that step's probe and findings)
    const steps = stepsOf(records);
    expect(steps).toHaveLength(5);
    expect(epochsOf(records).map((e) => e.step)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('findings in the stream', () => {
  it('each follows the record that made it fire and is reported once per rule and target', () => {
    // lr far too low: the loss does not move (loss-flat needs its 200-step window)
    const { records, summary } = run(mlpSpec({ optimizer: sgd(1e-6), diagnostics: { thresholds: { flatWindow: 40 } } }, { epochs: 6 }));
    const flat = findingsOf(records).filter((f) => f.rule === 'loss-flat');
    expect(flat).toHaveLength(1);
    expect(flat[0]).toMatchObject({ severity: 'warning', path: ['optimizer', 'lr'] });
    expect(flat[0].fix?.edits).toEqual([{ kind: 'set', path: ['optimizer', 'lr'], value: 1e-5 }]);
    expect(flat[0].step).toBeGreaterThanOrEqual(40);
    const before = records.slice(0, records.indexOf(flat[0])).reverse().find((r) => r.kind !== 'finding');
    expect(before).toMatchObject({ kind: expect.stringMatching(/^(step|probe)$/), step: flat[0].step });
    const keys = findingsOf(records).map((f) => `${f.rule}/${f.target ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(summary.status).toBe('completed');
    expect(summary.findings!.warning).toBe(findingsOf(records).filter((f) => f.severity === 'warning').length);
  });

  it('survive a checkpoint: a resumed run neither repeats a finding nor forgets what the rules saw', () => {
    const spec = mlpSpec({ optimizer: sgd(1e-6), diagnostics: { thresholds: { flatWindow: 40 } } }, { epochs: 6 });
    const straight = run(spec);
    const flatStep = findingsOf(straight.records).find((f) => f.rule === 'loss-flat')!.step;
    // stop mid-epoch after the finding, then resume from the checkpoint
    const events: TrainEvent[] = [];
    const first = new TrainingSession(spec, spiralSplit, { onEvent: (e) => events.push(e) });
    while (!first.done) {
      first.runFor(0);
      const records = events.flatMap((e) => (e.type === 'records' ? e.records : []));
      if (stepsOf(records).length >= flatStep + 5) break;
    }
    const bytes = first.saveCheckpoint();
    const before = events.flatMap((e) => (e.type === 'records' ? e.records : []));
    const after: TrainEvent[] = [];
    const second = new TrainingSession(spec, spiralSplit, { onEvent: (e) => after.push(e) });
    second.resume(bytes);
    const summary = second.runToEnd();
    const rest = after.flatMap((e) => (e.type === 'records' ? e.records : []));
    const strip = (records: MetricRecord[]) => records.map((r) => (r.kind === 'epoch' ? { ...r, elapsed_ms: 0 } : r));
    expect(strip([...before, ...rest])).toEqual(strip(straight.records));
    expect(findingsOf(rest).filter((f) => f.rule === 'loss-flat')).toEqual([]);
    expect(summary.findings).toEqual(straight.summary.findings);
  });
});

describe('settings', () => {
  it('bad probe settings, unknown rules and bad thresholds are refused by the experiment format at their key', () => {
    const at = (section: object): unknown =>
      parseExperiment(JSON.stringify({ data: 'spiral', model: [{ type: 'linear' }], optimizer: 'adam', ...section }), 'x.experiment.json')
        .problems.filter(p => p.severity === 'error')
        .map(p => p.path);
    expect(at({ probes: { every: 2.5 } })).toEqual([['probes', 'every']]);
    expect(at({ probes: { bins: 1 } })).toEqual([['probes', 'bins']]);
    expect(at({ diagnostics: { disabled: ['loss-flat', 'no-such-rule'] } })).toEqual([['diagnostics', 'disabled', 1]]);
    expect(at({ diagnostics: { thresholds: { flatWindow: 1 } } })).toEqual([['diagnostics', 'thresholds', 'flatWindow']]);
  });

  it('a disabled rule does not report', () => {
    const spec = mlpSpec({ optimizer: sgd(1e-6), diagnostics: { thresholds: { flatWindow: 40 }, disabled: ['loss-flat'] } }, { epochs: 6 });
    expect(findingsOf(run(spec).records).filter((f) => f.rule === 'loss-flat')).toEqual([]);
  });
});

describe('Optimizer.states(): the live state the probes read', () => {
  function params(): Parameter[] {
    const w = new Parameter('0.weight', [2, 2]);
    const b = new Parameter('0.bias', [2]);
    w.data.set([1, -2, 3, -4]);
    b.data.set([0.5, -0.5]);
    for (const p of [w, b]) p.grad.set(p.data.map((v) => v / 10));
    return [w, b];
  }

  it('is the optimizer\'s own tensors (no copies), updated by every step; nothing before the first', () => {
    const adam = createOptimizer(
      { type: 'adam', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false, decoupled_weight_decay: false },
      params(),
    );
    expect(adam.states()).toEqual([NO_STATE, NO_STATE]);
    adam.step();
    const [first] = adam.states();
    const expAvg = first.exp_avg as Float32Array;
    expect(first.step).toBe(1);
    expect(Array.from(expAvg)).toEqual(Array.from(adam.stateDict().state[0].exp_avg as Float32Array));
    const before = expAvg[0];
    adam.step();
    expect(adam.states()[0].exp_avg).toBe(expAvg); // the same buffer, now holding step 2's moment
    expect(expAvg[0]).not.toBe(before);
    expect(adam.states()[0].step).toBe(2);
  });

  it('shows the keys torch has: SGD\'s momentum_buffer only with momentum, RMSprop\'s only when used', () => {
    const plain = createOptimizer(sgd(0.1), params());
    plain.step();
    expect(plain.states()).toEqual([NO_STATE, NO_STATE]);
    const momentum = createOptimizer(SGD_MOMENTUM, params());
    momentum.step();
    expect(Object.keys(momentum.states()[1])).toEqual(['momentum_buffer']);
    const rmsprop = createOptimizer(
      { type: 'rmsprop', lr: 0.01, alpha: 0.99, eps: 1e-8, weight_decay: 0, momentum: 0, centered: false, maximize: false } as OptimizerSpec,
      params(),
    );
    rmsprop.step();
    expect(Object.keys(rmsprop.states()[0]).sort()).toEqual(['grad_avg', 'square_avg', 'step']);
  });

  it('L-BFGS: each parameter sees its slice of the search direction, the first also the counters', () => {
    const ps = params();
    const lbfgs = createOptimizer(
      { type: 'lbfgs', lr: 1, max_iter: 3, tolerance_grad: 1e-7, tolerance_change: 1e-9, history_size: 5, line_search_fn: 'none' } as OptimizerSpec,
      ps,
    );
    // f(θ) = ½‖θ‖²: the gradient is θ
    lbfgs.step(() => {
      let f = 0;
      for (const p of ps) {
        p.grad.set(p.data);
        for (const v of p.data) f += v * v / 2;
      }
      return f;
    });
    const [w, b] = lbfgs.states();
    expect(w.func_evals).toBeGreaterThan(0);
    expect((w.d as Float32Array).length).toBe(4);
    expect((b.d as Float32Array).length).toBe(2);
    expect(b.func_evals).toBeUndefined();
    const saved = lbfgs.stateDict().state[0].d as Float32Array;
    expect([...(w.d as Float32Array), ...(b.d as Float32Array)]).toEqual(Array.from(saved));
  });
});
