import * as z from 'zod';
import { kind } from '../core/options';
import { interval, totalIters } from './options';
import { LrScheduler, type Keys, type ScheduleSetup } from './scheduler';

export const constantOptions = kind(
  'constant',
  '`torch.optim.lr_scheduler.ConstantLR`: the learning rate times `factor` until `total_iters`, then the learning rate itself.',
  {
    // torch accepts 0 but then divides by it at total_iters.
    factor: z.number().gt(0).max(1).default(1 / 3).describe('The factor of the learning rate until `total_iters`, in (0, 1].'),
    total_iters: totalIters('Intervals with the reduced learning rate.'),
    interval: interval('epoch'),
  },
);
export type ConstantScheduleSpec = z.output<typeof constantOptions>;

/** torch ConstantLR: lr × factor for total_iters steps, then the lr again. */
export class ConstantLr extends LrScheduler {
  private readonly factor: number;
  private readonly totalIters: number;

  constructor(spec: Keys<ConstantScheduleSpec>, setup: ScheduleSetup) {
    super(setup.group, setup.interval);
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
