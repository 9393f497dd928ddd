import type { Kernels } from '../core/kernels';
import type { Random } from '../core/random';
import type { InitSpec } from '../init/spec';
import { SpecError } from '../experiment/specError';
import { initializeLinear } from '../init';
import { createActivation } from './activations';
import { BatchNorm1d } from './batchNorm';
import { Dropout } from './dropout';
import { layerDefault } from './fields';
import type { Layer } from './layer';
import { LayerNorm } from './layerNorm';
import { Linear } from './linear';
import { Maxout } from './maxout';
import { PReLU } from './prelu';
import type { LayerKind, LayerSpec } from './spec';

/** What building one layer needs besides its spec. */
export interface LayerContext {
  /** Position in the model: the state_dict prefix ("3" → "3.weight"). */
  index: number;
  /** Width of the layer's input (the previous layer's output). */
  inFeatures: number;
  /** For linear and maxout: the output width, already resolved by the model builder. */
  outFeatures: number;
  maxRows: number;
  kernels: Kernels;
  /** The experiment's init, for linear and maxout layers without their own. */
  init: InitSpec;
  /** Initializes weights (in model order) and seeds random layers (forked per layer index). */
  rng: Random;
  /** Whether the layer must compute ∂loss/∂input (every layer but a model's first). */
  inputGradient: boolean;
}

function num(value: number | undefined, kind: LayerKind, key: string): number {
  return value ?? (layerDefault(kind, key) as number);
}

function bool(value: boolean | undefined, kind: LayerKind, key: string): boolean {
  return value ?? (layerDefault(kind, key) as boolean);
}

/**
 * Builds the layer `spec` describes, with torch's defaults for keys it leaves out. Linear and maxout
 * weights are initialized from `context.rng` with the layer's `init` or the experiment's; batch and
 * layer norm start at γ = 1, β = 0, PReLU at its `init`, as torch. Values a spec cannot have (found
 * only once the widths are known) are reported as SpecErrors at the key to blame.
 */
export function createLayer(spec: LayerSpec, context: LayerContext): Layer {
  const { index, inFeatures: width, maxRows } = context;
  const name = String(index);
  const at = (key?: string): (string | number)[] => (key === undefined ? ['model', index] : ['model', index, key]);
  try {
    switch (spec.type) {
      case 'linear': {
        const linear = new Linear({
          name,
          inFeatures: width,
          outFeatures: context.outFeatures,
          bias: spec.bias,
          maxRows,
          kernels: context.kernels,
          inputGradient: context.inputGradient,
        });
        initializeLinear(linear.weight, linear.bias, spec.init ?? context.init, context.rng);
        return linear;
      }
      case 'maxout': {
        const pieces = num(spec.pieces, spec.type, 'pieces');
        if (!Number.isInteger(pieces) || pieces < 1) throw new SpecError(`pieces must be a positive integer, not ${pieces}`, at('pieces'));
        const maxout = new Maxout({
          name,
          inFeatures: width,
          outFeatures: context.outFeatures,
          pieces,
          bias: bool(spec.bias, spec.type, 'bias'),
          maxRows,
          kernels: context.kernels,
          inputGradient: context.inputGradient,
        });
        initializeLinear(maxout.weight, maxout.bias, spec.init ?? context.init, context.rng);
        return maxout;
      }
      case 'prelu': {
        const numParameters = num(spec.num_parameters, spec.type, 'num_parameters');
        if (numParameters !== 1 && numParameters !== width) {
          throw new SpecError(
            `num_parameters must be 1 (one slope for all) or ${width} (one per feature of the layer's input), not ${numParameters}`,
            at('num_parameters'),
          );
        }
        return new PReLU({ name, features: width, numParameters, init: num(spec.init, spec.type, 'init'), maxRows });
      }
      case 'batch_norm': {
        const momentum = spec.momentum === undefined ? (layerDefault(spec.type, 'momentum') as number) : spec.momentum;
        return new BatchNorm1d({
          name,
          features: width,
          eps: num(spec.eps, spec.type, 'eps'),
          momentum,
          affine: bool(spec.affine, spec.type, 'affine'),
          trackRunningStats: bool(spec.track_running_stats, spec.type, 'track_running_stats'),
          maxRows,
        });
      }
      case 'layer_norm':
        return new LayerNorm({
          name,
          features: width,
          eps: num(spec.eps, spec.type, 'eps'),
          elementwiseAffine: bool(spec.elementwise_affine, spec.type, 'elementwise_affine'),
          maxRows,
        });
      case 'dropout': {
        const p = num(spec.p, spec.type, 'p');
        if (!(p >= 0 && p <= 1)) throw new SpecError(`p must be between 0 and 1, not ${p}`, at('p'));
        return new Dropout({ features: width, p, maxRows, rng: context.rng.fork(`dropout:${index}`) });
      }
      case 'glu':
        if (width % 2 !== 0) {
          throw new SpecError(`glu halves the features, so the width before it must be even, not ${width}`, at());
        }
        return createActivation(spec, width, maxRows);
      case 'celu':
        if (spec.alpha === 0) throw new SpecError('alpha must not be 0 (CELU divides by it)', at('alpha'));
        return createActivation(spec, width, maxRows);
      case 'hardtanh': {
        const min = num(spec.min_val, spec.type, 'min_val');
        const max = num(spec.max_val, spec.type, 'max_val');
        if (!(min < max)) throw new SpecError(`max_val (${max}) must be greater than min_val (${min})`, at(spec.max_val === undefined ? 'min_val' : 'max_val'));
        return createActivation(spec, width, maxRows);
      }
      default:
        return createActivation(spec, width, maxRows);
    }
  } catch (error) {
    if (error instanceof SpecError) throw error;
    // A constructor's own check (it should have been caught above): still blame this layer.
    if (error instanceof RangeError) throw new SpecError(error.message, at());
    throw error;
  }
}

/** The output width a layer of `spec` has on an input of `width` (linear and maxout: `resolved`). */
export function layerWidth(spec: LayerSpec, width: number, resolved: number): number {
  switch (spec.type) {
    case 'linear':
    case 'maxout':
      return resolved;
    case 'glu':
      return width / 2;
    default:
      return width;
  }
}
