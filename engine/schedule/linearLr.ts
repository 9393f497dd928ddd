import * as z from 'zod';
import { kind } from '../core/options';
import { interval, totalIters } from './options';
import { LrScheduler, type Keys, type ScheduleSetup } from './scheduler';

export const linearOptions = kind(
  'linear',
  '`torch.optim.lr_scheduler.LinearLR`: scales the learning rate linearly from `start_factor` to `end_factor` over `total_iters` (a warm-up).',
  {
    // torch 1.13 accepts 0 but then divides by zero at the first step; torch 2 rejects it.
    start_factor: z.number().gt(0).max(1).default(1 / 3).describe('The factor of the learning rate at the start, in (0, 1].'),
    end_factor: z.number().min(0).max(1).default(1).describe('The factor of the learning rate after `total_iters`, in [0, 1].'),
    total_iters: totalIters('Intervals from start_factor to end_factor.'),
    interval: interval('epoch'),
  },
);
export type LinearScheduleSpec = z.output<typeof linearOptions>;

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
