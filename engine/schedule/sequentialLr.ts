import { bisectRight } from './multiStepLr';
import type { ScheduleInterval, SequentialScheduleSpec } from './spec';
import {
  readNumber,
  readNumberList,
  restoreTarget,
  scheduleError,
  withMomentum,
  type ChainableScheduler,
  type Keys,
  type Schedulable,
  type ScheduleGroup,
  type Scheduler,
  type ScheduleSetup,
} from './scheduler';

/** Builds one child of a sequence (create.ts supplies it, so that this file needs no registry). */
export type ChildFactory = (
  spec: SequentialScheduleSpec['schedulers'][number],
  setup: ScheduleSetup,
) => ChainableScheduler;

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
    if (spec.schedulers.length === 0) throw scheduleError('SequentialLR needs at least one scheduler', path, 'schedulers');
    if (spec.milestones.length !== spec.schedulers.length - 1) {
      throw scheduleError(
        'Sequential Schedulers expects number of schedulers provided to be one more than the number of ' +
          `milestone points, but got number of schedulers ${spec.schedulers.length} and the number of ` +
          `milestones to be equal to ${spec.milestones.length}`,
        path,
        'milestones',
      );
    }
    spec.milestones.forEach((milestone, i) => {
      const previous = i === 0 ? 0 : spec.milestones[i - 1];
      // torch takes 0 too, but then the first scheduler never steps and the second never restarts at 0.
      if (!Number.isInteger(milestone) || milestone < 1 || (i > 0 && milestone <= previous)) {
        throw scheduleError('SequentialLR: milestones must be increasing integers ≥ 1', [...path, 'milestones', i]);
      }
    });
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
    const children = sd._schedulers;
    if (!Array.isArray(children) || children.length !== this.children.length) {
      throw new TypeError(`scheduler state: '_schedulers' must hold ${this.children.length} states`);
    }
    this.lastEpoch = readNumber(sd, 'last_epoch');
    this.lastLr = readNumberList(sd, '_last_lr');
    this.children.forEach((child, i) => child.restoreState(children[i] as Record<string, unknown>));
    restoreTarget(this.target, this, sd);
  }
}
