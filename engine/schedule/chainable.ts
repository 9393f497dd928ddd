/**
 * The learning-rate schedules a sequence can chain (all but sequential itself and
 * reduce_lr_on_plateau, which steps with a metric) — torch.optim.lr_scheduler's classes, plus
 * Keras' inverse time decay. Inside `sequential` and `chained` they are written without `interval`:
 * the outer schedule steps them.
 */
import type * as z from 'zod';
import { aboutOf, family, type KindDescriptor } from '../core/options';
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

/** Each chainable kind: options, rules across keys, and how to create it. */
export const CHAINABLE = {
  step: { options: stepOptions, create: ((spec, setup) => new StepLr(spec, setup)) as Create<z.output<typeof stepOptions>> },
  multi_step: { options: multiStepOptions, create: ((spec, setup) => new MultiStepLr(spec, setup)) as Create<z.output<typeof multiStepOptions>> },
  exponential: { options: exponentialOptions, create: ((spec, setup) => new ExponentialLr(spec, setup)) as Create<z.output<typeof exponentialOptions>> },
  multiplicative: {
    options: multiplicativeOptions,
    create: ((spec, setup) => new MultiplicativeLr(spec.factor, setup)) as Create<z.output<typeof multiplicativeOptions>>,
  },
  inverse_time: { options: inverseTimeOptions, create: ((spec, setup) => new InverseTimeLr(spec, setup)) as Create<z.output<typeof inverseTimeOptions>> },
  cosine_annealing: {
    options: cosineAnnealingOptions,
    create: ((spec, setup) => new CosineAnnealingLr(spec, setup)) as Create<z.output<typeof cosineAnnealingOptions>>,
  },
  cosine_annealing_warm_restarts: {
    options: cosineAnnealingWarmRestartsOptions,
    create: ((spec, setup) => new CosineAnnealingWarmRestarts(spec, setup)) as Create<z.output<typeof cosineAnnealingWarmRestartsOptions>>,
  },
  one_cycle: {
    options: oneCycleOptions,
    rules: oneCycleRules,
    create: ((spec, setup) => new OneCycleLr(spec, setup)) as Create<z.output<typeof oneCycleOptions>>,
  },
  cyclic: { options: cyclicOptions, rules: cyclicRules, create: ((spec, setup) => new CyclicLr(spec, setup)) as Create<z.output<typeof cyclicOptions>> },
  linear: { options: linearOptions, create: ((spec, setup) => new LinearLr(spec, setup)) as Create<z.output<typeof linearOptions>> },
  constant: { options: constantOptions, create: ((spec, setup) => new ConstantLr(spec, setup)) as Create<z.output<typeof constantOptions>> },
  polynomial: { options: polynomialOptions, create: ((spec, setup) => new PolynomialLr(spec, setup)) as Create<z.output<typeof polynomialOptions>> },
} satisfies Record<string, KindDescriptor & { create: unknown }>;

type Chainable = typeof CHAINABLE;

/** A chainable kind without `interval` (its sequence decides), keeping its documentation and rules. */
function withoutInterval<S extends z.ZodRawShape & { interval: z.ZodType }, R>(descriptor: { options: z.ZodObject<S, z.core.$strict>; rules?: R }) {
  const { options, rules } = descriptor;
  const mask = { interval: true } as { readonly interval: true } & Record<Exclude<'interval', keyof S>, never>;
  const child = options.omit(mask).describe(aboutOf(options).description ?? '');
  return rules === undefined ? { options: child } : { options: child, rules };
}

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
  {
    step: withoutInterval(CHAINABLE.step),
    multi_step: withoutInterval(CHAINABLE.multi_step),
    exponential: withoutInterval(CHAINABLE.exponential),
    multiplicative: withoutInterval(CHAINABLE.multiplicative),
    inverse_time: withoutInterval(CHAINABLE.inverse_time),
    cosine_annealing: withoutInterval(CHAINABLE.cosine_annealing),
    cosine_annealing_warm_restarts: withoutInterval(CHAINABLE.cosine_annealing_warm_restarts),
    one_cycle: withoutInterval(CHAINABLE.one_cycle),
    cyclic: withoutInterval(CHAINABLE.cyclic),
    linear: withoutInterval(CHAINABLE.linear),
    constant: withoutInterval(CHAINABLE.constant),
    polynomial: withoutInterval(CHAINABLE.polynomial),
  },
);

export type SequentialChildSpec = z.output<typeof SCHEDULE_CHILDREN.schema>;

/** The scheduler of one chainable spec (interval or not: the setup says when it steps). */
export function createChainable(spec: SequentialChildSpec, setup: ScheduleSetup): ChainableScheduler {
  const create = CHAINABLE[spec.type as keyof Chainable].create as Create<SequentialChildSpec>;
  return create(spec, setup);
}
