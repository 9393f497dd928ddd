import type * as z from 'zod';
import { kind } from '../core/options';
import { interval, positive } from './options';
import { MultiplicativeLr } from './multiplicativeLr';
import type { Keys, ScheduleSetup } from './scheduler';

export const exponentialOptions = kind('exponential', '`torch.optim.lr_scheduler.ExponentialLR`: multiplies the learning rate by `gamma` every interval.', {
  gamma: positive().describe('Factor the learning rate is multiplied by every interval (e.g. 0.95).'),
  interval: interval('epoch'),
});
export type ExponentialScheduleSpec = z.output<typeof exponentialOptions>;

/** torch ExponentialLR: MultiplicativeLR's lr × gamma every step (the notes' α ← 0.99·α), with its closed form. */
export class ExponentialLr extends MultiplicativeLr {
  constructor(spec: Keys<ExponentialScheduleSpec>, setup: ScheduleSetup) {
    super(spec.gamma, setup);
  }

  protected override closedFormLr(): number {
    return this.baseLr * this.factor ** this.lastEpoch;
  }
}
