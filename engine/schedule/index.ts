export { createMomentumScheduler, createScheduler, runLength } from './create';
export type { Schedulable, ScheduleContext, Scheduler } from './scheduler';
export type * from './spec';
export {
  defaultInterval,
  MOMENTUM_SCHEDULE_FIELDS,
  MOMENTUM_SCHEDULE_KINDS,
  SCHEDULE_FIELDS,
  SCHEDULE_INTERVALS,
  SCHEDULE_KINDS,
  SCHEDULE_LIST_FIELDS,
  SEQUENTIAL_CHILD_FIELDS,
  SEQUENTIAL_CHILD_KINDS,
} from './fields';
export type { IntegerListField, ScheduleListField, ScheduleListKeyField } from './fields';
