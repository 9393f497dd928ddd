import type * as z from 'zod';
import { kind } from '../core/options';
import { count, etaMin, interval } from './options';
import { lengthName, LrScheduler, pyMod, scheduleError, type Keys, type ScheduleSetup } from './scheduler';

export const cosineAnnealingOptions = kind(
  'cosine_annealing',
  '`torch.optim.lr_scheduler.CosineAnnealingLR`: a half cosine from the learning rate down to `eta_min` over `T_max` intervals.',
  {
    // Optional although torch requires it: omitted = the run's length.
    T_max: count().optional().describe("Half period of the cosine, in intervals. Default: the run's length (torch requires it)."),
    eta_min: etaMin,
    interval: interval('epoch'),
  },
);
export type CosineAnnealingScheduleSpec = z.output<typeof cosineAnnealingOptions>;

/**
 * torch CosineAnnealingLR. Its lr follows η_min + (η_max − η_min)(1 + cos(π·t/T_max))/2, but torch
 * computes it recursively from the current lr (so that other changes to the lr carry through); we
 * follow the same recursion, rounding included. Past T_max it climbs back up (torch's "(2k+1)·T_max"
 * branch), as torch's does.
 */
export class CosineAnnealingLr extends LrScheduler {
  private readonly tMax: number;
  private readonly etaMin: number;

  constructor(spec: Keys<CosineAnnealingScheduleSpec>, setup: ScheduleSetup) {
    super(setup.group, setup.interval);
    this.tMax = spec.T_max ?? setup.length;
    if (!(this.tMax > 0)) {
      throw scheduleError(
        spec.T_max === undefined
          ? `CosineAnnealingLR: T_max defaults to the length of ${lengthName(setup)}, which is ${setup.length}; set T_max`
          : `CosineAnnealingLR: T_max must be > 0, got ${spec.T_max}`,
        setup.path,
        'T_max',
      );
    }
    this.etaMin = spec.eta_min;
    this.start();
  }

  protected getLr(): number {
    const { lastEpoch: t, tMax, etaMin } = this;
    const lr = this.target.lr;
    if (t === 0) return lr;
    if (this.stepCount === 1 && t > 0) {
      return etaMin + ((this.baseLr - etaMin) * (1 + Math.cos((t * Math.PI) / tMax))) / 2;
    }
    if (pyMod(t - 1 - tMax, 2 * tMax) === 0) {
      return lr + ((this.baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2;
    }
    return ((1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax))) * (lr - etaMin) + etaMin;
  }

  protected override closedFormLr(): number {
    return this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2;
  }
}
