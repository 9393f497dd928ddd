import type * as z from 'zod';
import { kind } from '../core/options';
import { orderedIntegers } from '../core/lists';
import { gamma, interval } from './options';
import { LrScheduler, type Keys, type ScheduleSetup } from './scheduler';

export const multiStepOptions = kind('multi_step', '`torch.optim.lr_scheduler.MultiStepLR`: multiplies the learning rate by `gamma` at each of the `milestones`.', {
  gamma: gamma('Factor the learning rate is multiplied by at each milestone.'),
  interval: interval('epoch'),
  // A repeated milestone multiplies twice, as in torch (which counts them).
  milestones: orderedIntegers(0, 'nondecreasing').describe(
    'The intervals at which the learning rate is multiplied by `gamma`, in order (one listed twice multiplies twice).',
  ),
});
export type MultiStepScheduleSpec = z.output<typeof multiStepOptions>;

/** torch MultiStepLR: lr × gamma^(times last_epoch is listed) at each milestone. */
export class MultiStepLr extends LrScheduler {
  /** torch keeps a Counter: a milestone listed twice decays twice. */
  private readonly counts = new Map<number, number>();
  private readonly sorted: number[];
  private readonly gamma: number;

  constructor(spec: Keys<MultiStepScheduleSpec>, setup: ScheduleSetup) {
    super(setup.group, setup.interval);
    for (const milestone of spec.milestones) {
      this.counts.set(milestone, (this.counts.get(milestone) ?? 0) + 1);
    }
    this.sorted = [...spec.milestones].sort((a, b) => a - b);
    this.gamma = spec.gamma;
    this.start();
  }

  protected getLr(): number {
    const count = this.counts.get(this.lastEpoch);
    if (count === undefined) return this.target.lr;
    return this.target.lr * this.gamma ** count;
  }

  protected override closedFormLr(): number {
    return this.baseLr * this.gamma ** bisectRight(this.sorted, this.lastEpoch);
  }
}

/** Python's bisect.bisect_right: how many sorted values are ≤ x. */
export function bisectRight(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < sorted[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
