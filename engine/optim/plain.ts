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

/** How an optimizer class is created from its spec. */
const made =
  <S>(Class: new (spec: S, params: Params) => Optimizer) =>
  (spec: S, params: Params): Optimizer =>
    new Class(spec, params);

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
    sgd: { options: sgdOptions, rules: sgdRules, create: made(Sgd) },
    adagrad: { options: adagradOptions, create: made(Adagrad) },
    rmsprop: { options: rmspropOptions, rules: rmspropRules, create: made(Rmsprop) },
    adadelta: { options: adadeltaOptions, create: made(Adadelta) },
    adam: { options: adamOptions, create: made(Adam) },
    adamw: { options: adamwOptions, create: made(AdamW) },
    adamax: { options: adamaxOptions, create: made(Adamax) },
    nadam: { options: nadamOptions, create: made(NAdam) },
    radam: { options: radamOptions, create: made(RAdam) },
    asgd: { options: asgdOptions, create: made(Asgd) },
    rprop: { options: rpropOptions, rules: rpropRules, create: made(Rprop) },
    // One full-batch step per epoch, with a closure that re-evaluates the loss.
    lbfgs: { options: lbfgsOptions, rules: lbfgsRules, closure: true as const, create: made(Lbfgs) },
    sgd_lr_decay: { options: sgdLrDecayOptions, create: made(SgdLrDecay) },
    sgd_grad_lr_control: { options: sgdGradLrControlOptions, create: made(SgdGradLrControl) },
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
