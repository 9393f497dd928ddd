import { describe, expect, it } from 'vitest';
import { createKernels } from '../../../engine/core/selectKernels';
import { Random } from '../../../engine/core/random';
import type { DataSplit, Dataset } from '../../../engine/data/dataset';
import type { ExperimentSpec } from '../../../engine/experiment/sections';
import { SpecError } from '../../../engine/core/errors';
import { createLoss } from '../../../engine/losses';
import { buildModel } from '../../../engine/nn/sequential';
import type { EpochRecord, StepRecord, TrainEvent } from '../../../engine/train/events';
import { decodeRunCheckpoint } from '../../../engine/checkpoint/checkpoint';
import { TrainingSession, type SessionSpec } from '../../../engine/train/session';
import { lossSpec } from '../specs';

/** Two Gaussian blobs in 2-D, centred at (−1.5, −1.5) and (1.5, 1.5). */
function blobs(size: number, seed: number): Dataset {
  const rng = new Random(seed);
  const x = new Float32Array(size * 2);
  const y = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const label = i % 2;
    const centre = label === 0 ? -1.5 : 1.5;
    x[2 * i] = centre + 0.7 * rng.normal();
    x[2 * i + 1] = centre + 0.7 * rng.normal();
    y[i] = label;
  }
  return { task: 'classification', size, features: 2, outputs: 2, x, y, featureNames: ['x1', 'x2'], classNames: ['a', 'b'] };
}

/** y = 2·x1 − x2 + noise. */
function line(size: number, seed: number): Dataset {
  const rng = new Random(seed);
  const x = new Float32Array(size * 2);
  const y = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    x[2 * i] = rng.normal();
    x[2 * i + 1] = rng.normal();
    y[i] = 2 * x[2 * i] - x[2 * i + 1] + 0.1 * rng.normal();
  }
  return { task: 'regression', size, features: 2, outputs: 1, x, y, featureNames: ['x1', 'x2'] };
}

function emptyLike(d: Dataset): Dataset {
  return { ...d, size: 0, x: new Float32Array(0), y: new Float32Array(0) };
}

const blobSplit: DataSplit = { train: blobs(120, 1), validation: blobs(40, 2), description: 'two blobs' };

function makeSpec(overrides: Partial<ExperimentSpec> = {}, training: Partial<ExperimentSpec['training']> = {}): ExperimentSpec {
  return {
    name: 'blobs-test',
    data: { type: 'blobs', samples: 160, classes: 2, noise: 0.7, seed: 1, validation_split: 0.25 },
    model: [{ type: 'linear', out_features: 8, bias: true }, { type: 'relu' }, { type: 'linear', bias: true }],
    init: { weight: { type: 'default' }, bias: { type: 'default' } },
    loss: lossSpec({ type: 'cross_entropy' }),
    optimizer: { type: 'sgd', lr: 0.1, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
    ...overrides,
    training: { epochs: 5, batch_size: 16, seed: 42, shuffle: true, ...training },
  };
}

/** A clock that advances 1 ms every time it is read. */
function tickingClock(): () => number {
  let t = 0;
  return () => t++;
}

function collect(spec: SessionSpec, data: DataSplit = blobSplit) {
  const events: TrainEvent[] = [];
  const session = new TrainingSession(spec, data, { onEvent: (e) => events.push(e), now: tickingClock() });
  const records = () => events.flatMap((e) => (e.type === 'records' ? e.records : []));
  return { session, events, records };
}

const steps = (records: ReturnType<ReturnType<typeof collect>['records']>) =>
  records.filter((r): r is StepRecord => r.kind === 'step');
const epochs = (records: ReturnType<ReturnType<typeof collect>['records']>) =>
  records.filter((r): r is EpochRecord => r.kind === 'epoch');

describe('TrainingSession', () => {
  it('describes the run in its header', () => {
    const { session } = collect(makeSpec({ variant: 'wide' }));
    expect(session.header).toEqual({
      experiment: 'blobs-test',
      variant: 'wide',
      task: 'classification',
      data: { description: 'two blobs', train: 120, validation: 40, features: 2, outputs: 2, class_names: ['a', 'b'] },
      layers: ['Linear(2 → 8)', 'ReLU', 'Linear(8 → 2)'],
      parameters: 2 * 8 + 8 + 8 * 2 + 2,
      epochs: 5,
      stepsPerEpoch: 8, // ceil(120 / 16): the last partial batch is kept
      totalSteps: 40,
      expectedInitialLoss: Math.log(2),
      // the default kernels: the fastest this runtime has
      kernels: expect.stringMatching(/^(wasm-(simd|relaxed)(-\dt)?|js)$/),
    });
    expect(session.done).toBe(false);
  });

  it('learns two blobs with SGD: loss falls, accuracy rises, events in order', () => {
    const { session, events, records } = collect(makeSpec());
    const summary = session.runToEnd();
    expect(session.done).toBe(true);

    expect(events[0].type).toBe('started');
    expect(events[events.length - 1]).toEqual({ type: 'finished', summary });
    expect(events.filter((e) => e.type === 'started').length).toBe(1);
    expect(events.filter((e) => e.type === 'finished').length).toBe(1);

    const stepRecords = steps(records());
    expect(stepRecords.map((r) => r.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(stepRecords.map((r) => r.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => Math.floor(i / 8) + 1));
    expect(stepRecords.every((r) => r.lr === 0.1)).toBe(true);

    const epochRecords = epochs(records());
    expect(epochRecords.map((r) => [r.epoch, r.step])).toEqual([
      [1, 8],
      [2, 16],
      [3, 24],
      [4, 32],
      [5, 40],
    ]);
    const first = epochRecords[0];
    const last = epochRecords[4];
    expect(last.train_loss).toBeLessThan(first.train_loss);
    expect(last.val_loss!).toBeLessThan(0.2);
    expect(last.val_accuracy!).toBeGreaterThanOrEqual(0.95);
    expect(last.train_accuracy!).toBeGreaterThanOrEqual(0.95);
    // the first step starts near ln 2 and training goes well below it
    expect(Math.abs(stepRecords[0].loss - Math.log(2))).toBeLessThan(0.5);
    expect(stepRecords[39].loss).toBeLessThan(stepRecords[0].loss);
    // an epoch record comes right after its epoch's last step (and that step's probe and findings)
    const all = records().filter((r) => r.kind === 'step' || r.kind === 'epoch');
    expect(all.findIndex((r) => r.kind === 'epoch')).toBe(8);
    // the initialization probe follows the first step's record
    expect(records()[1]).toMatchObject({ kind: 'probe', step: 1, initial: true });

    expect(summary.status).toBe('completed');
    expect(summary.epochs).toBe(5);
    expect(summary.steps).toBe(40);
    const { kind: _kind, ...lastWithoutKind } = last;
    expect(summary.final).toEqual(lastWithoutKind);
    const bestVal = Math.min(...epochRecords.map((r) => r.val_loss!));
    expect(summary.best).toEqual({ epoch: epochRecords.find((r) => r.val_loss === bestVal)!.epoch, loss: bestVal });
    expect(summary.elapsed_ms).toBeGreaterThan(0);
    expect(summary.steps_per_second).toBeCloseTo((40 * 1000) / summary.elapsed_ms, 9);
    expect(summary.error).toBeUndefined();
  });

  it('first step loss is the loss of the model initialized from fork("init") on the first batch', () => {
    const spec = makeSpec({}, { batch_size: 120, shuffle: false, epochs: 1 });
    const { session, records } = collect(spec);
    session.runToEnd();
    // the kernels a session picks by default, so that the sums are the same to the last bit
    const model = buildModel(spec.model, 2, 2, spec.init, new Random(42).fork('init'), 120, createKernels());
    const loss = createLoss(spec.loss, 2, 120, 'classification');
    const expected = loss.forward(model.forward(blobSplit.train.x, 120, true), blobSplit.train.y, 120);
    expect(steps(records())[0].loss).toBe(expected);
  });

  it('runFor runs whole steps within the budget and buffers records per call', () => {
    const { session, events } = collect(makeSpec());
    // The ticking clock advances 1 ms per read: a 3 ms budget allows a few steps, not the run.
    expect(session.runFor(3)).toBe(false);
    expect(events[0].type).toBe('started');
    expect(events.length).toBe(2);
    const firstBatch = events[1];
    expect(firstBatch.type).toBe('records');
    const n = firstBatch.type === 'records' ? firstBatch.records.length : 0;
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThan(8);

    // Even a zero budget makes progress (one step).
    session.runFor(0);
    expect(events.length).toBe(3);
    const second = events[2];
    expect(second.type === 'records' && second.records.length).toBe(1);

    let calls = 0;
    while (!session.runFor(5)) calls++;
    expect(calls).toBeGreaterThan(1);
    expect(events.filter((e) => e.type === 'started').length).toBe(1);
    expect(events[events.length - 1].type).toBe('finished');
    // once done, nothing more happens
    const count = events.length;
    expect(session.runFor(100)).toBe(true);
    session.stop();
    expect(events.length).toBe(count);
  });

  it('stop() ends the run as stopped with the summary so far', () => {
    const { session, events, records } = collect(makeSpec());
    while (steps(records()).length < 10) session.runFor(1);
    const done = steps(records()).length;
    session.stop();
    expect(session.done).toBe(true);
    const last = events[events.length - 1];
    expect(last.type).toBe('finished');
    if (last.type !== 'finished') return;
    expect(last.summary.status).toBe('stopped');
    expect(last.summary.steps).toBe(done);
    expect(last.summary.epochs).toBe(1);
    expect(last.summary.final?.epoch).toBe(1);
    expect(session.runFor(100)).toBe(true);
    expect(events[events.length - 1]).toBe(last);
  });

  it('stop() before any step still emits started then finished', () => {
    const { session, events } = collect(makeSpec());
    session.stop();
    expect(events.map((e) => e.type)).toEqual(['started', 'finished']);
    const last = events[1];
    expect(last.type === 'finished' && last.summary).toMatchObject({ status: 'stopped', steps: 0, epochs: 0 });
    expect(last.type === 'finished' && last.summary.final).toBeUndefined();
  });

  it('with the stopping diagnostics disabled, fails with "loss became … at step N" once the loss is not finite', () => {
    // (With them, the exploding-loss rule stops this run earlier: see session-diagnostics.test.ts.)
    const spec: SessionSpec = {
      ...makeSpec(
        {
          loss: lossSpec({ type: 'mse' }),
          model: [{ type: 'linear', out_features: 16, bias: true }, { type: 'relu' }, { type: 'linear', bias: true }],
          optimizer: { type: 'sgd', lr: 1e6, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
        },
        { epochs: 50 },
      ),
      diagnostics: { disabled: ['nan-loss', 'exploding-loss', 'nan-parameters'] },
    };
    const data: DataSplit = { train: line(64, 3), validation: line(16, 4), description: 'line' };
    const { session, events, records } = collect(spec, data);
    const summary = session.runToEnd();
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/^loss became (NaN|Infinity) at step \d+$/);
    const stepRecords = steps(records());
    expect(stepRecords.length).toBeGreaterThan(0);
    expect(stepRecords.every((r) => Number.isFinite(r.loss))).toBe(true);
    const failedAt = Number(/at step (\d+)/.exec(summary.error!)![1]);
    expect(failedAt).toBe(stepRecords.length + 1);
    expect(summary.steps).toBe(failedAt - 1);
    expect(summary.steps).toBeLessThan(session.header.totalSteps);
    expect(events[events.length - 1].type).toBe('finished');
  });

  it('fails the run (not the caller) on a bad target, with the reason', () => {
    const bad = blobs(20, 1);
    bad.y[3] = 5;
    const data: DataSplit = { train: bad, validation: emptyLike(bad), description: 'bad' };
    const { session, events } = collect(makeSpec({}, { shuffle: false, batch_size: 20 }), data);
    const summary = session.runToEnd();
    expect(summary).toMatchObject({ status: 'failed', steps: 0, error: 'target 5 is not a class index in 0..1' });
    expect(events.map((e) => e.type)).toEqual(['started', 'finished']);
  });

  it('is deterministic: the same seed gives identical records, another seed differs', () => {
    const a = collect(makeSpec());
    const b = collect(makeSpec());
    const c = collect(makeSpec({}, { seed: 43 }));
    a.session.runToEnd();
    b.session.runToEnd();
    c.session.runToEnd();
    expect(b.records()).toEqual(a.records());
    expect(steps(c.records()).map((r) => r.loss)).not.toEqual(steps(a.records()).map((r) => r.loss));
  });

  it('shuffles each epoch only when asked', () => {
    const shuffled = collect(makeSpec({}, { epochs: 2 }));
    const ordered = collect(makeSpec({}, { epochs: 2, shuffle: false }));
    shuffled.session.runToEnd();
    ordered.session.runToEnd();
    // same init (same seed), so the first batch differs only through the order of rows
    expect(steps(shuffled.records())[0].loss).not.toBe(steps(ordered.records())[0].loss);
  });

  it('without validation: no val_* fields and best follows the training loss', () => {
    const data: DataSplit = { train: blobSplit.train, validation: emptyLike(blobSplit.validation), description: 'train only' };
    const { session, records } = collect(makeSpec({}, { epochs: 3 }), data);
    const summary = session.runToEnd();
    const epochRecords = epochs(records());
    expect(epochRecords.every((r) => !('val_loss' in r) && !('val_accuracy' in r))).toBe(true);
    const bestTrain = Math.min(...epochRecords.map((r) => r.train_loss));
    expect(summary.best!.loss).toBe(bestTrain);
  });

  it("reduction 'sum' steps like the mean with lr × rows, and records the same (mean) losses", () => {
    // Plain SGD on full batches of 120 rows: the sum's gradient is 120× the mean's.
    const sgd = (lr: number) => ({ type: 'sgd' as const, lr, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false });
    const training = { epochs: 3, batch_size: 120, shuffle: false };
    const summed = collect(makeSpec({ loss: lossSpec({ type: 'cross_entropy', reduction: 'sum' }), optimizer: sgd(0.001) }, training));
    const meaned = collect(makeSpec({ loss: lossSpec({ type: 'cross_entropy' }), optimizer: sgd(0.12) }, training));
    summed.session.runToEnd();
    meaned.session.runToEnd();
    const losses = (c: ReturnType<typeof collect>) => steps(c.records()).map((r) => r.loss);
    expect(losses(summed)).toHaveLength(3);
    losses(summed).forEach((loss, i) => expect(loss).toBeCloseTo(losses(meaned)[i], 5));
    // …and a loss near ln 2 at the start, not 120 × ln 2: the recorded loss is the mean.
    expect(losses(summed)[0]).toBeLessThan(2);
    const last = (c: ReturnType<typeof collect>) => epochs(c.records()).at(-1)!;
    expect(last(summed).train_loss).toBeCloseTo(last(meaned).train_loss, 5);
    expect(last(summed).val_loss!).toBeCloseTo(last(meaned).val_loss!, 5);
  });

  it('trains a regression with MSE and reports no accuracy', () => {
    const spec = makeSpec(
      { loss: lossSpec({ type: 'mse' }), optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false } },
      { epochs: 20 },
    );
    const data: DataSplit = { train: line(100, 5), validation: line(30, 6), description: 'line' };
    const { session, records } = collect(spec, data);
    expect(session.header.expectedInitialLoss).toBeUndefined();
    expect(session.header.task).toBe('regression');
    const summary = session.runToEnd();
    expect(summary.status).toBe('completed');
    const epochRecords = epochs(records());
    expect(epochRecords.every((r) => r.train_accuracy === undefined && r.val_accuracy === undefined)).toBe(true);
    expect(epochRecords[epochRecords.length - 1].val_loss!).toBeLessThan(epochRecords[0].val_loss! / 5);
  });

  it('evaluates sets larger than one chunk exactly like a single pass', () => {
    const big = blobs(2500, 9); // > 1024 rows: evaluated in chunks
    const data: DataSplit = { train: big, validation: emptyLike(big), description: 'big' };
    const spec = makeSpec({ optimizer: { type: 'sgd', lr: 0, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false } }, { epochs: 1, batch_size: 2500, shuffle: false });
    const { session, records } = collect(spec, data);
    session.runToEnd();
    // lr = 0: the epoch evaluation sees the initial model, the same as the one full-batch step
    const [step] = steps(records());
    const [epoch] = epochs(records());
    expect(epoch.train_loss).toBeCloseTo(step.loss, 5);
  });

  it('throws SpecError for spec problems found while building', () => {
    const regression: DataSplit = { train: line(10, 1), validation: line(4, 2), description: 'line' };
    expect(() => new TrainingSession(makeSpec(), regression, { onEvent: () => {} })).toThrow(
      expect.objectContaining({ name: 'SpecError', path: ['loss'] }),
    );
    const wrongWidth = makeSpec({ model: [{ type: 'linear', out_features: 3, bias: true }] });
    let error: unknown;
    try {
      new TrainingSession(wrongWidth, blobSplit, { onEvent: () => {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).path).toEqual(['model', 0, 'out_features']);
    expect((error as SpecError).message).toContain('(one per class)');
  });
});

// ---- clipping, penalties, schedules, early stopping, EMA, averaged evaluation ------------

describe('TrainingSession: the optional parts of training', () => {
  const base = () => makeSpec({}, { epochs: 4 }) as SessionSpec;
  const withTraining = (training: Partial<SessionSpec['training']>, over: Partial<SessionSpec> = {}): SessionSpec => {
    const spec = base();
    return { ...spec, ...over, training: { ...spec.training, ...training } };
  };
  const run = (spec: SessionSpec, data: DataSplit = blobSplit) => {
    const c = collect(spec, data);
    const summary = c.session.runToEnd();
    return { ...c, summary, steps: steps(c.records()), epochs: epochs(c.records()) };
  };
  const withoutTime = (r: EpochRecord) => ({ ...r, elapsed_ms: 0 });
  const modelTensors = (session: TrainingSession) =>
    new Map([...decodeRunCheckpoint(session.saveCheckpoint()).file.tensors].map(([name, t]) => [name, Array.from(t.data)]));

  it('reports momentum when the optimizer has one, and not otherwise', () => {
    expect(run(base()).steps.every((s) => s.momentum === 0)).toBe(true);
    const rprop = run(withTraining({}, { optimizer: { type: 'rprop', lr: 0.01, etas: [0.5, 1.2], step_sizes: [1e-6, 50], maximize: false } }));
    expect(rprop.steps.every((s) => !('momentum' in s))).toBe(true);
  });

  it('clip_grad_norm: records the pre-clip norm and changes the trajectory only when it clips', () => {
    const plain = run(base());
    const loose = run(withTraining({ clip_grad_norm: { max_norm: 1e6, norm_type: 2, error_if_nonfinite: false } }));
    expect(loose.steps.map((s) => s.loss)).toEqual(plain.steps.map((s) => s.loss));
    expect(loose.steps.every((s) => s.grad_norm! > 0)).toBe(true);
    const tight = run(withTraining({ clip_grad_norm: { max_norm: 0.01, norm_type: Infinity, error_if_nonfinite: false } }));
    expect(tight.steps[0].loss).toBe(plain.steps[0].loss);
    expect(tight.steps[1].loss).not.toBe(plain.steps[1].loss);
    expect(plain.steps.every((s) => !('grad_norm' in s))).toBe(true);
  });

  it('clip_grad_norm error_if_nonfinite fails the run with torch’s message', () => {
    // One row of 1e30: the loss (a double) stays finite, the float32 weight gradient overflows.
    const train = line(64, 3);
    train.x[0] = 1e30;
    train.y[0] = 1e30;
    const data: DataSplit = { train, validation: line(16, 4), description: 'line' };
    const spec = (error_if_nonfinite: boolean) =>
      withTraining({ shuffle: false, clip_grad_norm: { max_norm: 1, norm_type: 2, error_if_nonfinite } }, { loss: lossSpec({ type: 'mse' }) });
    const strict = run(spec(true), data);
    expect(strict.summary.status).toBe('failed');
    expect(strict.summary.error).toMatch(/^The total norm of order 2\.0 for gradients from `parameters` is non-finite, so it cannot be clipped/);
    expect(strict.summary.steps).toBe(0);
    // torch's default scales by the non-finite norm instead; the run goes on and fails later or not at all
    const lenient = run(spec(false), data);
    expect(lenient.steps[0].grad_norm).toBe(Infinity);
  });

  it('clip_grad_value bounds every gradient element (a tiny bound slows learning)', () => {
    const plain = run(base());
    const clipped = run(withTraining({ clip_grad_value: { clip_value: 1e-4 } }));
    expect(clipped.steps[0].loss).toBe(plain.steps[0].loss);
    expect(clipped.epochs[3].train_loss).toBeGreaterThan(plain.epochs[3].train_loss);
  });

  it('regularization: the step record carries the penalty; l2 with SGD equals weight_decay on the weights', () => {
    const l2 = 0.05;
    const penalized = run(withTraining({ regularization: { l1: 0, l2, apply_to: 'all' } }));
    const decayed = run(withTraining({}, { optimizer: { type: 'sgd', lr: 0.1, momentum: 0, dampening: 0, weight_decay: l2, nesterov: false, maximize: false } }));
    expect(penalized.steps.every((s) => s.penalty! > 0)).toBe(true);
    // "L2 regularization and weight decay are the same in plain SGD" (course notes 003), up to float32 rounding
    penalized.steps.forEach((s, i) => expect(s.loss).toBeCloseTo(decayed.steps[i].loss, 5));
    const zero = run(withTraining({ regularization: { l1: 0, l2: 0, apply_to: 'weights' } }));
    expect(zero.steps.every((s) => !('penalty' in s))).toBe(true);
  });

  it('a per-step schedule changes the lr every step; ReduceLROnPlateau reads the monitored loss each epoch', () => {
    const stepped = run({ ...base(), schedule: { type: 'step', step_size: 8, gamma: 0.5, interval: 'step' } } as SessionSpec);
    expect(stepped.steps.map((s) => s.lr)).toEqual(Array.from({ length: 32 }, (_, i) => 0.1 * 0.5 ** Math.floor(i / 8)));
    // mode 'max' on a falling loss: after the first epoch (always an improvement on −∞, as torch)
    // never an improvement, so with patience 0 the lr halves after every later epoch
    const plateau: SessionSpec = {
      ...base(),
      schedule: { type: 'reduce_lr_on_plateau', mode: 'max', factor: 0.5, patience: 0, threshold: 1e-4, threshold_mode: 'rel', cooldown: 0, min_lr: 0, eps: 1e-8, interval: 'epoch' },
    } as SessionSpec;
    const reduced = run(plateau);
    expect(reduced.epochs.map((e) => e.lr)).toEqual([0.1, 0.1, 0.05, 0.025]);
  });

  it('early stopping fires after patience, restores the best epoch, and the summary says so', () => {
    // min_delta 10: only the first epoch can improve (on Infinity), so it stops after 1 + patience epochs.
    const { summary, epochs: records, events, session } = run(
      withTraining({ epochs: 10, early_stopping: { monitor: 'val_loss', mode: 'min', patience: 2, min_delta: 10, restore_best_weights: true } }),
    );
    expect(records.length).toBe(3);
    expect(summary).toMatchObject({ status: 'completed', epochs: 3, steps: 24 });
    expect(summary.early_stopping).toEqual({ monitor: 'val_loss', mode: 'min', best: records[0].val_loss, best_epoch: 1, stopped_epoch: 3, restored: true });
    // final evaluates the restored weights: exactly epoch 1's numbers, marked as restored
    const { kind: _k, ...first } = records[0];
    expect({ ...summary.final, elapsed_ms: 0 }).toEqual({ ...first, epoch: 3, step: 24, lr: 0.1, elapsed_ms: 0, restored_from_epoch: 1 });
    const logs = events.filter((e) => e.type === 'log').map((e) => (e.type === 'log' ? e.message : ''));
    expect(logs).toEqual([
      expect.stringMatching(/^early stopping after epoch 3: val_loss did not improve for 2 epoch\(s\) \(best val_loss .* at epoch 1\)$/),
      'restored the weights of epoch 1 (best val_loss)',
    ]);
    expect(events[events.length - 1].type).toBe('finished');
    // the model now holds the best weights
    const tensors = modelTensors(session);
    expect(tensors.get('0.weight')).toEqual(tensors.get('early_stopping.best.0.weight'));
  });

  it('restores the best weights also when the run ends normally, not when asked not to', () => {
    const es = { monitor: 'val_loss' as const, mode: 'auto' as const, patience: 100, min_delta: 10 };
    const restored = run(withTraining({ early_stopping: { ...es, restore_best_weights: true } }));
    expect(restored.epochs.length).toBe(4);
    expect(restored.summary.early_stopping).toMatchObject({ best_epoch: 1, restored: true });
    expect(restored.summary.early_stopping!.stopped_epoch).toBeUndefined();
    expect(restored.summary.final).toMatchObject({ epoch: 4, restored_from_epoch: 1, val_loss: restored.epochs[0].val_loss, train_loss: restored.epochs[0].train_loss });
    const kept = run(withTraining({ early_stopping: { ...es, restore_best_weights: false } }));
    expect(kept.summary.early_stopping).toMatchObject({ best_epoch: 1, restored: false });
    const { kind: _kind, ...last } = kept.epochs[3];
    expect(kept.summary.final).toEqual(last);
  });

  it('early stopping on val_accuracy maximizes; a val_* monitor without validation data is a SpecError', () => {
    const acc = run(withTraining({ epochs: 6, early_stopping: { monitor: 'val_accuracy', mode: 'auto', patience: 1, min_delta: 0, restore_best_weights: false } }));
    expect(acc.summary.early_stopping!.mode).toBe('max');
    const noVal: DataSplit = { train: blobSplit.train, validation: emptyLike(blobSplit.validation), description: 'x' };
    const error = (() => {
      try {
        new TrainingSession(withTraining({ early_stopping: { monitor: 'val_loss', mode: 'auto', patience: 1, min_delta: 0, restore_best_weights: true } }), noVal, { onEvent: () => {} });
      } catch (e) {
        return e as SpecError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SpecError);
    expect(error!.path).toEqual(['training', 'early_stopping', 'monitor']);
  });

  it('EMA: training is unchanged, evaluation uses the average (decay 0 = the raw weights)', () => {
    const plain = run(base());
    const ema0 = run(withTraining({ ema: { decay: 0, warmup: false, use_buffers: false } }));
    expect(ema0.steps).toEqual(plain.steps);
    expect(ema0.epochs.map(withoutTime)).toEqual(plain.epochs.map((e) => ({ ...withoutTime(e), weights: 'ema' })));
    const ema = run(withTraining({ ema: { decay: 0.9, warmup: false, use_buffers: false } }));
    expect(ema.steps).toEqual(plain.steps);
    expect(ema.epochs[0].val_loss).not.toBe(plain.epochs[0].val_loss);
    expect(ema.epochs.every((e) => e.weights === 'ema')).toBe(true);
    // the raw weights are what the run ends with
    expect(modelTensors(ema.session).get('0.weight')).toEqual(modelTensors(plain.session).get('0.weight'));
    expect(modelTensors(ema.session).get('ema.0.weight')).not.toEqual(modelTensors(plain.session).get('0.weight'));
  });

  it('EMA with early stopping restores the averaged weights that were evaluated best', () => {
    const { summary, epochs: records } = run(
      withTraining({
        ema: { decay: 0.8, warmup: false, use_buffers: false },
        early_stopping: { monitor: 'val_loss', mode: 'min', patience: 100, min_delta: 10, restore_best_weights: true },
      }),
    );
    expect(summary.final).toMatchObject({ restored_from_epoch: 1, val_loss: records[0].val_loss, train_loss: records[0].train_loss });
  });

  it('ASGD: evaluation uses its averages once averaging has started', () => {
    const asgd = (t0: number) =>
      run(withTraining({}, { optimizer: { type: 'asgd', lr: 0.1, lambd: 1e-4, alpha: 0.75, t0, weight_decay: 0, maximize: false } }));
    const averaging = asgd(0);
    const notYet = asgd(1e6);
    expect(averaging.steps).toEqual(notYet.steps); // t0 does not change the raw trajectory
    expect(averaging.epochs.every((e) => e.weights === 'averaged')).toBe(true);
    expect(notYet.epochs.every((e) => !('weights' in e))).toBe(true);
    expect(averaging.epochs[3].train_loss).not.toBe(notYet.epochs[3].train_loss);
  });
});
