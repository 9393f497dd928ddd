import { describe, expect, it } from 'vitest';
import { Random } from '../../../engine/core/random';
import type { DataSplit, Dataset } from '../../../engine/data/dataset';
import type { ExperimentSpec } from '../../../engine/experiment/sections';
import type { EpochRecord, RunSummary, TrainEvent } from '../../../engine/train/events';
import { TrainingSession } from '../../../engine/train/session';
import { lossSpec } from '../specs';

/** Three Gaussian blobs in 2-D that overlap a little (so accuracy is high but not always 1). */
function blobs(size: number, seed: number): Dataset {
  const rng = new Random(seed);
  const x = new Float32Array(size * 2);
  const y = new Float32Array(size);
  const centres = [[-1.5, -1], [1.5, -1], [0, 1.5]];
  for (let i = 0; i < size; i++) {
    const label = i % 3;
    x[2 * i] = centres[label][0] + 0.9 * rng.normal();
    x[2 * i + 1] = centres[label][1] + 0.9 * rng.normal();
    y[i] = label;
  }
  return { task: 'classification', size, features: 2, outputs: 3, x, y, featureNames: ['x1', 'x2'] };
}

/** The test split is the validation set itself: the two evaluations of the same weights must agree. */
const held = blobs(60, 2);
const split = (testEveryEpoch = false): DataSplit => ({ train: blobs(150, 1), validation: held, test: held, testEveryEpoch, description: 'blobs' });

function spec(training: Partial<ExperimentSpec['training']> = {}): ExperimentSpec {
  return {
    name: 'test-split',
    data: { type: 'blobs', samples: 150, classes: 3, noise: 0.9, seed: 1, validation_split: 0.25 },
    model: [{ type: 'linear', out_features: 8, bias: true }, { type: 'relu' }, { type: 'linear', bias: true }],
    init: { weight: { type: 'default' }, bias: { type: 'default' } },
    loss: lossSpec({ type: 'cross_entropy' }),
    optimizer: { type: 'sgd', lr: 0.1, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
    training: { epochs: 4, batch_size: 16, seed: 3, shuffle: true, ...training },
  };
}

function run(s: ExperimentSpec, data: DataSplit, stopAfterSteps?: number): { summary: RunSummary; epochs: EpochRecord[]; header: TrainingSession['header'] } {
  const events: TrainEvent[] = [];
  const session = new TrainingSession(s, data, { onEvent: e => events.push(e) });
  if (stopAfterSteps !== undefined) {
    session.runFor(0);
    session.stop();
  } else {
    session.runToEnd();
  }
  const summary = events.flatMap(e => (e.type === 'finished' ? [e.summary] : []))[0];
  const epochs = events.flatMap(e => (e.type === 'records' ? e.records : [])).filter((r): r is EpochRecord => r.kind === 'epoch');
  return { summary, epochs, header: session.header };
}

describe('the test split', () => {
  it('is evaluated once when the run completes, apart from validation, with its confusion matrix', () => {
    const { summary, epochs, header } = run(spec(), split());
    expect(header.data.test).toBe(60);
    expect(epochs.every(e => e.test_loss === undefined && e.test_accuracy === undefined)).toBe(true);
    const test = summary.test!;
    expect(test).toMatchObject({ examples: 60, epoch: 4 });
    expect(test.weights).toBeUndefined();
    // The same rows as the validation set, the same weights: the same numbers.
    expect(test.loss).toBe(summary.final!.val_loss);
    expect(test.accuracy).toBe(summary.final!.val_accuracy);
    expect(test.accuracy).toBeGreaterThan(0.6);
    const m = test.confusion!;
    expect(m).toHaveLength(3);
    expect(m.map(row => row.reduce((a, b) => a + b))).toEqual([20, 20, 20]);
    expect(m[0][0] + m[1][1] + m[2][2]).toBe(Math.round(test.accuracy! * 60));
  });

  it('test_every_epoch adds test_loss and test_accuracy to every epoch record', () => {
    const { epochs, summary } = run(spec(), split(true));
    expect(epochs).toHaveLength(4);
    for (const e of epochs) {
      expect(e.test_loss).toBe(e.val_loss);
      expect(e.test_accuracy).toBe(e.val_accuracy);
    }
    expect(summary.test!.loss).toBe(epochs[3].val_loss);
  });

  it("uses the weights evaluation uses: the EMA's", () => {
    const { summary } = run(spec({ ema: { decay: 0.9, warmup: false, use_buffers: false } }), split());
    expect(summary.final!.weights).toBe('ema');
    expect(summary.test!.weights).toBe('ema');
    expect(summary.test!.loss).toBe(summary.final!.val_loss);
  });

  it("after early stopping put the best epoch's weights back: those", () => {
    const early = { monitor: 'val_loss' as const, mode: 'min' as const, patience: 1, min_delta: 10, restore_best_weights: true };
    const { summary } = run(spec({ epochs: 10, early_stopping: early }), split());
    expect(summary.final!.restored_from_epoch).toBe(1);
    expect(summary.test).toMatchObject({ epoch: 1, loss: summary.final!.val_loss });
  });

  it('is not evaluated when the run is stopped (Stop ends it at once) and absent without a test split', () => {
    expect(run(spec(), split(), 3).summary).toMatchObject({ status: 'stopped' });
    expect(run(spec(), split(), 3).summary.test).toBeUndefined();
    const none = run(spec(), { ...split(), test: undefined });
    expect(none.summary.test).toBeUndefined();
    expect(none.header.data.test).toBeUndefined();
  });
});
