import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { core } from '../../../engine/core/options';
import { SECTIONS } from '../../../engine/experiment/sections';
import { at, brief, keyAt, MINIMAL, parse, textOf, valueAt } from './helpers';

function run(extra: object): { t: string; problems: string[] } {
  const t = textOf({ ...MINIMAL, ...extra });
  return { t, problems: brief(parse(t)) };
}

const training = (value: object): unknown => parse(textOf({ ...MINIMAL, training: value })).resolve()?.spec.training;

describe("training's optional parts", () => {
  it('are off unless written; each is filled with its defaults', () => {
    expect(training({})).toEqual({ epochs: 10, batch_size: 32, seed: 0, shuffle: true });
    expect(
      training({
        clip_grad_norm: { max_norm: 1 },
        clip_grad_value: { clip_value: 0.5 },
        regularization: { l2: 1e-4 },
        early_stopping: { patience: 3 },
        ema: { decay: 0.99 },
      }),
    ).toEqual({
      epochs: 10,
      batch_size: 32,
      seed: 0,
      shuffle: true,
      clip_grad_norm: { max_norm: 1, norm_type: 2, error_if_nonfinite: false },
      clip_grad_value: { clip_value: 0.5 },
      regularization: { l1: 0, l2: 1e-4, apply_to: 'weights' },
      early_stopping: { monitor: 'val_loss', mode: 'auto', patience: 3, min_delta: 0, restore_best_weights: true },
      ema: { decay: 0.99, warmup: false, use_buffers: false },
    });
  });

  it('shorthands: a number for clipping, true for the defaults, null or false for off', () => {
    expect(training({ clip_grad_norm: 5, clip_grad_value: 0.1, ema: true, early_stopping: true, regularization: null })).toMatchObject({
      clip_grad_norm: { max_norm: 5, norm_type: 2 },
      clip_grad_value: { clip_value: 0.1 },
      ema: { decay: 0.999 },
      early_stopping: { patience: 10 },
    });
    expect(training({ ema: false, early_stopping: null })).toEqual({ epochs: 10, batch_size: 32, seed: 0, shuffle: true });
  });

  it('norm_type "inf" is the max norm (Infinity)', () => {
    expect(training({ clip_grad_norm: { max_norm: 1, norm_type: 'inf' } })).toMatchObject({ clip_grad_norm: { norm_type: Infinity } });
    const { t, problems } = run({ training: { clip_grad_norm: { max_norm: 1, norm_type: 'max' } } });
    expect(problems).toEqual([`${valueAt(t, 'norm_type')} error: 'norm_type' must be a number or "inf", not a string ('max')`]);
  });

  it('problems inside a part are reported there; a misnamed part gets the part meant', () => {
    const { t, problems } = run({
      training: { epochs: 30, clip_grad_norm: { max_nrom: 1 }, ema: 'yes', early_stopping: { monitor: 'val_acc' }, clip: 1, dropout_rate: 0.5 },
    });
    const keys = Object.keys((core(SECTIONS.training) as z.ZodObject).shape).join(', ');
    expect(problems).toEqual([
      `${keyAt(t, 'clip_grad_norm')} error: clip_grad_norm needs 'max_norm'`,
      `${keyAt(t, 'max_nrom')} error: unknown key 'max_nrom' in clip_grad_norm; expected one of: max_norm, norm_type, error_if_nonfinite (did you mean 'max_norm'?)`,
      `${valueAt(t, 'ema')} error: 'ema' must be an object like { "decay": ..., "warmup": ... }, true (the defaults) or null (off); not a string ('yes')`,
      `${valueAt(t, 'monitor')} error: unknown monitor 'val_acc'; expected one of: val_loss, val_accuracy, train_loss, train_accuracy (did you mean 'val_accuracy'?)`,
      `${keyAt(t, 'clip')} error: unknown key 'clip' in training; expected one of: ${keys} (did you mean 'clip_grad_norm'?)`,
      `${keyAt(t, 'dropout_rate')} error: unknown key 'dropout_rate' in training; expected one of: ${keys}`,
    ]);
  });

  it('a clipping number must be positive', () => {
    const { t, problems } = run({ training: { clip_grad_norm: -1 } });
    expect(problems).toEqual([`${valueAt(t, 'clip_grad_norm')} error: 'max_norm' must be greater than 0, not -1`]);
  });
});

describe('rules across training and the rest', () => {
  it('early stopping on a validation metric needs a validation set; accuracy needs classes', () => {
    const noVal = run({ data: { type: 'spiral', validation_split: 0 }, training: { epochs: 30, early_stopping: true } });
    expect(noVal.problems).toEqual([
      `${valueAt(noVal.t, 'early_stopping')} error: early stopping monitors val_loss (the default), but the data has no validation set; monitor train_loss or add a validation split`,
    ]);
    const csv = run({
      data: { type: 'csv', path: 'd.csv', target: 'y', task: 'regression' },
      training: { epochs: 30, early_stopping: { monitor: 'val_accuracy' } },
    });
    expect(csv.problems).toEqual([
      `${valueAt(csv.t, 'monitor')} error: early stopping monitors val_accuracy, but a regression has no accuracy; monitor a loss`,
    ]);
    const patient = run({ training: { epochs: 5, early_stopping: { patience: 5, monitor: 'train_loss' } } });
    expect(patient.problems).toEqual([
      `${valueAt(patient.t, 'patience')} warning: patience 5 is not below the 5 epochs of the run, so training can never stop early`,
    ]);
  });

  it('a key written wrongly in regularization or ema hides none of their other checks', () => {
    const { t, problems } = run({
      optimizer: { type: 'sgd', lr: 0.1, weight_decay: 1e-4 },
      training: { regularization: { l2: 1e-3, apply_to: 'bias' }, ema: { decay: 1, warmup: -1 } },
    });
    expect(problems.map(p => p.replace(/^\d+:\d+ /, ''))).toEqual([
      "warning: both regularization.l2 (0.001) and the optimizer's weight_decay (0.0001) penalize the squared weights, so the decay is applied twice; keep one",
      "error: unknown apply_to 'bias'; expected one of: weights, all",
      'warning: decay 1 never moves the average: evaluation would use the first weights forever; typical values are 0.99 to 0.9999',
      "error: 'warmup' must be true or false, not the number -1",
    ]);
    expect(problems[0].startsWith(`${valueAt(t, 'l2')} `)).toBe(true);
  });

  it('a key of early_stopping written wrongly hides only what depends on it', () => {
    const { t, problems } = run({
      data: { type: 'spiral', validation_split: 0 },
      training: { epochs: 5, early_stopping: { patience: 5, min_delta: -1 } },
    });
    expect(problems).toEqual([
      `${keyAt(t, 'early_stopping')} error: early stopping monitors val_loss (the default), but the data has no validation set; monitor train_loss or add a validation split`,
      `${valueAt(t, 'patience')} warning: patience 5 is not below the 5 epochs of the run, so training can never stop early`,
      `${valueAt(t, 'min_delta')} error: 'min_delta' must be at least 0, not -1`,
    ]);
    const defaults = run({ training: { epochs: 10, early_stopping: { monitor: 'train_loss', min_delta: -1 } } });
    expect(defaults.problems).toEqual([
      `${keyAt(defaults.t, 'early_stopping')} warning: patience 10 (the default) is not below the 10 epochs of the run, so training can never stop early`,
      `${valueAt(defaults.t, 'min_delta')} error: 'min_delta' must be at least 0, not -1`,
    ]);
    const badMonitor = run({ data: { type: 'spiral', validation_split: 0 }, training: { epochs: 30, early_stopping: { monitor: 'val_acc' } } });
    expect(badMonitor.problems).toEqual([
      `${valueAt(badMonitor.t, 'monitor')} error: unknown monitor 'val_acc'; expected one of: val_loss, val_accuracy, train_loss, train_accuracy (did you mean 'val_accuracy'?)`,
    ]);
  });

  it('both clippings, and L2 twice (regularization.l2 and weight_decay) are warnings', () => {
    const { t, problems } = run({
      optimizer: { type: 'sgd', lr: 0.1, weight_decay: 1e-4 },
      training: { clip_grad_norm: 1, clip_grad_value: 0.5, regularization: { l2: 1e-3 } },
    });
    expect(problems).toEqual([
      `${valueAt(t, 'clip_grad_value')} warning: both clip_grad_norm and clip_grad_value are set: the gradients are clipped by norm first, then by value; usually one is enough`,
      `${valueAt(t, 'l2')} warning: both regularization.l2 (0.001) and the optimizer's weight_decay (0.0001) penalize the squared weights, so the decay is applied twice; keep one`,
    ]);
    // AdamW's decay is decoupled, not an L2 penalty: no warning.
    expect(run({ optimizer: 'adamw', training: { regularization: { l2: 1e-3 } } }).problems).toEqual([]);
    const decoupled = { type: 'adam', weight_decay: 1e-2, decoupled_weight_decay: true };
    expect(run({ optimizer: decoupled, training: { regularization: { l2: 1e-3 } } }).problems).toEqual([]);
    const coupled = run({ optimizer: { ...decoupled, decoupled_weight_decay: false }, training: { regularization: { l2: 1e-3 } } });
    expect(coupled.problems).toEqual([
      `${valueAt(coupled.t, 'l2')} warning: both regularization.l2 (0.001) and the optimizer's weight_decay (0.01) penalize the squared weights, so the decay is applied twice; keep one`,
    ]);
  });

  it('an EMA with decay 1 never moves', () => {
    const { t, problems } = run({ training: { ema: { decay: 1 } } });
    expect(problems).toEqual([
      `${valueAt(t, 'decay')} warning: decay 1 never moves the average: evaluation would use the first weights forever; typical values are 0.99 to 0.9999`,
    ]);
  });

  it('batch_norm needs at least 2 rows in every training batch', () => {
    const model = [{ type: 'linear', out_features: 8 }, 'batch_norm', 'relu', 'linear'];
    const one = run({ model, training: { batch_size: 1 } });
    expect(one.problems).toEqual([
      `${valueAt(one.t, 'batch_size')} error: batch_norm needs at least 2 rows per batch to compute batch statistics (torch raises "Expected more than 1 value per channel when training"); batch_size is 1`,
    ]);
    // 240 training examples in batches of 239: the last batch has 1 row.
    const last = run({ model, training: { batch_size: 239 } });
    expect(last.problems).toEqual([
      `${valueAt(last.t, 'batch_size')} error: with batch_norm every training batch needs at least 2 rows, but 240 training examples in batches of 239 ` +
        `leave a last batch of 1 row (torch raises "Expected more than 1 value per channel when training"); e.g. batch_size 238 does not`,
    ]);
    expect(run({ model, training: { batch_size: 1 }, optimizer: 'lbfgs' }).problems).toEqual([
      `${valueAt(run({ model, training: { batch_size: 1 }, optimizer: 'lbfgs' }).t, 'batch_size')} warning: lbfgs takes one full-batch step per epoch (over all 240 training examples), so 'batch_size' is not used`,
    ]);
  });

  it('a variant turns a part off with null, or changes one key of it', () => {
    const t = textOf({
      ...MINIMAL,
      training: { clip_grad_norm: 1, ema: true },
      variants: { plain: { training: { clip_grad_norm: null, ema: null } }, inf: { training: { clip_grad_norm: { norm_type: 'inf' } } } },
    });
    const p = parse(t);
    expect(p.problems).toEqual([]);
    expect(p.resolve('plain')!.spec.training).toEqual({ epochs: 10, batch_size: 32, seed: 0, shuffle: true });
    expect(p.resolve('inf')!.spec.training.clip_grad_norm).toEqual({ max_norm: 1, norm_type: Infinity, error_if_nonfinite: false });
    expect(at(t, '"plain"')).toBeTruthy();
  });
});

describe('a training key written wrongly is unknown to the rules across sections, never its default', () => {
  const norm = { data: { type: 'spiral', samples: 201, validation_split: 0 }, model: [{ type: 'linear', out_features: 8 }, 'batch_norm', 'relu', 'linear'] };

  it('a misspelt batch_size is not the default 32: batch_norm and the run size are not judged by it', () => {
    const typo = run({ ...norm, training: { batch_size: '25' } });
    expect(typo.problems).toEqual([`${valueAt(typo.t, 'batch_size')} error: 'batch_size' must be a number, not a string: write 25 without quotes`]);
    // Written right, 201 examples in batches of 25 leave a last batch of 1 row.
    expect(run({ ...norm, training: { batch_size: 25 } }).problems).toHaveLength(1);
    const zero = run({ data: { type: 'spiral', samples: 1000 }, training: { batch_size: 0, epochs: 100000 } });
    expect(zero.problems).toEqual([`${valueAt(zero.t, 'batch_size')} error: 'batch_size' must be at least 1, not 0`]);
  });

  it('what the key written wrongly cannot change is still checked: patience against epochs, batch_norm against batch_size', () => {
    const seed = run({ training: { seed: -1, epochs: 10, early_stopping: { patience: 10 } } });
    expect(seed.problems).toEqual([
      `${valueAt(seed.t, 'seed')} error: 'seed' must be at least 0, not -1`,
      `${valueAt(seed.t, 'patience')} warning: patience 10 is not below the 10 epochs of the run, so training can never stop early`,
    ]);
    const epochs = run({ ...norm, data: { type: 'spiral', samples: 1000 }, training: { epochs: '20', batch_size: 799 }, schedule: { type: 'multi_step', milestones: [30] } });
    expect(epochs.problems).toEqual([
      `${valueAt(epochs.t, 'epochs')} error: 'epochs' must be a number, not a string: write 20 without quotes`,
      `${valueAt(epochs.t, 'batch_size')} error: with batch_norm every training batch needs at least 2 rows, but 800 training examples in batches of 799 leave a last batch of 1 row (torch raises "Expected more than 1 value per channel when training"); e.g. batch_size 798 does not`,
    ]);
  });

  it("a misspelt task is not a classification's: early stopping on accuracy is not judged by it", () => {
    const typo = run({ data: { type: 'csv', path: 'd.csv', target: 'y', task: 'regresion' }, training: { epochs: 50, early_stopping: { monitor: 'val_accuracy' } } });
    expect(typo.problems).toEqual([
      `${valueAt(typo.t, 'task')} error: unknown task 'regresion'; expected one of: classification, regression, probabilities (did you mean 'regression'?)`,
    ]);
  });
});
