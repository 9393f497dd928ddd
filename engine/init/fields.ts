import type { FieldTable } from '../experiment/fieldTypes';
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
];
export const NONLINEARITIES = ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu'] as const;
export const FAN_MODES = ['fan_in', 'fan_out'] as const;

/** Initializers that need a weight's fan-in/fan-out, which a 1-D bias does not have. */
export const FAN_BASED_INITIALIZERS: readonly InitializerKind[] = [
  'xavier_uniform',
  'xavier_normal',
  'kaiming_uniform',
  'kaiming_normal',
];


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
