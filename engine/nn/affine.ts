import { Parameter } from '../core/parameter';

/**
 * The learnable per-feature scale γ and shift β of a normalization layer, initialized as torch's
 * reset_parameters does (γ = 1, β = 0; the experiment's `init` is for linear layers).
 */
export function affineParameters(name: string, features: number): { weight: Parameter; bias: Parameter } {
  const weight = new Parameter(`${name}.weight`, [features]);
  weight.data.fill(1);
  return { weight, bias: new Parameter(`${name}.bias`, [features]) };
}
