import { createChainable } from './chainable';
import { SCHEDULES, type ScheduleSpec } from './kinds';
import { MomentumScheduler, type MomentumScheduleSpec } from './momentumSchedule';
import type { ScheduleInterval } from './options';
import { ScheduleGroup, type Schedulable, type ScheduleContext, type Scheduler, type SchedulePath, type ScheduleSetup } from './scheduler';

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
      return SCHEDULES.kinds.sequential.create(spec, setup);
    case 'chained':
      return SCHEDULES.kinds.chained.create(spec, setup);
    case 'reduce_lr_on_plateau':
      return SCHEDULES.kinds.reduce_lr_on_plateau.create(spec, setup);
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
