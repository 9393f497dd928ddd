import type { ReduceLrOnPlateauScheduleSpec, ScheduleInterval } from './spec';
import {
  readNumber,
  readNumberList,
  scheduleError,
  type Keys,
  type Schedulable,
  type Scheduler,
  type ScheduleSetup,
} from './scheduler';

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
    if (!(spec.factor < 1)) throw scheduleError('Factor should be < 1.0.', setup.path, 'factor');
    if (spec.mode !== 'min' && spec.mode !== 'max') {
      throw scheduleError(`mode ${String(spec.mode)} is unknown!`, setup.path, 'mode');
    }
    if (spec.threshold_mode !== 'rel' && spec.threshold_mode !== 'abs') {
      throw scheduleError(`threshold mode ${String(spec.threshold_mode)} is unknown!`, setup.path, 'threshold_mode');
    }
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
