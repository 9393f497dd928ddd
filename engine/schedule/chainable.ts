/**
 * The learning-rate schedules a sequence can chain (all but sequential itself and
 * reduce_lr_on_plateau, which steps with a metric) — torch.optim.lr_scheduler's classes, plus
 * Keras' inverse time decay. Inside `sequential` and `chained` they are written without `interval`:
 * the outer schedule steps them.
 */
import type * as z from 'zod';
import { aboutOf, family, type KindDescriptor, type Rules } from '../core/options';
import { ConstantLr, constantOptions } from './constantLr';
import { CosineAnnealingLr, cosineAnnealingOptions } from './cosineAnnealingLr';
import { CosineAnnealingWarmRestarts, cosineAnnealingWarmRestartsOptions } from './cosineAnnealingWarmRestarts';
import { CyclicLr, cyclicOptions, cyclicRules } from './cyclicLr';
import { ExponentialLr, exponentialOptions } from './exponentialLr';
import { InverseTimeLr, inverseTimeOptions } from './inverseTimeLr';
import { LinearLr, linearOptions } from './linearLr';
import { MultiStepLr, multiStepOptions } from './multiStepLr';
import { MultiplicativeLr, multiplicativeOptions } from './multiplicativeLr';
import { OneCycleLr, oneCycleOptions, oneCycleRules } from './oneCycleLr';
import { PolynomialLr, polynomialOptions } from './polynomialLr';
import type { ChainableScheduler, Keys, ScheduleSetup } from './scheduler';
import { StepLr, stepOptions } from './stepLr';

type Create<S> = (spec: Keys<S>, setup: ScheduleSetup) => ChainableScheduler;

/** A chainable kind whose class is created from its spec. */
const made = <O extends z.ZodObject>(options: O, Class: new (spec: Keys<z.output<O>>, setup: ScheduleSetup) => ChainableScheduler) => ({
  options,
  create: (spec: Keys<z.output<O>>, setup: ScheduleSetup): ChainableScheduler => new Class(spec, setup),
});

/** Each chainable kind: options, rules across keys, and how to create it. */
export const CHAINABLE = {
  step: made(stepOptions, StepLr),
  multi_step: made(multiStepOptions, MultiStepLr),
  exponential: made(exponentialOptions, ExponentialLr),
  multiplicative: {
    options: multiplicativeOptions,
    create: ((spec, setup) => new MultiplicativeLr(spec.factor, setup)) as Create<z.output<typeof multiplicativeOptions>>,
  },
  inverse_time: made(inverseTimeOptions, InverseTimeLr),
  cosine_annealing: made(cosineAnnealingOptions, CosineAnnealingLr),
  cosine_annealing_warm_restarts: made(cosineAnnealingWarmRestartsOptions, CosineAnnealingWarmRestarts),
  one_cycle: { ...made(oneCycleOptions, OneCycleLr), rules: oneCycleRules },
  cyclic: { ...made(cyclicOptions, CyclicLr), rules: cyclicRules },
  linear: made(linearOptions, LinearLr),
  constant: made(constantOptions, ConstantLr),
  polynomial: made(polynomialOptions, PolynomialLr),
} satisfies Record<string, KindDescriptor & { create: unknown }>;

type Chainable = typeof CHAINABLE;
type WithoutInterval<O> = O extends z.ZodObject<infer S, infer C> ? z.ZodObject<Omit<S, 'interval'>, C> : never;

/** A chainable kind without `interval` (its sequence decides), keeping its documentation and rules. */
const withoutInterval = ({ options, rules }: KindDescriptor) => ({
  options: options.omit({ interval: true }).describe(aboutOf(options).description ?? ''),
  rules,
});
const CHILDREN = Object.fromEntries(Object.entries(CHAINABLE).map(([type, descriptor]) => [type, withoutInterval(descriptor)])) as {
  [T in keyof Chainable]: { options: WithoutInterval<Chainable[T]['options']>; rules?: Rules<never> };
};

export const SCHEDULE_CHILDREN = family(
  {
    name: 'sequentialSchedule',
    noun: 'schedule',
    label: 'schedule',
    what: kind => `schedule '${kind}'`,
    description: 'A schedule inside sequential or chained (any but those two and reduce_lr_on_plateau; without interval).',
    refusedKinds: {
      sequential: "a schedule inside 'sequential' or 'chained' cannot be a sequential one; list its schedules here instead",
      chained: "a schedule inside 'sequential' or 'chained' cannot be a chained one; list its schedules in the outer one",
      reduce_lr_on_plateau:
        "reduce_lr_on_plateau cannot run inside sequential or chained (it steps with a metric); use it as the schedule itself",
    },
    refusedKeys: {
      interval: "a schedule inside 'sequential' or 'chained' has no 'interval': the outer schedule steps it; set 'interval' there",
    },
  },
  CHILDREN,
);

export type SequentialChildSpec = z.output<typeof SCHEDULE_CHILDREN.schema>;

/** The scheduler of one chainable spec (interval or not: the setup says when it steps). */
export function createChainable(spec: SequentialChildSpec, setup: ScheduleSetup): ChainableScheduler {
  const create = CHAINABLE[spec.type as keyof Chainable].create as Create<SequentialChildSpec>;
  return create(spec, setup);
}
