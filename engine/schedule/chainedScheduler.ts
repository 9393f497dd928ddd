import * as z from 'zod';
import { kind } from '../core/options';
import { SCHEDULE_CHILDREN } from './chainable';
import { interval, type ScheduleInterval } from './options';
import type { ChildFactory } from './sequentialLr';
import { readNumberList, restoreChildren, restoreTarget, withMomentum, type ChainableScheduler, type Keys, type ScheduleGroup, type Scheduler, type ScheduleSetup } from './scheduler';

export const chainedOptions = kind(
  'chained',
  '`torch.optim.lr_scheduler.ChainedScheduler`: steps every schedule of `schedulers` at each interval, in order, each scaling the learning rate the one before left: a linear warm-up and an exponential decay at the same time, for example.',
  {
    interval: interval('epoch'),
    schedulers: z
      .array(SCHEDULE_CHILDREN.schema)
      .min(1)
      .describe('The schedules stepped together, in this order (each without `interval`: the chain steps them). An omitted `T_max` or `total_steps` is the run\'s length.'),
  },
);
export type ChainedScheduleSpec = z.output<typeof chainedOptions>;

/**
 * torch ChainedScheduler: the children are built one after another on the same optimizer (each
 * constructor takes its step 0 on the lr the previous one left, as in torch, where the user builds
 * them in that order), then every step steps each child in order.
 */
export class ChainedScheduler implements Scheduler {
  readonly interval: ScheduleInterval;
  private readonly children: ChainableScheduler[];
  private readonly group: ScheduleGroup;
  lastLr: number;

  constructor(spec: Keys<ChainedScheduleSpec>, setup: ScheduleSetup, createChild: ChildFactory) {
    this.interval = setup.interval;
    this.group = setup.group;
    this.children = spec.schedulers.map((child, i) =>
      createChild(child, { group: setup.group, interval: setup.interval, path: [...setup.path, 'schedulers', i], length: setup.length }),
    );
    this.lastLr = this.group.target.lr;
  }

  get cyclesMomentum(): boolean {
    return this.children.some((child) => child.cyclesMomentum);
  }

  step(): void {
    for (const child of this.children) child.step();
    this.lastLr = this.group.target.lr;
  }

  stateDict(): Record<string, unknown> {
    return withMomentum(this, this.group.target, {
      _last_lr: [this.lastLr],
      _schedulers: this.children.map((child) => child.stateDict()),
    });
  }

  loadStateDict(sd: Record<string, unknown>): void {
    restoreChildren(this.children, sd);
    this.lastLr = readNumberList(sd, '_last_lr');
    restoreTarget(this.group.target, this, sd);
  }
}
