/**
 * The experiment's `training` section: the loop's settings and its optional parts, each off when
 * absent or null. Defaults follow torch where torch has the thing
 * (clip_grad_norm_'s norm_type 2 and error_if_nonfinite false; AveragedModel's use_buffers false)
 * and Keras' EarlyStopping otherwise — except its patience 0 and restore_best_weights false: an
 * object written to turn early stopping on almost always wants some patience and the best weights
 * back, so the defaults are patience 10 and restore_best_weights true.
 */
import * as z from 'zod';
import { LIMITS } from '../core/limits';
import { described } from '../core/options';
import { seed } from '../data/options';

/** An optional part of the loop: absent or null = off; `shorthand` says what a number or `true` stands for. */
function part<S extends z.ZodRawShape>(doc: string, shape: S, shorthand: { numberShorthand?: string; trueShorthand?: boolean } = {}) {
  return described(z.strictObject(shape).describe(doc), shorthand).optional();
}

/** torch.nn.utils.clip_grad_norm_ after every backward. */
const clipGradNorm = part(
  'Gradient clipping by norm after every backward pass (`torch.nn.utils.clip_grad_norm_`). A number is `max_norm`. Absent or `null`: off.',
  {
    max_norm: z.number().gt(0).describe('The largest total norm the gradients may have; above it, every gradient is scaled down by the same factor.'),
    /** p of the p-norm; Infinity for the max norm (written "inf", torch's float('inf')). */
    norm_type: described(
      z
        .union([z.number().gt(0), z.literal('inf')])
        .default(2)
        .transform(v => (v === 'inf' ? Infinity : v))
        .describe('Which p-norm: 2 (Euclidean, the default), 1, or `"inf"` for the largest absolute value.'),
      { infinity: true },
    ),
    error_if_nonfinite: z.boolean().default(false).describe("Fail the run when the total norm is NaN or infinite, instead of scaling by it (torch's flag)."),
  },
  { numberShorthand: 'max_norm' },
);

const clipGradValue = part(
  'Gradient clipping by value after every backward pass (`torch.nn.utils.clip_grad_value_`). A number is `clip_value`. Absent or `null`: off.',
  { clip_value: z.number().gt(0).describe('Every gradient value is clipped to [−clip_value, clip_value].') },
  { numberShorthand: 'clip_value' },
);

/** Penalties added to the loss (train/penalties.ts): l1·Σ|w| + (l2/2)·Σw². */
const regularization = part('L1 and L2 penalties on the weights, added to the loss. Absent or `null`: none.', {
  l1: z.number().min(0).default(0).describe('Strength of the L1 penalty l1·Σ|w| added to the loss (pushes weights to exactly 0).'),
  l2: z.number().min(0).default(0).describe("Strength of the L2 penalty (l2/2)·Σw² added to the loss; its gradient l2·w equals SGD's `weight_decay`."),
  apply_to: z
    .enum(['weights', 'all'])
    .default('weights')
    .describe('Which parameters are penalized: `weights` (the weight matrices, not biases or normalization parameters) or `all`.'),
});

export const MONITORED_METRICS = ['val_loss', 'val_accuracy', 'train_loss', 'train_accuracy'] as const;
export type MonitoredMetric = (typeof MONITORED_METRICS)[number];

/** Keras' / Lightning's EarlyStopping semantics (torch has none). */
const earlyStopping = part(
  'Stop when the monitored metric has not improved for `patience` epochs (and put back the best weights). With `true`, the defaults. Absent or `null`: off.',
  {
    monitor: z
      .enum(MONITORED_METRICS)
      .default('val_loss')
      .describe('The metric to watch at the end of every epoch (`val_*` needs a validation set, `*_accuracy` a classification).'),
    mode: z
      .enum(['auto', 'min', 'max'])
      .default('auto')
      .describe('Whether the metric should fall (`min`) or rise (`max`); `auto`: `min` for losses, `max` for accuracies.'),
    patience: z.int().min(0).default(10).describe('Epochs without improvement before training stops.'),
    min_delta: z.number().min(0).default(0).describe('An epoch improves only when it beats the best by more than this.'),
    restore_best_weights: z.boolean().default(true).describe('At the end, put back the weights of the best epoch.'),
  },
  { trueShorthand: true },
);

/**
 * An exponential moving average of the weights (Polyak averaging, course notes 003: "x_test =
 * 0.995*x_test + 0.005*x, use for test set") that evaluation uses; training continues on the raw
 * weights. torch's reference: swa_utils.AveragedModel with avg_fn = decay·avg + (1 − decay)·p.
 */
const ema = part(
  'An exponential moving average of the weights (Polyak averaging), which evaluation uses; training continues on the raw weights. With `true`, the defaults. Absent or `null`: off.',
  {
    decay: z.number().min(0).max(1).default(0.999).describe('Weight of the old average at every step: average ← decay·average + (1 − decay)·weights.'),
    warmup: z
      .boolean()
      .default(false)
      .describe('Ramp the decay up as min(decay, (1 + n) / (10 + n)) after n updates, so the early average is not stuck at the initial weights.'),
    use_buffers: z
      .boolean()
      .default(false)
      .describe("Also average the batch_norm running statistics (torch `AveragedModel(use_buffers=True)`); otherwise evaluation uses the model's current ones."),
  },
  { trueShorthand: true },
);

export const trainingOptions = described(
  z
    .strictObject({
      epochs: described(z.int().min(1).max(LIMITS.epochs).default(10).describe('Passes over the training set.'), {
        limitReason: 'a run that long would not finish',
      }),
      batch_size: z.int().min(1).max(LIMITS.batchSize).default(32).describe('Examples per optimizer step (the last batch of an epoch may be smaller).'),
      seed: seed('Seed of the weight initialization, the shuffling and the dropout masks.'),
      shuffle: z.boolean().default(true).describe('Reshuffle the training examples at the start of every epoch.'),
      clip_grad_norm: clipGradNorm,
      clip_grad_value: clipGradValue,
      regularization,
      early_stopping: earlyStopping,
      ema,
    })
    .describe('The training loop.'),
  { example: '{ "epochs": 20, "batch_size": 32 }' },
);

export type TrainingSpec = z.output<typeof trainingOptions>;
export type ClipGradNormSpec = NonNullable<TrainingSpec['clip_grad_norm']>;
export type ClipGradValueSpec = NonNullable<TrainingSpec['clip_grad_value']>;
export type RegularizationSpec = NonNullable<TrainingSpec['regularization']>;
export type EarlyStoppingSpec = NonNullable<TrainingSpec['early_stopping']>;
export type EmaSpec = NonNullable<TrainingSpec['ema']>;
