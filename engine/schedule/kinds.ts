/** The experiment's `schedule` kinds: the chainable ones, a sequence or a chain of them, and the plateau schedule. */
import type * as z from 'zod';
import { family } from '../core/options';
import { CHAINABLE, createChainable } from './chainable';
import { ReduceLrOnPlateau, reduceLrOnPlateauOptions, reduceLrOnPlateauRules } from './reduceLrOnPlateau';
import type { ScheduleSetup, Scheduler } from './scheduler';
import { SequentialLr, sequentialOptions, sequentialRules } from './sequentialLr';
import { ChainedScheduler, chainedOptions } from './chainedScheduler';

export const SCHEDULES = family(
  {
    name: 'schedule',
    noun: 'schedule',
    label: 'schedule',
    what: kind => `schedule '${kind}'`,
    description: 'A learning-rate schedule (torch.optim.lr_scheduler), or null for none.',
    nullable: true,
  },
  {
    ...CHAINABLE,
    sequential: {
      options: sequentialOptions,
      rules: sequentialRules,
      create: (spec: z.output<typeof sequentialOptions>, setup: ScheduleSetup): Scheduler => new SequentialLr(spec, setup, createChainable),
    },
    chained: {
      options: chainedOptions,
      create: (spec: z.output<typeof chainedOptions>, setup: ScheduleSetup): Scheduler => new ChainedScheduler(spec, setup, createChainable),
    },
    reduce_lr_on_plateau: {
      options: reduceLrOnPlateauOptions,
      rules: reduceLrOnPlateauRules,
      create: (spec: z.output<typeof reduceLrOnPlateauOptions>, setup: ScheduleSetup): Scheduler => new ReduceLrOnPlateau(spec, setup),
    },
  },
);

export type ScheduleSpec = z.output<typeof SCHEDULES.schema>;
export type ScheduleKind = ScheduleSpec['type'];
