import type { FieldTable } from '../experiment/fieldTypes';
import type { TrainingExtrasSpec } from './spec';

/**
 * The experiment-format keys of the training loop's optional parts (engine/train/spec.ts), for the
 * validator and the JSON Schema generator. Each part is an object under `training`, absent = off;
 * `checkpoint` is a top-level section. Defaults follow torch where torch has the thing
 * (clip_grad_norm_'s norm_type 2 and error_if_nonfinite false; AveragedModel's use_buffers false)
 * and Keras' EarlyStopping otherwise — except its patience 0 and restore_best_weights false: an
 * object written to turn early stopping on almost always wants some patience and the best weights
 * back, so the defaults are patience 10 and restore_best_weights true.
 *
 * Rules these tables cannot say, for the validator:
 *  - clip_grad_norm.norm_type also accepts the string "inf" (→ Infinity), torch's float('inf');
 *  - early_stopping.monitor 'val_*' needs a validation set, '*_accuracy' a classification
 *    (the session checks both and throws SpecError at training.early_stopping.monitor);
 *  - setting both clip_grad_norm and clip_grad_value is allowed (norm first, then value) but
 *    unusual: worth a warning;
 *  - with an optimizer that takes a closure (lbfgs), batch_size and shuffle are not used: each epoch
 *    is one full-batch step (worth a note);
 *  - checkpoint.load_mode "resume" needs checkpoint.load; checkpoint.save_every needs checkpoint.save.
 */
export const TRAINING_EXTRA_FIELDS: Readonly<Record<keyof TrainingExtrasSpec, FieldTable>> = {
  clip_grad_norm: {
    max_norm: {
      kind: 'number',
      required: true,
      minimum: 0,
      exclusiveMinimum: true,
      doc: 'The largest total norm the gradients may have; above it, every gradient is scaled down by the same factor.',
    },
    norm_type: {
      kind: 'number',
      default: 2,
      minimum: 0,
      exclusiveMinimum: true,
      infinity: true,
      doc: 'Which p-norm: 2 (Euclidean, the default), 1, or `"inf"` for the largest absolute value.',
    },
    error_if_nonfinite: {
      kind: 'boolean',
      default: false,
      doc: 'Fail the run when the total norm is NaN or infinite, instead of scaling by it (torch\'s flag).',
    },
  },
  clip_grad_value: {
    clip_value: {
      kind: 'number',
      required: true,
      minimum: 0,
      exclusiveMinimum: true,
      doc: 'Every gradient value is clipped to [−clip_value, clip_value].',
    },
  },
  regularization: {
    l1: { kind: 'number', default: 0, minimum: 0, doc: 'Strength of the L1 penalty l1·Σ|w| added to the loss (pushes weights to exactly 0).' },
    l2: {
      kind: 'number',
      default: 0,
      minimum: 0,
      doc: "Strength of the L2 penalty (l2/2)·Σw² added to the loss; its gradient l2·w equals SGD's `weight_decay`.",
    },
    apply_to: {
      kind: 'enum',
      values: ['weights', 'all'],
      default: 'weights',
      doc: 'Which parameters are penalized: `weights` (the weight matrices, not biases or normalization parameters) or `all`.',
    },
  },
  early_stopping: {
    monitor: {
      kind: 'enum',
      values: ['val_loss', 'val_accuracy', 'train_loss', 'train_accuracy'],
      default: 'val_loss',
      doc: 'The metric to watch at the end of every epoch (`val_*` needs a validation set, `*_accuracy` a classification).',
    },
    mode: {
      kind: 'enum',
      values: ['auto', 'min', 'max'],
      default: 'auto',
      doc: 'Whether the metric should fall (`min`) or rise (`max`); `auto`: `min` for losses, `max` for accuracies.',
    },
    patience: { kind: 'number', default: 10, integer: true, minimum: 0, doc: 'Epochs without improvement before training stops.' },
    min_delta: { kind: 'number', default: 0, minimum: 0, doc: 'An epoch improves only when it beats the best by more than this.' },
    restore_best_weights: {
      kind: 'boolean',
      default: true,
      doc: 'At the end, put back the weights of the best epoch.',
    },
  },
  ema: {
    decay: {
      kind: 'number',
      default: 0.999,
      minimum: 0,
      maximum: 1,
      doc: 'Weight of the old average at every step: average ← decay·average + (1 − decay)·weights.',
    },
    warmup: {
      kind: 'boolean',
      default: false,
      doc: 'Ramp the decay up as min(decay, (1 + n) / (10 + n)) after n updates, so the early average is not stuck at the initial weights.',
    },
    use_buffers: {
      kind: 'boolean',
      default: false,
      doc: "Also average the batch_norm running statistics (torch `AveragedModel(use_buffers=True)`); otherwise evaluation uses the model's current ones.",
    },
  },
};

/** What each optional part of `training` does (hovers, completion, the reference). */
export const TRAINING_EXTRA_DOCS: Readonly<Record<keyof TrainingExtrasSpec, string>> = {
  clip_grad_norm:
    'Gradient clipping by norm after every backward pass (`torch.nn.utils.clip_grad_norm_`). A number is `max_norm`. Absent or `null`: off.',
  clip_grad_value:
    'Gradient clipping by value after every backward pass (`torch.nn.utils.clip_grad_value_`). A number is `clip_value`. Absent or `null`: off.',
  regularization: 'L1 and L2 penalties on the weights, added to the loss. Absent or `null`: none.',
  early_stopping:
    'Stop when the monitored metric has not improved for `patience` epochs (and put back the best weights). With `true`, the defaults. Absent or `null`: off.',
  ema: 'An exponential moving average of the weights (Polyak averaging), which evaluation uses; training continues on the raw weights. With `true`, the defaults. Absent or `null`: off.',
};

/** The top-level `checkpoint` section. */
export const CHECKPOINT_FIELDS: FieldTable = {
  load: {
    kind: 'string',
    doc: 'A `.safetensors` file to start from, relative to this experiment file (inside the workspace): model weights (such as torch\'s `save_file(model.state_dict())` writes) or a checkpoint saved by a run.',
  },
  load_mode: {
    kind: 'enum',
    values: ['weights', 'resume'],
    default: 'weights',
    doc: 'How to use the file: `weights` takes only the model\'s parameters and buffers and starts a new run, `resume` continues the saved run exactly (optimizer, schedules, epoch, random state).',
  },
  save: {
    kind: 'string',
    doc: 'Where to write a checkpoint (`.safetensors`), relative to this experiment file (inside the workspace). Absent: none is written.',
  },
  save_every: {
    kind: 'number',
    default: 0,
    integer: true,
    minimum: 0,
    doc: 'Also save every this many epochs (each overwrites the file); 0 = only at the end of the run.',
  },
  save_optimizer: {
    kind: 'boolean',
    default: true,
    doc: 'Include the optimizer and schedule state, the epoch and the random state (needed to resume); `false` saves the weights only.',
  },
};

/** What the `checkpoint` section is. */
export const CHECKPOINT_DOC =
  'Safetensors checkpoints: start from saved weights or resume a saved run (`load`), and save the run (`save`).';
