import type * as z from 'zod';
import { kind } from '../core/options';
import { interval, positive } from './options';
import { LrScheduler, type Keys, type ScheduleSetup } from './scheduler';

export const multiplicativeOptions = kind(
  'multiplicative',
  "`torch.optim.lr_scheduler.MultiplicativeLR` with a constant factor: multiplies the learning rate by `factor` every interval. PyTorch takes a function (`lr_lambda`); an experiment file runs no code, so the factor is a number: `lr_lambda=lambda epoch: 0.95` is `\"factor\": 0.95`.",
  {
    factor: positive().describe("What the learning rate is multiplied by every interval (the value torch's `lr_lambda` returns), for example 0.95."),
    interval: interval('epoch'),
  },
);
export type MultiplicativeScheduleSpec = z.output<typeof multiplicativeOptions>;

/** torch MultiplicativeLR: lr × factor at every step after the first; it has no closed form. */
export class MultiplicativeLr extends LrScheduler {
  private readonly factor: number;

  constructor(spec: Keys<MultiplicativeScheduleSpec>, setup: ScheduleSetup) {
    super(setup.group, setup.interval);
    this.factor = spec.factor;
    this.start();
  }

  protected getLr(): number {
    return this.lastEpoch > 0 ? this.target.lr * this.factor : this.target.lr;
  }
}
