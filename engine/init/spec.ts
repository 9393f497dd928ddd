/** What an experiment's `init` (and a layer's own `init`) resolves to: torch.nn.init's initializers. */

// ---- initialization ---------------------------------------------------------------------------

export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu';

export type InitializerSpec =
  /** PyTorch's own nn.Linear init: kaiming_uniform(a=√5) for weights, U(±1/√fan_in) for bias. */
  | { type: 'default' }
  | { type: 'zeros' }
  /** E.g. a bias of 0.1 for ReLU units, so they start active (the course notes' advice). */
  | { type: 'constant'; value: number }
  | { type: 'normal'; mean: number; std: number }
  | { type: 'uniform'; a: number; b: number }
  | { type: 'xavier_uniform' | 'xavier_normal'; gain: number }
  | {
      type: 'kaiming_uniform' | 'kaiming_normal';
      a: number;
      mode: 'fan_in' | 'fan_out';
      nonlinearity: Nonlinearity;
    }
  /** Variance 1/fan_in (not in torch; = kaiming_*(mode='fan_in', nonlinearity='linear')); normal is untruncated. */
  | { type: 'lecun_uniform' | 'lecun_normal' }
  /** torch.nn.init.orthogonal_(t, gain): a (semi-)orthogonal weight times gain. */
  | { type: 'orthogonal'; gain: number }
  /** torch.nn.init.sparse_(t, sparsity, std): ceil(sparsity·out_features) zeros in every column. */
  | { type: 'sparse'; sparsity: number; std: number }
  /** torch.nn.init.trunc_normal_(t, mean, std, a, b): a and b are absolute bounds. */
  | { type: 'trunc_normal'; mean: number; std: number; a: number; b: number };

export type InitializerKind = InitializerSpec['type'];

export interface InitSpec {
  weight: InitializerSpec;
  bias: InitializerSpec;
}
