import type * as z from 'zod';
import { kind } from '../core/options';
import { count, etaMin, interval } from './options';
import { LrScheduler, readNumber, type Keys, type ScheduleSetup } from './scheduler';

export const cosineAnnealingWarmRestartsOptions = kind(
  'cosine_annealing_warm_restarts',
  '`torch.optim.lr_scheduler.CosineAnnealingWarmRestarts` (SGDR): cosine cycles of `T_0` intervals (each `T_mult` times longer), restarting at the learning rate.',
  {
    T_0: count().describe('Length of the first cycle, in intervals.'),
    T_mult: count().default(1).describe('Each cycle is this many times longer than the one before.'),
    eta_min: etaMin,
    interval: interval('epoch'),
  },
);
export type CosineAnnealingWarmRestartsScheduleSpec = z.output<typeof cosineAnnealingWarmRestartsOptions>;

/**
 * torch CosineAnnealingWarmRestarts (SGDR): cosine from the initial lr down towards eta_min over T_i
 * steps, then back to the initial lr, with T_i multiplied by T_mult at each restart.
 */
export class CosineAnnealingWarmRestarts extends LrScheduler {
  private readonly t0: number;
  private readonly tMult: number;
  private readonly etaMin: number;
  private tI: number;
  private tCur = -1;

  constructor(spec: Keys<CosineAnnealingWarmRestartsScheduleSpec>, setup: ScheduleSetup) {
    super(setup.group, setup.interval);
    this.t0 = spec.T_0;
    this.tI = spec.T_0;
    this.tMult = spec.T_mult;
    this.etaMin = spec.eta_min;
    this.start();
  }

  /** torch's own step(): T_cur counts within the current period. */
  override step(): void {
    if (this.lastEpoch < 0) {
      this.stepTo(0);
      return;
    }
    this.tCur += 1;
    if (this.tCur >= this.tI) {
      this.tCur -= this.tI;
      this.tI *= this.tMult;
    }
    this.lastEpoch += 1;
    this.apply(this.getLr());
  }

  /** torch's step(epoch): where `epoch` falls in the periods T_0, T_0·T_mult, ... */
  override stepTo(epoch: number): void {
    if (epoch < 0) throw new RangeError(`Expected non-negative epoch, but got ${epoch}`);
    if (epoch >= this.t0) {
      if (this.tMult === 1) {
        this.tCur = epoch % this.t0;
      } else {
        const n = Math.trunc(Math.log((epoch / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
        this.tCur = epoch - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
        this.tI = this.t0 * this.tMult ** n;
      }
    } else {
      this.tI = this.t0;
      this.tCur = epoch;
    }
    this.lastEpoch = Math.floor(epoch);
    this.apply(this.getLr());
  }

  protected getLr(): number {
    return this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2;
  }

  protected override extraState(): Record<string, unknown> {
    return { T_i: this.tI, T_cur: this.tCur };
  }

  protected override restoreExtra(sd: Record<string, unknown>): void {
    this.tI = readNumber(sd, 'T_i');
    this.tCur = readNumber(sd, 'T_cur');
  }
}
