import type * as z from 'zod';
import { kind } from '../core/options';
import { interval, positive } from './options';
import { LrScheduler, type Keys, type ScheduleSetup } from './scheduler';

export const exponentialOptions = kind('exponential', '`torch.optim.lr_scheduler.ExponentialLR`: multiplies the learning rate by `gamma` every interval.', {
  gamma: positive().describe('Factor the learning rate is multiplied by every interval (e.g. 0.95).'),
  interval: interval('epoch'),
});
export type ExponentialScheduleSpec = z.output<typeof exponentialOptions>;

/** torch ExponentialLR: lr × gamma every step (the notes' α ← 0.99·α). */
export class ExponentialLr extends LrScheduler {
  private readonly gamma: number;

  constructor(spec: Keys<ExponentialScheduleSpec>, setup: ScheduleSetup) {
    super(setup.group, setup.interval);
    this.gamma = spec.gamma;
    this.start();
  }

  protected getLr(): number {
    if (this.lastEpoch === 0) return this.target.lr;
    return this.target.lr * this.gamma;
  }

  protected override closedFormLr(): number {
    return this.baseLr * this.gamma ** this.lastEpoch;
  }
}
