/** What an experiment's `init` (and a layer's own `init`) resolves to: torch.nn.init's initializers. */

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
