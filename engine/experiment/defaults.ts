/**
 * The one table of every key an experiment file may contain: its type, range, default (PyTorch's
 * where PyTorch has one) and the closed sets of `type` values. The validator reads it to check and
 * fill in a file; a unit test reads it to check that schemas/experiment.schema.json agrees, so the
 * editor's completion and the validator can never drift apart.
 */
import { TRAINING_EXTRA_DOCS, TRAINING_EXTRA_FIELDS } from '../train/fields';
import { LIMITS, seedField, type FieldTable, type ObjectField } from './fieldTypes';

// Each part of the engine declares its kinds and their keys next to its code; this module gathers
// them with the keys that belong to the experiment as a whole.
export * from './fieldTypes';
export * from '../data/fields';
export * from '../init/fields';
export * from '../losses/fields';
export * from '../nn/fields';
export * from '../optim/fields';
export * from '../train/fields';
export * from './observeFields';
export {
  defaultInterval,
  MOMENTUM_SCHEDULE_DOCS,
  MOMENTUM_SCHEDULE_FIELDS,
  MOMENTUM_SCHEDULE_KINDS,
  SCHEDULE_DOCS,
  SCHEDULE_FIELDS,
  SCHEDULE_INTERVALS,
  SCHEDULE_KINDS,
  SCHEDULE_LIST_FIELDS,
  SEQUENTIAL_CHILD_FIELDS,
  SEQUENTIAL_CHILD_KINDS,
} from '../schedule/fields';

/** The optional parts of training as keys of `training`: objects that are off when absent or null. */
const extra = (key: keyof typeof TRAINING_EXTRA_FIELDS, shorthand: Partial<ObjectField> = {}): ObjectField => ({
  kind: 'object',
  fields: TRAINING_EXTRA_FIELDS[key],
  doc: TRAINING_EXTRA_DOCS[key],
  ...shorthand,
});

export const TRAINING_FIELDS: FieldTable = {
  epochs: {
    kind: 'number',
    default: 10,
    integer: true,
    minimum: 1,
    maximum: LIMITS.epochs,
    limitReason: 'a run that long would not finish',
    doc: 'Passes over the training set.',
  },
  batch_size: {
    kind: 'number',
    default: 32,
    integer: true,
    minimum: 1,
    maximum: LIMITS.batchSize,
    doc: 'Examples per optimizer step (the last batch of an epoch may be smaller).',
  },
  seed: { ...seedField, doc: 'Seed of the weight initialization, the shuffling and the dropout masks.' },
  shuffle: { kind: 'boolean', default: true, doc: 'Reshuffle the training examples at the start of every epoch.' },
  clip_grad_norm: extra('clip_grad_norm', { numberShorthand: 'max_norm' }),
  clip_grad_value: extra('clip_grad_value', { numberShorthand: 'clip_value' }),
  regularization: extra('regularization'),
  early_stopping: extra('early_stopping', { trueShorthand: true }),
  ema: extra('ema', { trueShorthand: true }),
};

/** Top-level keys. `data`, `model` and `optimizer` are required. */
export const TOP_LEVEL_KEYS = [
  '$schema',
  'name',
  'description',
  'data',
  'model',
  'init',
  'loss',
  'optimizer',
  'schedule',
  'momentum_schedule',
  'training',
  'checkpoint',
  'probes',
  'diagnostics',
  'variants',
] as const;
export const REQUIRED_TOP_LEVEL_KEYS = ['data', 'model', 'optimizer'] as const;
/** What a variant may override: every section (not its identity, nor other variants). */
export const VARIANT_KEYS = TOP_LEVEL_KEYS.filter(
  (k): k is Exclude<(typeof TOP_LEVEL_KEYS)[number], '$schema' | 'name' | 'variants'> => k !== '$schema' && k !== 'name' && k !== 'variants',
);

/**
 * Common misnamings → the key meant ("learning_rate" → "lr"), checked before edit distance. A list
 * names the candidates in order; the first one the object has is suggested ("l2" is `weight_decay`
 * in an optimizer and `regularization` in training).
 */
export const KEY_ALIASES: Readonly<Record<string, string | readonly string[]>> = {
  learning_rate: ['lr', 'max_lr'],
  learningrate: 'lr',
  lr_rate: 'lr',
  beta1: ['betas', 'momentum'],
  beta2: 'betas',
  beta: 'betas',
  epsilon: 'eps',
  decay: ['weight_decay', 'decay_rate', 'gamma'],
  l2: ['weight_decay', 'regularization'],
  l1: 'regularization',
  l2_reg: ['weight_decay', 'l2', 'regularization'],
  weight_decay: ['l2', 'regularization'],
  batchsize: 'batch_size',
  batch: 'batch_size',
  minibatch_size: 'batch_size',
  n_samples: 'samples',
  num_samples: 'samples',
  n_classes: 'classes',
  num_classes: 'classes',
  val_split: 'validation_split',
  validation: 'validation_split',
  units: 'out_features',
  size: 'out_features',
  out: 'out_features',
  outputs: 'out_features',
  hidden: 'out_features',
  width: 'out_features',
  use_bias: 'bias',
  n_epochs: 'epochs',
  num_epochs: 'epochs',
  file: 'path',
  label: 'target',
  labels: 'target',
  y: 'target',
  optim: 'optimizer',
  optimiser: 'optimizer',
  base_optimizer: 'optimizer',
  inner: 'optimizer',
  layers: 'model',
  dataset: 'data',
  criterion: 'loss',
  initialization: 'init',
  initializer: 'init',
  experiments: 'variants',
  // layers
  dropout_rate: 'p',
  rate: 'p',
  drop_prob: 'p',
  keep_prob: 'p',
  slope: ['negative_slope', 'init'],
  alpha: 'negative_slope',
  k: 'pieces',
  num_pieces: 'pieces',
  // training
  clip: 'clip_grad_norm',
  clipnorm: 'clip_grad_norm',
  clip_norm: ['clip_grad_norm', 'max_norm'],
  grad_clip: 'clip_grad_norm',
  gradient_clipping: 'clip_grad_norm',
  max_grad_norm: 'clip_grad_norm',
  clipvalue: 'clip_grad_value',
  clip_value: 'clip_grad_value',
  early_stop: 'early_stopping',
  earlystopping: 'early_stopping',
  patience: 'early_stopping',
  polyak: 'ema',
  averaging: 'ema',
  moving_average: 'ema',
  // schedules
  scheduler: 'schedule',
  lr_scheduler: 'schedule',
  lr_schedule: 'schedule',
  schedules: 'schedule',
  momentum_scheduler: 'momentum_schedule',
  stepsize: 'step_size',
  step: 'step_size',
  steps: ['step_size', 'total_steps'],
  milestone: 'milestones',
  tmax: 'T_max',
  t_max: 'T_max',
  t_0: 'T_0',
  t_mult: 'T_mult',
  min_lr: ['eta_min', 'min_lr'],
  eta_min: ['eta_min', 'min_lr'],
  warmup: ['pct_start', 'total_iters'],
  // checkpoints
  checkpoints: 'checkpoint',
  resume: ['checkpoint', 'load_mode'],
  load_from: 'load',
  save_to: 'save',
  path: ['path', 'save', 'load'],
  every: 'save_every',
};

/**
 * Names people use for a kind → the kind meant ("cosine" → cosine_annealing, "glorot_uniform" →
 * xavier_uniform), suggested with "did you mean"; the file must use the kind's own name.
 * torch's class names (CosineAnnealingLR, BatchNorm1d, CrossEntropyLoss) need no entry: suggest.ts
 * matches them by their letters.
 */
export const TYPE_ALIASES: Readonly<Record<string, string>> = {
  // schedules
  cosine: 'cosine_annealing',
  cos: 'cosine_annealing',
  cosine_decay: 'cosine_annealing',
  cosine_warm_restarts: 'cosine_annealing_warm_restarts',
  sgdr: 'cosine_annealing_warm_restarts',
  warm_restarts: 'cosine_annealing_warm_restarts',
  reduce_on_plateau: 'reduce_lr_on_plateau',
  plateau: 'reduce_lr_on_plateau',
  onecycle: 'one_cycle',
  '1cycle': 'one_cycle',
  cyclical: 'cyclic',
  exp: 'exponential',
  exp_decay: 'exponential',
  exponential_decay: 'exponential',
  step_decay: 'step',
  multistep: 'multi_step',
  poly: 'polynomial',
  warmup: 'linear',
  linear_warmup: 'linear',
  inverse_time_decay: 'inverse_time',
  '1/t': 'inverse_time',
  // optimizers
  momentum: 'sgd',
  nesterov: 'sgd',
  gd: 'sgd',
  'l-bfgs': 'lbfgs',
  bfgs: 'lbfgs',
  adam_w: 'adamw',
  // layers
  dense: 'linear',
  fc: 'linear',
  bn: 'batch_norm',
  batchnorm1d: 'batch_norm',
  ln: 'layer_norm',
  swiglu: 'glu',
  logsoftmax: 'log_softmax',
  // losses
  ce: 'cross_entropy',
  nll: 'nll_loss',
  bce: 'bce_with_logits',
  binary_cross_entropy: 'bce_with_logits',
  mae: 'smooth_l1',
  l1: 'smooth_l1',
  l2: 'mse',
  squared_error: 'mse',
  // initializers
  glorot_uniform: 'xavier_uniform',
  glorot_normal: 'xavier_normal',
  he_uniform: 'kaiming_uniform',
  he_normal: 'kaiming_normal',
  kaiming: 'kaiming_normal',
  xavier: 'xavier_uniform',
  glorot: 'xavier_uniform',
  he: 'kaiming_normal',
  lecun: 'lecun_normal',
  truncated_normal: 'trunc_normal',
  zero: 'zeros',
  gaussian: 'normal',
  randn: 'normal',
};
