import type { ExponentialScheduleSpec } from './spec';
import { LrScheduler, type Keys, type ScheduleSetup } from './scheduler';

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
