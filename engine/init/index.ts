import type { Random } from '../core/random';
import type { Parameter } from '../core/parameter';
import { createInitializer, type InitializerSpec, type InitSpec } from './kinds';
import type { InitDistribution } from './distribution';
import { computeFans, type Fans } from './fans';

export { calculateGain } from './gain';
export { computeFans, type Fans } from './fans';
export { distributionMean, distributionStd, sampleInto, type InitDistribution } from './distribution';
export { erf, erfc, erfinv, normalCdf } from './erf';
export { orthogonalMatrix } from './orthogonal';
export { truncatedNormalMoments, truncatedNormalUniformRange } from './truncatedNormal';
export {
  Constant,
  Initializer,
  Orthogonal,
  RandomNormal,
  RandomUniform,
  Sparse,
  TruncatedNormal,
  Zeros,
} from './initializer';
export {
  KaimingNormal,
  KaimingUniform,
  LecunNormal,
  LecunUniform,
  TorchLinearDefault,
  VarianceScaling,
  XavierNormal,
  XavierUniform,
  type FanMode,
  type ScalingDistribution,
} from './varianceScaling';
export { createInitializer, INITIALIZERS, initPair, resolveInit, TWO_D_INITIALIZERS, type InitializerKind, type InitializerSpec, type InitSpec } from './kinds';
export { NONLINEARITIES, type Nonlinearity } from './gain';

/**
 * The distribution `spec` draws from for a tensor whose weight has `fans` (for a bias, pass the
 * fans of its weight). E.g. xavier_uniform(gain 1) on a 3→5 layer gives U(±√(6/8)).
 */
export function initDistribution(spec: InitializerSpec, fans: Fans): InitDistribution {
  return createInitializer(spec).distribution(fans);
}

/**
 * Initializes a linear layer in place: weight [out_features, in_features] as torch lays it out, then
 * the bias, both from `rng` in that order, the bias using the weight's fans (as nn.Linear does).
 */
export function initializeLinear(
  weight: Parameter,
  bias: Parameter | undefined,
  spec: InitSpec,
  rng: Random,
): void {
  if (weight.shape.length !== 2) {
    throw new RangeError(
      `initializeLinear expects a 2-D weight [out_features, in_features], got [${weight.shape.join(', ')}] (${weight.name})`,
    );
  }
  const fans = computeFans(weight.shape);
  createInitializer(spec.weight).initialize(weight.data, fans, rng);
  if (bias) createInitializer(spec.bias).initialize(bias.data, fans, rng);
}
