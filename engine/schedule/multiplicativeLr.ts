import type * as z from 'zod';
import { kind } from '../core/options';
import { interval, positive } from './options';
import { LrScheduler, type ScheduleSetup } from './scheduler';

export const multiplicativeOptions = kind(
  'multiplicative',
  "`torch.optim.lr_scheduler.MultiplicativeLR` with a constant factor: multiplies the learning rate by `factor` every interval. PyTorch takes a function (`lr_lambda`); an experiment file runs no code, so the factor is a number: `lr_lambda=lambda epoch: 0.95` is `\"factor\": 0.95`.",
  {
    factor: positive().describe("What the learning rate is multiplied by every interval (the value torch's `lr_lambda` returns), for example 0.95."),
    interval: interval('epoch'),
  },
);
export type MultiplicativeScheduleSpec = z.output<typeof multiplicativeOptions>;

/**
 * torch MultiplicativeLR with a constant factor: lr × factor at every step after the first. It has
 * no closed form in torch (the factor comes from a function); ExponentialLR is the same update with
 * one (exponentialLr.ts).
 */
export class MultiplicativeLr extends LrScheduler {
  constructor(
    protected readonly factor: number,
    setup: ScheduleSetup,
  ) {
    super(setup.group, setup.interval);
    this.start();
  }

  protected getLr(): number {
    return this.lastEpoch > 0 ? this.target.lr * this.factor : this.target.lr;
  }
}
