import type { ConstantScheduleSpec } from './spec';
import { LrScheduler, requireCount, scheduleError, type Keys, type ScheduleSetup } from './scheduler';

/** torch ConstantLR: lr × factor for total_iters steps, then the lr again. */
export class ConstantLr extends LrScheduler {
  private readonly factor: number;
  private readonly totalIters: number;

  constructor(spec: Keys<ConstantScheduleSpec>, setup: ScheduleSetup) {
    super(setup.group, setup.interval);
    // torch accepts 0 but then divides by it at total_iters.
    if (!(spec.factor > 0 && spec.factor <= 1)) {
      const message = 'Constant multiplicative factor expected to be greater than 0 and at most 1.';
      throw scheduleError(message, setup.path, 'factor');
    }
    requireCount(spec.total_iters, 'ConstantLR', 'total_iters', setup);
    this.factor = spec.factor;
    this.totalIters = spec.total_iters;
    this.start();
  }

  protected getLr(): number {
    const lr = this.target.lr;
    if (this.lastEpoch === 0) return lr * this.factor;
    if (this.lastEpoch !== this.totalIters) return lr;
    return lr * (1 / this.factor);
  }

  protected override closedFormLr(): number {
    return this.baseLr * (this.factor + (this.lastEpoch >= this.totalIters ? 1 : 0) * (1 - this.factor));
  }
}
