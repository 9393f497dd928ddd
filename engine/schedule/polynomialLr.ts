import type { PolynomialScheduleSpec } from './spec';
import { LrScheduler, requireCount, type Keys, type ScheduleSetup } from './scheduler';

/** torch PolynomialLR: lr₀ · (1 − t / total_iters)^power, reaching 0 at total_iters (recursive form). */
export class PolynomialLr extends LrScheduler {
  private readonly totalIters: number;
  private readonly power: number;

  constructor(spec: Keys<PolynomialScheduleSpec>, setup: ScheduleSetup) {
    super(setup.group, setup.interval);
    requireCount(spec.total_iters, 'PolynomialLR', 'total_iters', setup);
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
