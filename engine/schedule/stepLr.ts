import type * as z from 'zod';
import { kind } from '../core/options';
import { count, gamma, interval } from './options';
import { LrScheduler, type Keys, type ScheduleSetup } from './scheduler';

export const stepOptions = kind('step', '`torch.optim.lr_scheduler.StepLR`: multiplies the learning rate by `gamma` every `step_size` intervals.', {
  step_size: count().describe('Period of the decay, in intervals.'),
  gamma: gamma('Factor the learning rate is multiplied by every `step_size` intervals.'),
  interval: interval('epoch'),
});
export type StepScheduleSpec = z.output<typeof stepOptions>;

/** torch StepLR: lr × gamma whenever last_epoch reaches a multiple of step_size. */
export class StepLr extends LrScheduler {
  private readonly stepSize: number;
  private readonly gamma: number;

  constructor(spec: Keys<StepScheduleSpec>, setup: ScheduleSetup) {
    super(setup.group, setup.interval);
    this.stepSize = spec.step_size;
    this.gamma = spec.gamma;
    this.start();
  }

  protected getLr(): number {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.target.lr;
    return this.target.lr * this.gamma;
  }

  protected override closedFormLr(): number {
    return this.baseLr * this.gamma ** Math.floor(this.lastEpoch / this.stepSize);
  }
}
