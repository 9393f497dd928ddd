/**
 * The one table of every key an experiment file may contain: its type, range, default (PyTorch's
 * where PyTorch has one) and the closed sets of `type` values. The validator reads it to check and
 * fill in a file; a unit test reads it to check that schemas/experiment.schema.json agrees, so the
 * editor's completion and the validator can never drift apart.
 */
import { LIMITS, seedField, type FieldTable } from './fieldTypes';

// Each part of the engine declares its kinds and their keys next to its code; this module gathers
// them with the keys that belong to the experiment as a whole.
export * from './fieldTypes';
export * from '../data/fields';
export * from '../init/fields';
export * from '../losses/fields';
export * from '../nn/fields';
export * from '../optim/fields';


export const TRAINING_FIELDS: FieldTable = {
  epochs: {
    kind: 'number',
    default: 10,
    integer: true,
    minimum: 1,
    maximum: LIMITS.epochs,
    limitReason: 'a run that long would not finish',
  },
  batch_size: { kind: 'number', default: 32, integer: true, minimum: 1, maximum: LIMITS.batchSize },
  seed: seedField,
  shuffle: { kind: 'boolean', default: true },
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
  'training',
  'variants',
] as const;
export const REQUIRED_TOP_LEVEL_KEYS = ['data', 'model', 'optimizer'] as const;
/** What a variant may override. */
export const VARIANT_KEYS = ['description', 'data', 'model', 'init', 'loss', 'optimizer', 'training'] as const;

/** Common misnamings → the key meant ("learning_rate" → "lr"), checked before edit distance. */
export const KEY_ALIASES: Readonly<Record<string, string>> = {
  learning_rate: 'lr',
  learningrate: 'lr',
  lr_rate: 'lr',
  beta1: 'betas',
  beta2: 'betas',
  beta: 'betas',
  epsilon: 'eps',
  decay: 'weight_decay',
  l2: 'weight_decay',
  batchsize: 'batch_size',
  batch: 'batch_size',
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
  use_bias: 'bias',
  n_epochs: 'epochs',
  num_epochs: 'epochs',
  file: 'path',
  label: 'target',
  labels: 'target',
  y: 'target',
  optim: 'optimizer',
  optimiser: 'optimizer',
  layers: 'model',
  dataset: 'data',
  criterion: 'loss',
  initialization: 'init',
  initializer: 'init',
  experiments: 'variants',
};
