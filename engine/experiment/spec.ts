/**
 * A fully resolved, validated experiment: what the training loop runs. Produced by
 * `experiment/parse.ts` from an `*.experiment.json` file (base merged with one variant, shorthands
 * expanded, PyTorch's defaults filled in). Names follow PyTorch (`lr`, `betas`, `weight_decay`,
 * `out_features`, `nonlinearity`, ...), so a user can carry settings across unchanged.
 */
export interface ExperimentSpec {
  /** The experiment's display name (the file's `name`, or its file name). */
  name: string;
  /** The variant this spec was resolved for; undefined for the base experiment. */
  variant?: string;
  description?: string;
  data: DataSpec;
  /** Layers in order, as in `torch.nn.Sequential`; parameter names follow its `state_dict`. */
  model: LayerSpec[];
  /** Initialization of every linear layer that does not set its own. */
  init: InitSpec;
  loss: LossSpec;
  optimizer: OptimizerSpec;
  training: TrainingSpec;
}

// ---- data -------------------------------------------------------------------------------------

export type SyntheticKind = 'spiral' | 'moons' | 'circles' | 'xor' | 'blobs';
export const SYNTHETIC_KINDS: readonly SyntheticKind[] = ['spiral', 'moons', 'circles', 'xor', 'blobs'];

export interface SyntheticDataSpec {
  type: SyntheticKind;
  /** Total number of examples (train + validation). */
  samples: number;
  /** Number of classes (spiral, blobs; moons, circles and xor have 2). */
  classes: number;
  /** Standard deviation of the Gaussian noise added to the points. */
  noise: number;
  /** Seed of the data generator (separate from the training seed, so variants share the data). */
  seed: number;
  /** Fraction of examples held out for validation, in [0, 1). */
  validation_split: number;
}

export type Task = 'classification' | 'regression';

export interface CsvDataSpec {
  type: 'csv';
  /** Path relative to the experiment file; must stay inside the workspace. */
  path: string;
  /** Header name of the target column. */
  target: string;
  task: Task;
  /** Standardize features by the training set's mean and std. */
  standardize: boolean;
  validation_split: number;
  /** Seed of the train/validation split shuffle. */
  seed: number;
}

export type DataSpec = SyntheticDataSpec | CsvDataSpec;

// ---- model ------------------------------------------------------------------------------------

export interface LinearLayerSpec {
  type: 'linear';
  /** Output width; omitted on the last linear layer = the number of classes / targets. */
  out_features?: number;
  bias: boolean;
  /** Overrides the experiment's `init` for this layer. */
  init?: InitSpec;
}

export type ActivationKind = 'relu' | 'tanh';
export const ACTIVATION_KINDS: readonly ActivationKind[] = ['relu', 'tanh'];

export interface ActivationLayerSpec {
  type: ActivationKind;
}

export type LayerSpec = LinearLayerSpec | ActivationLayerSpec;

// ---- initialization ---------------------------------------------------------------------------

export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu';

export type InitializerSpec =
  /** PyTorch's own nn.Linear init: kaiming_uniform(a=√5) for weights, U(±1/√fan_in) for bias. */
  | { type: 'default' }
  | { type: 'zeros' }
  | { type: 'constant'; value: number }
  | { type: 'normal'; mean: number; std: number }
  | { type: 'uniform'; a: number; b: number }
  | { type: 'xavier_uniform' | 'xavier_normal'; gain: number }
  | {
      type: 'kaiming_uniform' | 'kaiming_normal';
      a: number;
      mode: 'fan_in' | 'fan_out';
      nonlinearity: Nonlinearity;
    };

export type InitializerKind = InitializerSpec['type'];

export interface InitSpec {
  weight: InitializerSpec;
  bias: InitializerSpec;
}

// ---- loss and optimizer -----------------------------------------------------------------------

export type LossSpec = { type: 'cross_entropy' } | { type: 'mse' };
export type LossKind = LossSpec['type'];

export interface SgdSpec {
  type: 'sgd';
  lr: number;
  momentum: number;
  dampening: number;
  weight_decay: number;
  nesterov: boolean;
  maximize: boolean;
}

export interface AdamSpec {
  type: 'adam';
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
  amsgrad: boolean;
  maximize: boolean;
}

export type OptimizerSpec = SgdSpec | AdamSpec;
export type OptimizerKind = OptimizerSpec['type'];

// ---- training ---------------------------------------------------------------------------------

export interface TrainingSpec {
  epochs: number;
  batch_size: number;
  /** Seeds initialization and shuffling. */
  seed: number;
  shuffle: boolean;
}
