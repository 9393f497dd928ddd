/**
 * The activations without weights, and the factory that builds one from its spec. Keys left out of
 * a spec take torch's defaults from LAYER_FIELDS.
 */
import { layerDefault } from './fields';
import { GLU } from './glu';
import type { Layer } from './layer';
import { ExponentialLinear, Hardtanh, LeakyReLU, ReLU } from './rectifiers';
import { GELU, Hardswish, Mish, Sigmoid, SiLU, Softplus, Tanh } from './smoothActivations';
import { LogSoftmax, Softmax } from './softmax';
import type { ActivationKind, ActivationSpec } from './spec';

export { Activation, Elementwise } from './elementwise';
export { GLU } from './glu';
export { ExponentialLinear, Hardtanh, LeakyReLU, ReLU } from './rectifiers';
export { GELU, Hardswish, Mish, Sigmoid, SiLU, Softplus, Tanh } from './smoothActivations';
export { LogSoftmax, Softmax } from './softmax';

function num(value: number | undefined, kind: ActivationKind, key: string): number {
  return value ?? (layerDefault(kind, key) as number);
}

/** The activation `spec` describes, for `features` inputs ("swish" builds torch's SiLU). */
export function createActivation(spec: ActivationSpec | ActivationKind, features: number, maxRows: number): Layer {
  const s: ActivationSpec = typeof spec === 'string' ? ({ type: spec } as ActivationSpec) : spec;
  switch (s.type) {
    case 'relu':
      return new ReLU(features, maxRows);
    case 'leaky_relu':
      return new LeakyReLU(features, maxRows, num(s.negative_slope, s.type, 'negative_slope'));
    case 'elu':
      return ExponentialLinear.elu(features, maxRows, num(s.alpha, s.type, 'alpha'));
    case 'selu':
      return ExponentialLinear.selu(features, maxRows);
    case 'celu':
      return ExponentialLinear.celu(features, maxRows, num(s.alpha, s.type, 'alpha'));
    case 'gelu':
      return new GELU(features, maxRows, s.approximate ?? (layerDefault('gelu', 'approximate') as 'none' | 'tanh'));
    case 'silu':
    case 'swish':
      return new SiLU(features, maxRows);
    case 'hardswish':
      return new Hardswish(features, maxRows);
    case 'softplus':
      return new Softplus(features, maxRows, num(s.beta, s.type, 'beta'), num(s.threshold, s.type, 'threshold'));
    case 'sigmoid':
      return new Sigmoid(features, maxRows);
    case 'tanh':
      return new Tanh(features, maxRows);
    case 'mish':
      return new Mish(features, maxRows);
    case 'hardtanh':
      return new Hardtanh(features, maxRows, num(s.min_val, s.type, 'min_val'), num(s.max_val, s.type, 'max_val'));
    case 'softmax':
      return new Softmax(features, maxRows);
    case 'log_softmax':
      return new LogSoftmax(features, maxRows);
    case 'glu':
      return new GLU(features, maxRows);
  }
}
