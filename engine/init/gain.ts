/** The nonlinearities whose gain torch knows (and kaiming_*'s `nonlinearity` takes). */
export const NONLINEARITIES = ['linear', 'sigmoid', 'tanh', 'relu', 'selu', 'leaky_relu'] as const;
export type Nonlinearity = (typeof NONLINEARITIES)[number];

/**
 * `torch.nn.init.calculate_gain`: the factor that keeps activations' variance steady through a
 * nonlinearity. For leaky_relu, `param` is the negative slope; torch uses 0.01 when it is omitted
 * (kaiming_* always passes its `a`, so there a = 0 means plain ReLU's √2).
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5.0 / 3;
    case 'relu':
      return Math.sqrt(2.0);
    // Not a variance-preserving gain: torch's choice for SELU's self-normalizing init (3/4 keeps
    // its activations near unit variance with kaiming's fan_in).
    case 'selu':
      return 3.0 / 4;
    case 'leaky_relu': {
      const negativeSlope = param ?? 0.01;
      if (!Number.isFinite(negativeSlope)) {
        throw new RangeError(`negative_slope ${negativeSlope} not a valid number`);
      }
      return Math.sqrt(2.0 / (1 + negativeSlope ** 2));
    }
  }
}
