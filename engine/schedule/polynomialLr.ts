import * as z from 'zod';
import { kind } from '../core/options';
import { interval, totalIters } from './options';
import { LrScheduler, type Keys, type ScheduleSetup } from './scheduler';

export const polynomialOptions = kind('polynomial', '`torch.optim.lr_scheduler.PolynomialLR`: lr · (1 − t / total_iters)^power, then 0.', {
  total_iters: totalIters('Intervals until the learning rate reaches 0.'),
  power: z.number().min(0).default(1).describe('The power of the polynomial (1 = linear).'),
  interval: interval('epoch'),
});
export type PolynomialScheduleSpec = z.output<typeof polynomialOptions>;

/** torch PolynomialLR: lr₀ · (1 − t / total_iters)^power, reaching 0 at total_iters (recursive form). */
export class PolynomialLr extends LrScheduler {
  private readonly totalIters: number;
  private readonly power: number;

  constructor(spec: Keys<PolynomialScheduleSpec>, setup: ScheduleSetup) {
    super(setup.group, setup.interval);
    this.totalIters = spec.total_iters;
    this.power = spec.power;
    this.start();
  }

  protected getLr(): number {
    const { lastEpoch: t, totalIters: n } = this;
    const lr = this.target.lr;
    if (t === 0 || t > n) return lr;
    const decayFactor = ((1 - t / n) / (1 - (t - 1) / n)) ** this.power;
    return lr * decayFactor;
  }

  protected override closedFormLr(): number {
    return this.baseLr * (1 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power;
  }
}
