import * as z from 'zod';
import { kind, type Rules } from '../core/options';
import { interval, type ScheduleInterval } from './options';
import {
  readNumber,
  readNumberList,
  type Keys,
  type Schedulable,
  type Scheduler,
  type ScheduleSetup,
} from './scheduler';

export const reduceLrOnPlateauOptions = kind(
  'reduce_lr_on_plateau',
  '`torch.optim.lr_scheduler.ReduceLROnPlateau`: multiplies the learning rate by `factor` when the validation loss (the training loss without a validation set) stops improving.',
  {
    mode: z.enum(['min', 'max']).default('min').describe('Whether the monitored value should fall (`min`, for a loss) or rise (`max`).'),
    factor: z.number().min(0).lt(1).default(0.1).describe('Factor the learning rate is multiplied by on a plateau, in [0, 1).'),
    patience: z.int().min(0).default(10).describe('Epochs without improvement before the learning rate is reduced.'),
    threshold: z.number().min(0).default(1e-4).describe('The least change that counts as an improvement.'),
    threshold_mode: z.enum(['rel', 'abs']).default('rel').describe('Whether `threshold` is relative to the best value (`rel`) or absolute (`abs`).'),
    cooldown: z.int().min(0).default(0).describe('Epochs to wait after a reduction before counting again.'),
    min_lr: z.number().min(0).default(0).describe('The learning rate never goes below this.'),
    eps: z.number().min(0).default(1e-8).describe('A reduction smaller than this is skipped.'),
    interval: interval('epoch'),
  },
);
export type ReduceLrOnPlateauScheduleSpec = z.output<typeof reduceLrOnPlateauOptions>;

export const reduceLrOnPlateauRules: Rules<ReduceLrOnPlateauScheduleSpec> = ({ interval }, report) => {
  if (interval === 'step') {
    report.error(
      ['interval'],
      "reduce_lr_on_plateau steps once per epoch with the validation loss (the training loss without validation); interval must be 'epoch'",
    );
  }
};

/**
 * torch ReduceLROnPlateau: step(metric) with the monitored value; after more than `patience` steps
 * without an improvement beyond `threshold` (relative or absolute), lr ← max(lr × factor, min_lr),
 * unless that changes it by no more than eps; then `cooldown` steps during which bad steps don't count.
 * It does not touch the lr at construction.
 */
export class ReduceLrOnPlateau implements Scheduler {
  readonly interval: ScheduleInterval;
  private readonly target: Schedulable;
  private readonly modeWorse: number;
  private best: number;
  private numBadEpochs = 0;
  private cooldownCounter = 0;
  private lastEpoch = 0;
  lastLr: number;
  readonly cyclesMomentum = false;

  constructor(
    private readonly spec: Keys<ReduceLrOnPlateauScheduleSpec>,
    setup: ScheduleSetup,
  ) {
    this.interval = setup.interval;
    this.target = setup.group.target;
    this.modeWorse = spec.mode === 'min' ? Infinity : -Infinity;
    this.best = this.modeWorse;
    this.lastLr = this.target.lr;
  }

  private isBetter(a: number, best: number): boolean {
    const { mode, threshold, threshold_mode } = this.spec;
    if (mode === 'min' && threshold_mode === 'rel') return a < best * (1 - threshold);
    if (mode === 'min') return a < best - threshold;
    if (threshold_mode === 'rel') return a > best * (threshold + 1);
    return a > best + threshold;
  }

  step(metric?: number): void {
    if (metric === undefined) throw new TypeError('ReduceLROnPlateau.step needs the monitored metric');
    this.lastEpoch += 1;
    if (this.isBetter(metric, this.best)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs in cooldown don't count
    }
    if (this.numBadEpochs > this.spec.patience) {
      this.reduceLr();
      this.cooldownCounter = this.spec.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.target.lr;
  }

  private reduceLr(): void {
    const oldLr = this.target.lr;
    const newLr = Math.max(oldLr * this.spec.factor, this.spec.min_lr);
    if (oldLr - newLr > this.spec.eps) this.target.lr = newLr;
  }

  /** `best` is ±Infinity until the first step; JSON stores that as null, which loads back as such. */
  stateDict(): Record<string, unknown> {
    return {
      last_epoch: this.lastEpoch,
      best: this.best,
      num_bad_epochs: this.numBadEpochs,
      cooldown_counter: this.cooldownCounter,
      _last_lr: [this.lastLr],
    };
  }

  loadStateDict(sd: Record<string, unknown>): void {
    this.lastEpoch = readNumber(sd, 'last_epoch');
    this.best = sd.best === null || sd.best === undefined ? this.modeWorse : readNumber(sd, 'best');
    this.numBadEpochs = readNumber(sd, 'num_bad_epochs');
    this.cooldownCounter = readNumber(sd, 'cooldown_counter');
    this.lastLr = readNumberList(sd, '_last_lr');
    this.target.lr = this.lastLr;
  }
}
