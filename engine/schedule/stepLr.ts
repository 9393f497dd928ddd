import type { StepScheduleSpec } from './spec';
import { LrScheduler, requireCount, type Keys, type ScheduleSetup } from './scheduler';

/** torch StepLR: lr × gamma whenever last_epoch reaches a multiple of step_size. */
export class StepLr extends LrScheduler {
  private readonly stepSize: number;
  private readonly gamma: number;

  constructor(spec: Keys<StepScheduleSpec>, setup: ScheduleSetup) {
    super(setup.group, setup.interval);
    requireCount(spec.step_size, 'StepLR', 'step_size', setup);
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
