import type { OptimizerSpec } from './spec';
import type { Parameter } from '../nn/parameter';
import { Adadelta } from './adadelta';
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { Adamax } from './adamax';
import { AdamW } from './adamw';
import { Asgd } from './asgd';
import { Lbfgs } from './lbfgs';
import { Lookahead } from './lookahead';
import { NAdam } from './nadam';
import type { Optimizer } from './optimizer';
import { RAdam } from './radam';
import { Rmsprop } from './rmsprop';
import { Rprop } from './rprop';
import { Sgd } from './sgd';
import { SgdGradLrControl } from './sgdGradLrControl';
import { SgdLrDecay } from './sgdLrDecay';

type SpecOf<K extends OptimizerSpec['type']> = Extract<OptimizerSpec, { type: K }>;
type OptimizerFactory<S extends OptimizerSpec> = (spec: S, params: readonly Parameter[]) => Optimizer;

/**
 * Every optimizer by its spec's `type`. A new optimizer is one file plus one entry here; the mapped
 * type makes the compiler insist on an entry for each spec type.
 */
const OPTIMIZERS: { [K in OptimizerSpec['type']]: OptimizerFactory<SpecOf<K>> } = {
  sgd: (spec, params) => new Sgd(spec, params),
  adagrad: (spec, params) => new Adagrad(spec, params),
  rmsprop: (spec, params) => new Rmsprop(spec, params),
  adadelta: (spec, params) => new Adadelta(spec, params),
  adam: (spec, params) => new Adam(spec, params),
  adamw: (spec, params) => new AdamW(spec, params),
  adamax: (spec, params) => new Adamax(spec, params),
  nadam: (spec, params) => new NAdam(spec, params),
  radam: (spec, params) => new RAdam(spec, params),
  asgd: (spec, params) => new Asgd(spec, params),
  rprop: (spec, params) => new Rprop(spec, params),
  lbfgs: (spec, params) => new Lbfgs(spec, params),
  sgd_lr_decay: (spec, params) => new SgdLrDecay(spec, params),
  sgd_grad_lr_control: (spec, params) => new SgdGradLrControl(spec, params),
  lookahead: (spec, params) => new Lookahead(spec, createOptimizer(spec.optimizer, params)),
};

/** The optimizer `spec` names, over `params` (one param group, as in torch.optim). */
export function createOptimizer(spec: OptimizerSpec, params: readonly Parameter[]): Optimizer {
  // TypeScript cannot correlate spec.type with the entry's parameter type; the mapped type above
  // guarantees they match.
  const factory = OPTIMIZERS[spec.type] as OptimizerFactory<OptimizerSpec>;
  return factory(spec, params);
}
