import * as z from 'zod';
import { kind, type Rules } from '../core/options';
import { orderedIntegers } from '../core/lists';
import { SCHEDULE_CHILDREN, type SequentialChildSpec } from './chainable';
import { bisectRight } from './multiStepLr';
import { interval, type ScheduleInterval } from './options';
import {
  readNumber,
  readNumberList,
  restoreChildren,
  restoreTarget,
  withMomentum,
  type ChainableScheduler,
  type Keys,
  type Schedulable,
  type ScheduleGroup,
  type Scheduler,
  type ScheduleSetup,
} from './scheduler';

export const sequentialOptions = kind('sequential', '`torch.optim.lr_scheduler.SequentialLR`: runs `schedulers` one after another, switching at the `milestones`.', {
  interval: interval('epoch'),
  schedulers: z
    .array(SCHEDULE_CHILDREN.schema)
    .min(1)
    .describe(
      "The schedules to run one after another (each without `interval`: the sequence steps them). An omitted `T_max` or `total_steps` is its segment's length.",
    ),
  milestones: orderedIntegers(1, 'increasing').describe(
    'Where each schedule after the first takes over, in intervals since the start: one fewer than `schedulers`, increasing.',
  ),
});
export type SequentialScheduleSpec = z.output<typeof sequentialOptions>;

/** As written, not only the valid ones: a list with a bad item still has its length. */
export const sequentialRules: Rules<SequentialScheduleSpec> = (_values, report, written) => {
  const { schedulers, milestones } = written;
  if (!Array.isArray(schedulers) || !Array.isArray(milestones)) return;
  const n = schedulers.length;
  // An empty list is reported by itself.
  if (n === 0 || milestones.length === n - 1) return;
  report.error(
    ['milestones'],
    `'milestones' needs ${n - 1} value${n - 1 === 1 ? '' : 's'} (one fewer than the ${n} schedulers: ` +
      `each one after the first starts at a milestone), not ${milestones.length}`,
  );
};

/** Builds one child of a sequence (the caller supplies it, so that this file needs no registry). */
export type ChildFactory = (spec: SequentialChildSpec, setup: ScheduleSetup) => ChainableScheduler;

/**
 * torch SequentialLR: schedulers[i] drives the lr from milestones[i−1] on. As in torch, every child is
 * constructed first (each construction touches the lr, e.g. LinearLR's warm-up factor); then the lr is
 * reset to initial_lr, every child's step is undone and only the first takes its step 0. At a
 * milestone the next child is stepped with an explicit epoch 0 (its closed form, where it has one).
 */
export class SequentialLr implements Scheduler {
  readonly interval: ScheduleInterval;
  private readonly children: ChainableScheduler[];
  private readonly milestones: readonly number[];
  private lastEpoch: number;
  lastLr: number;
  private readonly group: ScheduleGroup;

  constructor(spec: Keys<SequentialScheduleSpec>, setup: ScheduleSetup, createChild: ChildFactory) {
    const { path } = setup;
    this.interval = setup.interval;
    this.group = setup.group;
    this.milestones = spec.milestones;
    // Each child's length is its segment's, so that an omitted T_max / total_steps spans the segment.
    const bounds = [0, ...spec.milestones, setup.length];
    this.children = spec.schedulers.map((child, i) =>
      createChild(child, {
        group: setup.group,
        interval: setup.interval,
        path: [...path, 'schedulers', i],
        length: bounds[i + 1] - bounds[i],
      }),
    );

    this.lastEpoch = 0;
    this.target.lr = this.group.initialLr ?? this.target.lr;
    for (const child of this.children) child.lastEpoch -= 1;
    this.children[0].initialStep();
    this.lastLr = this.children[0].lastLr;
  }

  private get target(): Schedulable {
    return this.group.target;
  }

  get cyclesMomentum(): boolean {
    return this.children.some((child) => child.cyclesMomentum);
  }

  step(): void {
    this.lastEpoch += 1;
    const index = bisectRight(this.milestones, this.lastEpoch);
    const child = this.children[index];
    if (index > 0 && this.milestones[index - 1] === this.lastEpoch) child.stepTo(0);
    else child.step();
    this.lastLr = child.lastLr;
  }

  stateDict(): Record<string, unknown> {
    return withMomentum(this, this.target, {
      last_epoch: this.lastEpoch,
      _milestones: [...this.milestones],
      _last_lr: [this.lastLr],
      _schedulers: this.children.map((child) => child.stateDict()),
    });
  }

  loadStateDict(sd: Record<string, unknown>): void {
    restoreChildren(this.children, sd);
    this.lastEpoch = readNumber(sd, 'last_epoch');
    this.lastLr = readNumberList(sd, '_last_lr');
    restoreTarget(this.target, this, sd);
  }
}
