import type { OptimizerKind, OptimizerSpec } from './spec';
import type { Parameter } from '../nn/parameter';
import { Adam } from './adam';
import type { Optimizer } from './optimizer';
import { Sgd } from './sgd';

type SpecOf<K extends OptimizerKind> = Extract<OptimizerSpec, { type: K }>;
type OptimizerFactory<S extends OptimizerSpec> = (spec: S, params: readonly Parameter[]) => Optimizer;

/**
 * Every optimizer by its spec's `type`. A new optimizer (Adagrad, RMSprop, AdamW, ...) is one file
 * plus one entry here; the mapped type makes the compiler insist on an entry for each spec type.
 */
const OPTIMIZERS: { [K in OptimizerKind]: OptimizerFactory<SpecOf<K>> } = {
  sgd: (spec, params) => new Sgd(spec, params),
  adam: (spec, params) => new Adam(spec, params),
};

/** The optimizer `spec` names, over `params` (one param group, as in torch.optim). */
export function createOptimizer(spec: OptimizerSpec, params: readonly Parameter[]): Optimizer {
  // TypeScript cannot correlate spec.type with the entry's parameter type; the mapped type above
  // guarantees they match.
  const factory = OPTIMIZERS[spec.type] as OptimizerFactory<OptimizerSpec>;
  return factory(spec, params);
}
