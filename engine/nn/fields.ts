import type { FieldTable } from '../experiment/fieldTypes';
import { LIMITS } from '../experiment/fieldTypes';
import { ACTIVATION_KINDS, type ActivationKind } from './spec';

/** The layer kinds of `model` and their keys (besides `type`). */
export const LAYER_KINDS: readonly ('linear' | ActivationKind)[] = ['linear', ...ACTIVATION_KINDS];

/** Keys of a linear layer besides `type` and `init` (activations have no keys). */
export const LINEAR_FIELDS: FieldTable = {
  out_features: {
    kind: 'number',
    integer: true,
    minimum: 1,
    maximum: LIMITS.outFeatures,
    limitReason: 'wider layers are beyond what this engine is for',
  },
  bias: { kind: 'boolean', default: true },
};
