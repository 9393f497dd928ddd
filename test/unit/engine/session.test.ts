import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../../engine/core/jsKernels';
import { Random } from '../../../engine/core/random';
import type { DataSplit, Dataset } from '../../../engine/data/dataset';
import type { ExperimentSpec } from '../../../engine/experiment/spec';
import { SpecError } from '../../../engine/experiment/specError';
import { createLoss } from '../../../engine/losses';
import { buildModel } from '../../../engine/nn/sequential';
import type { EpochRecord, StepRecord, TrainEvent } from '../../../engine/train/events';
import { TrainingSession } from '../../../engine/train/session';

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
    loss: { type: 'cross_entropy' },
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

function collect(spec: ExperimentSpec, data: DataSplit = blobSplit) {
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
      data: { description: 'two blobs', train: 120, validation: 40, features: 2, outputs: 2 },
      layers: ['Linear(2 → 8)', 'ReLU', 'Linear(8 → 2)'],
      parameters: 2 * 8 + 8 + 8 * 2 + 2,
      epochs: 5,
      stepsPerEpoch: 8, // ceil(120 / 16): the last partial batch is kept
      totalSteps: 40,
      expectedInitialLoss: Math.log(2),
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
    // an epoch record comes right after its epoch's last step
    const all = records();
    expect(all.findIndex((r) => r.kind === 'epoch')).toBe(8);

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
    const model = buildModel(spec.model, 2, 2, spec.init, new Random(42).fork('init'), 120, jsKernels);
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

  it('fails with "loss became … at step N" when the loss is no longer finite, keeping earlier records', () => {
    const spec = makeSpec(
      {
        loss: { type: 'mse' },
        model: [{ type: 'linear', out_features: 16, bias: true }, { type: 'relu' }, { type: 'linear', bias: true }],
        optimizer: { type: 'sgd', lr: 1e6, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
      },
      { epochs: 50 },
    );
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

  it('trains a regression with MSE and reports no accuracy', () => {
    const spec = makeSpec(
      { loss: { type: 'mse' }, optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false } },
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
