export {
  BaseOptimizer,
  type Optimizer,
  type OptimizerStateDict,
  type ParamState,
  type ParamStateView,
  type StateValue,
  NO_STATE,
} from './optimizer';
export { Sgd } from './sgd';
export { Adagrad } from './adagrad';
export { Rmsprop } from './rmsprop';
export { Adadelta } from './adadelta';
export { Adam } from './adam';
export { AdamW } from './adamw';
export { Adamax } from './adamax';
export { NAdam } from './nadam';
export { RAdam } from './radam';
export { Asgd } from './asgd';
export { Rprop } from './rprop';
export { Lbfgs } from './lbfgs';
export { SgdLrDecay } from './sgdLrDecay';
export { SgdGradLrControl } from './sgdGradLrControl';
export { Lookahead } from './lookahead';
export { createOptimizer, needsClosure, OPTIMIZERS, type OptimizerKind, type OptimizerSpec } from './kinds';
export type { InnerOptimizerSpec } from './plain';
