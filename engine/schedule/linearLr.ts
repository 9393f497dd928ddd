import type { LinearScheduleSpec } from './spec';
import { LrScheduler, requireCount, scheduleError, type Keys, type ScheduleSetup } from './scheduler';

/**
 * torch LinearLR, the usual warm-up: the lr's factor goes linearly from start_factor to end_factor over
 * total_iters steps (torch's recursive form: each step multiplies the current lr).
 */
export class LinearLr extends LrScheduler {
  private readonly startFactor: number;
  private readonly endFactor: number;
  private readonly totalIters: number;

  constructor(spec: Keys<LinearScheduleSpec>, setup: ScheduleSetup) {
    super(setup.group, setup.interval);
    // torch 1.13 accepts start_factor 0, then divides by zero at the first step; torch 2 rejects it.
    if (!(spec.start_factor > 0 && spec.start_factor <= 1)) {
      const message = 'Starting multiplicative factor expected to be greater than 0 and less or equal to 1.';
      throw scheduleError(message, setup.path, 'start_factor');
    }
    if (!(spec.end_factor >= 0 && spec.end_factor <= 1)) {
      throw scheduleError('Ending multiplicative factor expected to be between 0 and 1.', setup.path, 'end_factor');
    }
    requireCount(spec.total_iters, 'LinearLR', 'total_iters', setup);
    this.startFactor = spec.start_factor;
    this.endFactor = spec.end_factor;
    this.totalIters = spec.total_iters;
    this.start();
  }

  protected getLr(): number {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: n } = this;
    const lr = this.target.lr;
    if (t === 0) return lr * s;
    if (t > n) return lr;
    return lr * (1 + (e - s) / (n * s + (t - 1) * (e - s)));
  }

  protected override closedFormLr(): number {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: n } = this;
    return this.baseLr * (s + ((e - s) * Math.min(n, t)) / n);
  }
}
