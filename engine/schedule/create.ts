import { ConstantLr } from './constantLr';
import { CosineAnnealingLr } from './cosineAnnealingLr';
import { CosineAnnealingWarmRestarts } from './cosineAnnealingWarmRestarts';
import { CyclicLr } from './cyclicLr';
import { ExponentialLr } from './exponentialLr';
import { InverseTimeLr } from './inverseTimeLr';
import { LinearLr } from './linearLr';
import { MomentumScheduler } from './momentumSchedule';
import { MultiStepLr } from './multiStepLr';
import { OneCycleLr } from './oneCycleLr';
import { PolynomialLr } from './polynomialLr';
import { ReduceLrOnPlateau } from './reduceLrOnPlateau';
import {
  ScheduleGroup,
  type ChainableScheduler,
  type Schedulable,
  type ScheduleContext,
  type Scheduler,
  type SchedulePath,
  type ScheduleSetup,
} from './scheduler';
import { SequentialLr } from './sequentialLr';
import { StepLr } from './stepLr';
import type { MomentumScheduleSpec, ScheduleInterval, ScheduleSpec, SequentialChildSpec } from './spec';

/**
 * The learning-rate scheduler of an experiment's `schedule`, driving `target` (the optimizer).
 * Construction already sets the lr (and momentum) of step 0, as torch's schedulers do. `context` is
 * the run, from which schedules that omit their length take it.
 */
export function createScheduler(
  spec: ScheduleSpec,
  target: Schedulable,
  context: ScheduleContext,
  path: SchedulePath = ['schedule'],
): Scheduler {
  const setup: ScheduleSetup = {
    group: new ScheduleGroup(target),
    interval: spec.interval,
    path,
    length: runLength(spec.interval, context),
  };
  switch (spec.type) {
    case 'sequential':
      return new SequentialLr(spec, setup, createChainable);
    case 'reduce_lr_on_plateau':
      return new ReduceLrOnPlateau(spec, setup);
    default:
      return createChainable(spec, setup);
  }
}

/** The momentum scheduler of an experiment's `momentum_schedule`. */
export function createMomentumScheduler(
  spec: MomentumScheduleSpec,
  target: Schedulable,
  context: ScheduleContext,
  path: SchedulePath = ['momentum_schedule'],
): Scheduler {
  return new MomentumScheduler(spec, target, runLength(spec.interval, context), path);
}

/** How many times a schedule stepped at `interval` is stepped in the run. */
export function runLength(interval: ScheduleInterval, context: ScheduleContext): number {
  return interval === 'step' ? context.epochs * context.stepsPerEpoch : context.epochs;
}

function createChainable(spec: SequentialChildSpec, setup: ScheduleSetup): ChainableScheduler {
  switch (spec.type) {
    case 'step':
      return new StepLr(spec, setup);
    case 'multi_step':
      return new MultiStepLr(spec, setup);
    case 'exponential':
      return new ExponentialLr(spec, setup);
    case 'inverse_time':
      return new InverseTimeLr(spec, setup);
    case 'cosine_annealing':
      return new CosineAnnealingLr(spec, setup);
    case 'cosine_annealing_warm_restarts':
      return new CosineAnnealingWarmRestarts(spec, setup);
    case 'one_cycle':
      return new OneCycleLr(spec, setup);
    case 'cyclic':
      return new CyclicLr(spec, setup);
    case 'linear':
      return new LinearLr(spec, setup);
    case 'constant':
      return new ConstantLr(spec, setup);
    case 'polynomial':
      return new PolynomialLr(spec, setup);
  }
}
