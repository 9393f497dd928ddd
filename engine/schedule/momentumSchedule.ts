import type { MomentumScheduleSpec, ScheduleInterval } from './spec';
import { readNumber, scheduleError, type Schedulable, type Scheduler, type SchedulePath } from './scheduler';

/**
 * The notes' momentum schedule ("start with momentum of about 0.5 and anneal it to 0.99 or so over
 * multiple epochs"): sets SGD's momentum / Adam's beta1 to an absolute value that depends only on the
 * step count (closed form, so nothing accumulates and a resumed run lands on the same values).
 *   linear:      m(t) = start + (end − start) · min(t, total_iters) / total_iters
 *   exponential: m(t) = end − (end − start) · gamma^t
 * Construction is step 0 and sets m(0) = start, as torch's lr schedulers set their initial lr.
 */
export class MomentumScheduler implements Scheduler {
  readonly interval: ScheduleInterval;
  private lastEpoch = 0;
  private readonly totalIters: number;

  constructor(
    private readonly spec: MomentumScheduleSpec,
    private readonly target: Schedulable,
    length: number,
    path: SchedulePath,
  ) {
    this.interval = spec.interval;
    if (target.momentum === undefined) {
      throw scheduleError(
        'a momentum schedule needs an optimizer with momentum (SGD, RMSprop) or beta1 (the Adam family); ' +
          'this optimizer has neither',
        path,
      );
    }
    this.totalIters = spec.type === 'linear' ? (spec.total_iters ?? length) : NaN;
    if (spec.type === 'linear' && !(this.totalIters >= 1)) {
      throw scheduleError(`momentum schedule: total_iters must be ≥ 1, got ${this.totalIters}`, path, 'total_iters');
    }
    this.apply();
  }

  /** The momentum after `t` steps. */
  valueAt(t: number): number {
    const { spec } = this;
    if (spec.type === 'linear') return spec.start + ((spec.end - spec.start) * Math.min(t, this.totalIters)) / this.totalIters;
    return spec.end - (spec.end - spec.start) * spec.gamma ** t;
  }

  step(): void {
    this.lastEpoch += 1;
    this.apply();
  }

  private apply(): void {
    this.target.momentum = this.valueAt(this.lastEpoch);
  }

  stateDict(): Record<string, unknown> {
    return { last_epoch: this.lastEpoch, _last_momentum: this.target.momentum };
  }

  loadStateDict(sd: Record<string, unknown>): void {
    this.lastEpoch = readNumber(sd, 'last_epoch');
    this.apply();
  }
}
