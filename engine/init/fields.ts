import type { FieldTable, NumberField } from '../experiment/fieldTypes';
import type { InitializerKind } from './spec';

/** The initializer kinds of `init` and their keys (besides `type`): torch.nn.init's defaults. */
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
  'lecun_uniform',
  'lecun_normal',
  'orthogonal',
  'sparse',
  'trunc_normal',
];
export const NONLINEARITIES = ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu'] as const;
export const FAN_MODES = ['fan_in', 'fan_out'] as const;

/**
 * Initializers that need a 2-D weight, so they cannot initialize a 1-D bias: the fan-based ones
 * (fan-in/fan-out; torch raises "Fan in and fan out can not be computed for tensor with fewer than
 * 2 dimensions"), orthogonal ("Only tensors with 2 or more dimensions are supported") and sparse
 * ("Only tensors with 2 dimensions are supported"), which work on the matrix's rows and columns.
 */
export const FAN_BASED_INITIALIZERS: readonly InitializerKind[] = [
  'xavier_uniform',
  'xavier_normal',
  'kaiming_uniform',
  'kaiming_normal',
  'lecun_uniform',
  'lecun_normal',
  'orthogonal',
  'sparse',
];


/** What each initializer is (hovers, completion, the reference). */
export const INITIALIZER_DOCS: Readonly<Record<InitializerKind, string>> = {
  default: "PyTorch's own `nn.Linear` initialization: weights kaiming_uniform(a = √5), biases U(±1/√fan_in).",
  zeros: 'All zeros.',
  constant: 'A constant `value`.',
  normal: 'N(mean, std²).',
  uniform: 'U(a, b).',
  xavier_uniform: 'Glorot uniform: U(±gain·√(6 / (fan_in + fan_out))). Weights only.',
  xavier_normal: 'Glorot normal: N(0, gain²·2 / (fan_in + fan_out)). Weights only.',
  kaiming_uniform: 'He uniform: U(±gain·√(3 / fan)). Weights only.',
  kaiming_normal: 'He normal: N(0, gain² / fan). Weights only.',
  lecun_uniform: 'LeCun uniform: U(±√(3 / fan_in)), variance 1/fan_in. Weights only.',
  lecun_normal: 'LeCun normal: N(0, 1/fan_in). Weights only.',
  orthogonal: '`torch.nn.init.orthogonal_`: a (semi-)orthogonal matrix times `gain`. Weights only.',
  sparse: '`torch.nn.init.sparse_`: N(0, std²) with a fraction `sparsity` of each column set to zero. Weights only.',
  trunc_normal: '`torch.nn.init.trunc_normal_`: N(mean, std²) redrawn outside [a, b].',
};

const gain: NumberField = {
  kind: 'number',
  default: 1,
  minimum: 0,
  exclusiveMinimum: true,
  doc: 'Scaling factor (`torch.nn.init.calculate_gain(...)` for a given nonlinearity: relu √2, tanh 5/3).',
};
const kaiming: FieldTable = {
  a: { kind: 'number', default: 0, minimum: 0, doc: 'Negative slope of the rectifier after this layer (only used with `leaky_relu`).' },
  mode: {
    kind: 'enum',
    values: FAN_MODES,
    default: 'fan_in',
    doc: 'Which variance to preserve: `fan_in` that of the activations in the forward pass, `fan_out` that of the gradients in the backward pass.',
  },
  // torch.nn.init.kaiming_*'s default is leaky_relu (with a = 0 that is the ReLU gain √2).
  nonlinearity: {
    kind: 'enum',
    values: NONLINEARITIES,
    default: 'leaky_relu',
    doc: "The nonlinearity after this layer, which sets the gain. PyTorch's default is `leaky_relu` (with `a = 0` that is ReLU's gain √2).",
  },
};

/** Keys of each initializer besides `type` (PyTorch's torch.nn.init defaults). */
export const INITIALIZER_FIELDS: Readonly<Record<InitializerKind, FieldTable>> = {
  default: {},
  zeros: {},
  constant: { value: { kind: 'number', required: true, doc: 'The constant to fill with (`torch.nn.init.constant_(t, val)`).' } },
  normal: {
    mean: { kind: 'number', default: 0, doc: 'Mean of the normal distribution.' },
    std: { kind: 'number', default: 1, minimum: 0, doc: 'Standard deviation of the normal distribution.' },
  },
  uniform: {
    a: { kind: 'number', default: 0, doc: 'Lower bound of the uniform distribution.' },
    b: { kind: 'number', default: 1, doc: 'Upper bound of the uniform distribution.' },
  },
  xavier_uniform: { gain },
  xavier_normal: { gain },
  kaiming_uniform: kaiming,
  kaiming_normal: kaiming,
  // Not in torch: variance 1/fan_in, no options (lecun_normal is untruncated; see varianceScaling.ts).
  lecun_uniform: {},
  lecun_normal: {},
  orthogonal: { gain },
  // torch's sparse_(tensor, sparsity, std=0.01): sparsity has no default.
  sparse: {
    sparsity: { kind: 'number', required: true, minimum: 0, maximum: 1, doc: 'Fraction of each column set to zero, in [0, 1].' },
    std: { kind: 'number', default: 0.01, minimum: 0, doc: 'Standard deviation of the non-zero values.' },
  },
  // torch's trunc_normal_(tensor, mean=0., std=1., a=-2., b=2.): a and b are absolute bounds.
  trunc_normal: {
    mean: { kind: 'number', default: 0, doc: 'Mean of the normal distribution.' },
    std: { kind: 'number', default: 1, minimum: 0, exclusiveMinimum: true, doc: 'Standard deviation of the normal distribution.' },
    a: { kind: 'number', default: -2, doc: 'Lower cut-off (an absolute value, not in standard deviations).' },
    b: { kind: 'number', default: 2, doc: 'Upper cut-off (an absolute value, not in standard deviations).' },
  },
};

/** `init` when the file does not say: PyTorch's own nn.Linear initialization for both. */
export const DEFAULT_INITIALIZER: InitializerKind = 'default';
