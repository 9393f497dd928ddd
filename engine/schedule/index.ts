export { createMomentumScheduler, createScheduler, runLength } from './create';
export type { Schedulable, ScheduleContext, Scheduler } from './scheduler';
export { SCHEDULES, type ScheduleKind, type ScheduleSpec } from './kinds';
export { SCHEDULE_CHILDREN, type SequentialChildSpec } from './chainable';
export { MOMENTUM_SCHEDULES, type MomentumScheduleKind, type MomentumScheduleSpec } from './momentumSchedule';
export { SCHEDULE_INTERVALS, type ScheduleInterval } from './options';
