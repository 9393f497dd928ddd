/**
 * The optimizers that update the parameters themselves: torch.optim's, simplest first, then the
 * course's two schemes. Each is its options, its rules across keys and how to create it; the
 * experiment format, its JSON Schema and reference are made from this list.
 */
import type * as z from 'zod';
import { family } from '../core/options';
import type { Parameter } from '../core/parameter';
import { Adadelta, adadeltaOptions } from './adadelta';
import { Adagrad, adagradOptions } from './adagrad';
import { Adam, adamOptions } from './adam';
import { Adamax, adamaxOptions } from './adamax';
import { AdamW, adamwOptions } from './adamw';
import { Asgd, asgdOptions } from './asgd';
import { Lbfgs, lbfgsOptions, lbfgsRules } from './lbfgs';
import { NAdam, nadamOptions } from './nadam';
import type { Optimizer } from './optimizer';
import { RAdam, radamOptions } from './radam';
import { Rmsprop, rmspropOptions, rmspropRules } from './rmsprop';
import { Rprop, rpropOptions, rpropRules } from './rprop';
import { Sgd, sgdOptions, sgdRules } from './sgd';
import { SgdGradLrControl, sgdGradLrControlOptions } from './sgdGradLrControl';
import { SgdLrDecay, sgdLrDecayOptions } from './sgdLrDecay';

type Params = readonly Parameter[];

export const PLAIN_OPTIMIZERS = family(
  {
    name: 'innerOptimizer',
    noun: 'optimizer',
    label: 'optimizer',
    what: kind => `optimizer '${kind}'`,
    description: 'The optimizer inside lookahead (any optimizer but lookahead itself).',
    keysFrom: 'optimizer',
    refusedKinds: { lookahead: 'lookahead cannot wrap another lookahead; name the optimizer it should wrap, e.g. "adam"' },
  },
  {
    sgd: { options: sgdOptions, rules: sgdRules, create: (spec: z.output<typeof sgdOptions>, params: Params): Optimizer => new Sgd(spec, params) },
    adagrad: { options: adagradOptions, create: (spec: z.output<typeof adagradOptions>, params: Params): Optimizer => new Adagrad(spec, params) },
    rmsprop: {
      options: rmspropOptions,
      rules: rmspropRules,
      create: (spec: z.output<typeof rmspropOptions>, params: Params): Optimizer => new Rmsprop(spec, params),
    },
    adadelta: { options: adadeltaOptions, create: (spec: z.output<typeof adadeltaOptions>, params: Params): Optimizer => new Adadelta(spec, params) },
    adam: { options: adamOptions, create: (spec: z.output<typeof adamOptions>, params: Params): Optimizer => new Adam(spec, params) },
    adamw: { options: adamwOptions, create: (spec: z.output<typeof adamwOptions>, params: Params): Optimizer => new AdamW(spec, params) },
    adamax: { options: adamaxOptions, create: (spec: z.output<typeof adamaxOptions>, params: Params): Optimizer => new Adamax(spec, params) },
    nadam: { options: nadamOptions, create: (spec: z.output<typeof nadamOptions>, params: Params): Optimizer => new NAdam(spec, params) },
    radam: { options: radamOptions, create: (spec: z.output<typeof radamOptions>, params: Params): Optimizer => new RAdam(spec, params) },
    asgd: { options: asgdOptions, create: (spec: z.output<typeof asgdOptions>, params: Params): Optimizer => new Asgd(spec, params) },
    rprop: { options: rpropOptions, rules: rpropRules, create: (spec: z.output<typeof rpropOptions>, params: Params): Optimizer => new Rprop(spec, params) },
    // One full-batch step per epoch, with a closure that re-evaluates the loss.
    lbfgs: { options: lbfgsOptions, rules: lbfgsRules, closure: true as const, create: (spec: z.output<typeof lbfgsOptions>, params: Params): Optimizer => new Lbfgs(spec, params) },
    sgd_lr_decay: {
      options: sgdLrDecayOptions,
      create: (spec: z.output<typeof sgdLrDecayOptions>, params: Params): Optimizer => new SgdLrDecay(spec, params),
    },
    sgd_grad_lr_control: {
      options: sgdGradLrControlOptions,
      create: (spec: z.output<typeof sgdGradLrControlOptions>, params: Params): Optimizer => new SgdGradLrControl(spec, params),
    },
  },
);

/** Every optimizer that updates parameters itself (what Lookahead can wrap). */
export type InnerOptimizerSpec = z.output<typeof PLAIN_OPTIMIZERS.schema>;

/** Whether optimizer `kind` takes one full-batch step per epoch with a closure that re-evaluates the loss. */
export function takesClosure(kind: string): boolean {
  const descriptor = (PLAIN_OPTIMIZERS.kinds as Record<string, object | undefined>)[kind];
  return descriptor !== undefined && 'closure' in descriptor;
}

/** The optimizer `spec` names, over `params` (one param group, as in torch.optim). */
export function createPlainOptimizer(spec: InnerOptimizerSpec, params: Params): Optimizer {
  // The family's kinds are keyed by type, so the entry's spec type is spec's own.
  const create = PLAIN_OPTIMIZERS.kinds[spec.type].create as (spec: InnerOptimizerSpec, params: Params) => Optimizer;
  return create(spec, params);
}
