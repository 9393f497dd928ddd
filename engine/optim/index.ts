export { BaseOptimizer, type Optimizer } from './optimizer';
export { Sgd } from './sgd';
export { Adam } from './adam';
export { createOptimizer } from './registry';
