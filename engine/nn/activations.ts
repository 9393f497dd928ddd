/** The activations without weights (nn/kinds.ts builds them from their specs). */

export { Activation, Elementwise } from './elementwise';
export { GLU } from './glu';
export { ExponentialLinear, Hardtanh, LeakyReLU, ReLU } from './rectifiers';
export { GELU, Hardswish, Mish, Sigmoid, SiLU, Softplus, Tanh } from './smoothActivations';
export { LogSoftmax, Softmax } from './softmax';
