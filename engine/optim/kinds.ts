/** Every optimizer of the experiment format: those that update parameters, and Lookahead around one. */
import type * as z from 'zod';
import { family } from '../core/options';
import type { Parameter } from '../core/parameter';
import { Lookahead, lookaheadOptions } from './lookahead';
import type { Optimizer } from './optimizer';
import { createPlainOptimizer, PLAIN_OPTIMIZERS, takesClosure } from './plain';

export const OPTIMIZERS = family(
  {
    name: 'optimizer',
    noun: 'optimizer',
    label: 'optimizer',
    what: kind => `optimizer '${kind}'`,
    description: 'The optimizer, with torch.optim names and defaults.',
  },
  {
    ...PLAIN_OPTIMIZERS.kinds,
    lookahead: {
      options: lookaheadOptions,
      create: (spec: z.output<typeof lookaheadOptions>, params: readonly Parameter[]): Optimizer =>
        new Lookahead(spec, createPlainOptimizer(spec.optimizer, params)),
    },
  },
);

export type OptimizerSpec = z.output<typeof OPTIMIZERS.schema>;
export type OptimizerKind = OptimizerSpec['type'];

/** The optimizer `spec` names, over `params` (one param group, as in torch.optim). */
export function createOptimizer(spec: OptimizerSpec, params: readonly Parameter[]): Optimizer {
  return spec.type === 'lookahead' ? OPTIMIZERS.kinds.lookahead.create(spec, params) : createPlainOptimizer(spec, params);
}

/** Whether the optimizer takes one full-batch step per epoch with a closure (L-BFGS, also inside lookahead). */
export function needsClosure(spec: OptimizerSpec): boolean {
  return takesClosure(spec.type === 'lookahead' ? spec.optimizer.type : spec.type);
}
