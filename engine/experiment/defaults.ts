/**
 * The one table of every key an experiment file may contain: its type, range, default (PyTorch's
 * where PyTorch has one) and the closed sets of `type` values. The validator reads it to check and
 * fill in a file; a unit test reads it to check that schemas/experiment.schema.json agrees, so the
 * editor's completion and the validator can never drift apart.
 */
import {
  ACTIVATION_KINDS,
  SYNTHETIC_KINDS,
  type ActivationKind,
  type InitializerKind,
  type LossKind,
  type OptimizerKind,
  type SyntheticKind,
} from './spec';

export interface NumberField {
  kind: 'number';
  /** Absent together with `required` = optional without a value (e.g. a last layer's out_features). */
  default?: number;
  required?: boolean;
  integer?: boolean;
  minimum?: number;
  /** The value must be strictly greater than `minimum`. */
  exclusiveMinimum?: boolean;
  maximum?: number;
  /** The value must be strictly less than `maximum`. */
  exclusiveMaximum?: boolean;
  /** Why `maximum` exists when it is a practical limit rather than a mathematical one. */
  limitReason?: string;
  /** The only value allowed (e.g. moons always has 2 classes). */
  fixed?: number;
}

export interface BooleanField {
  kind: 'boolean';
  default: boolean;
}

export interface EnumField {
  kind: 'enum';
  values: readonly string[];
  default: string;
}

export interface StringField {
  kind: 'string';
  required?: boolean;
}

/** Two numbers, each in [minimum, maximum) — Adam's betas. */
export interface PairField {
  kind: 'pair';
  default: readonly [number, number];
  minimum: number;
  maximum: number;
}

export type Field = NumberField | BooleanField | EnumField | StringField | PairField;
export type FieldTable = Readonly<Record<string, Field>>;

// ---- closed sets --------------------------------------------------------------------------------

export const DATA_KINDS: readonly (SyntheticKind | 'csv')[] = [...SYNTHETIC_KINDS, 'csv'];
export const LAYER_KINDS: readonly ('linear' | ActivationKind)[] = ['linear', ...ACTIVATION_KINDS];
export const LOSS_KINDS: readonly LossKind[] = ['cross_entropy', 'mse'];
export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['sgd', 'adam'];
export const INITIALIZER_KINDS: readonly InitializerKind[] = [
  'default',
  'zeros',
  'constant',
  'normal',
  'uniform',
  'xavier_uniform',
  'xavier_normal',
  'kaiming_uniform',
  'kaiming_normal',
];
export const NONLINEARITIES = ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu'] as const;
export const FAN_MODES = ['fan_in', 'fan_out'] as const;
export const TASKS = ['classification', 'regression'] as const;

/** Initializers that need a weight's fan-in/fan-out, which a 1-D bias does not have. */
export const FAN_BASED_INITIALIZERS: readonly InitializerKind[] = [
  'xavier_uniform',
  'xavier_normal',
  'kaiming_uniform',
  'kaiming_normal',
];

// ---- practical limits ---------------------------------------------------------------------------

export const LIMITS = {
  samples: 1_000_000,
  classes: 1000,
  outFeatures: 65_536,
  epochs: 1_000_000,
  batchSize: 1_000_000,
  /** Weights + biases of the whole model. */
  parameters: 10_000_000,
  /** Optimizer steps of a whole run. */
  totalSteps: 100_000_000,
  /** Multiply-adds of a whole run (forward + backward ≈ 3 × forward); ~hours in pure JavaScript. */
  work: 1e13,
  /** Above this, warn that the run will take a while. */
  workWarning: 2e11,
  /** Data files. */
  fileBytes: 50 * 1024 * 1024,
  rows: 1_000_000,
  cells: 20_000_000,
} as const;

// ---- shared fields ------------------------------------------------------------------------------

const seedField: NumberField = { kind: 'number', default: 0, integer: true, minimum: 0, maximum: 4294967295 };
const validationSplitField: NumberField = {
  kind: 'number',
  default: 0.2,
  minimum: 0,
  maximum: 1,
  exclusiveMaximum: true,
};

function syntheticFields(classes: number | 'fixed2', noise: number): FieldTable {
  const classesField: NumberField =
    classes === 'fixed2'
      ? { kind: 'number', default: 2, integer: true, fixed: 2 }
      : {
          kind: 'number',
          default: classes,
          integer: true,
          minimum: 2,
          maximum: LIMITS.classes,
          limitReason: 'more classes than that is beyond what a small network here is for',
        };
  return {
    samples: {
      kind: 'number',
      default: 300,
      integer: true,
      minimum: 1,
      maximum: LIMITS.samples,
      limitReason: 'a larger synthetic set would not fit comfortably in memory',
    },
    classes: classesField,
    noise: { kind: 'number', default: noise, minimum: 0 },
    seed: seedField,
    validation_split: validationSplitField,
  };
}

/** Keys of each data kind (besides `type`). */
export const DATA_FIELDS: Readonly<Record<SyntheticKind | 'csv', FieldTable>> = {
  spiral: syntheticFields(3, 0.2),
  moons: syntheticFields('fixed2', 0.1),
  circles: syntheticFields('fixed2', 0.05),
  xor: syntheticFields('fixed2', 0.05),
  blobs: syntheticFields(3, 0.5),
  csv: {
    path: { kind: 'string', required: true },
    target: { kind: 'string', required: true },
    task: { kind: 'enum', values: TASKS, default: 'classification' },
    standardize: { kind: 'boolean', default: true },
    validation_split: validationSplitField,
    seed: seedField,
  },
};

/** Keys of a linear layer besides `type` and `init` (activations have no keys). */
export const LINEAR_FIELDS: FieldTable = {
  out_features: {
    kind: 'number',
    integer: true,
    minimum: 1,
    maximum: LIMITS.outFeatures,
    limitReason: 'wider layers are beyond what this engine is for',
  },
  bias: { kind: 'boolean', default: true },
};

/** Keys of each initializer besides `type` (PyTorch's torch.nn.init defaults). */
export const INITIALIZER_FIELDS: Readonly<Record<InitializerKind, FieldTable>> = {
  default: {},
  zeros: {},
  constant: { value: { kind: 'number', required: true } },
  normal: { mean: { kind: 'number', default: 0 }, std: { kind: 'number', default: 1, minimum: 0 } },
  uniform: { a: { kind: 'number', default: 0 }, b: { kind: 'number', default: 1 } },
  xavier_uniform: { gain: { kind: 'number', default: 1, minimum: 0, exclusiveMinimum: true } },
  xavier_normal: { gain: { kind: 'number', default: 1, minimum: 0, exclusiveMinimum: true } },
  kaiming_uniform: {
    a: { kind: 'number', default: 0, minimum: 0 },
    mode: { kind: 'enum', values: FAN_MODES, default: 'fan_in' },
    // torch.nn.init.kaiming_*'s default is leaky_relu (with a = 0 that is the ReLU gain √2).
    nonlinearity: { kind: 'enum', values: NONLINEARITIES, default: 'leaky_relu' },
  },
  kaiming_normal: {
    a: { kind: 'number', default: 0, minimum: 0 },
    mode: { kind: 'enum', values: FAN_MODES, default: 'fan_in' },
    nonlinearity: { kind: 'enum', values: NONLINEARITIES, default: 'leaky_relu' },
  },
};

/** `init` when the file does not say: PyTorch's own nn.Linear initialization for both. */
export const DEFAULT_INITIALIZER: InitializerKind = 'default';

/** Keys of each optimizer besides `type` (torch.optim defaults). */
export const OPTIMIZER_FIELDS: Readonly<Record<OptimizerKind, FieldTable>> = {
  sgd: {
    // torch.optim.SGD has no default learning rate (it was `required` until 2.x and is still the
    // one setting everyone must choose), so the file must say it.
    lr: { kind: 'number', required: true, minimum: 0, exclusiveMinimum: true },
    momentum: { kind: 'number', default: 0, minimum: 0 },
    dampening: { kind: 'number', default: 0 },
    weight_decay: { kind: 'number', default: 0, minimum: 0 },
    nesterov: { kind: 'boolean', default: false },
    maximize: { kind: 'boolean', default: false },
  },
  adam: {
    lr: { kind: 'number', default: 1e-3, minimum: 0, exclusiveMinimum: true },
    betas: { kind: 'pair', default: [0.9, 0.999], minimum: 0, maximum: 1 },
    eps: { kind: 'number', default: 1e-8, minimum: 0, exclusiveMinimum: true },
    weight_decay: { kind: 'number', default: 0, minimum: 0 },
    amsgrad: { kind: 'boolean', default: false },
    maximize: { kind: 'boolean', default: false },
  },
};

export const LOSS_FIELDS: Readonly<Record<LossKind, FieldTable>> = { cross_entropy: {}, mse: {} };

/** The loss when the file does not say: by the data's task. */
export const DEFAULT_LOSS: Readonly<Record<'classification' | 'regression', LossKind>> = {
  classification: 'cross_entropy',
  regression: 'mse',
};

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
