import * as z from 'zod';
import { family, kind } from '../core/options';
import { count, momentum, SCHEDULE_INTERVALS, type ScheduleInterval } from './options';
import { readNumber, scheduleError, type Schedulable, type Scheduler, type SchedulePath } from './scheduler';

const momentumInterval = z
  .enum(SCHEDULE_INTERVALS)
  .default('epoch')
  .describe('When the momentum schedule steps: after every optimizer `step`, or after every `epoch` (the default).');
const start = momentum(0.5, 'The momentum at the start, in [0, 1).');
const end = momentum(0.99, 'The momentum it moves to, in [0, 1).');

/** The momentum schedules; the defaults are the notes' "0.5 → 0.99". */
export const MOMENTUM_SCHEDULES = family(
  {
    name: 'momentumSchedule',
    noun: 'momentum schedule',
    label: 'momentum schedule',
    what: kind => `momentum schedule '${kind}'`,
    description: "A schedule of the optimizer's momentum (SGD's momentum, Adam's beta1), or null for none.",
    nullable: true,
  },
  {
    linear: {
      options: kind(
        'linear',
        "The momentum (SGD's `momentum`, Adam's beta1) moves linearly from `start` to `end` over `total_iters` intervals (the notes' 0.5 → 0.99).",
        {
          start,
          end,
          total_iters: count().optional().describe("Intervals from `start` to `end`. Default: the run's length (`end` at the last step)."),
          interval: momentumInterval,
        },
      ),
    },
    exponential: {
      options: kind('exponential', 'The momentum approaches `end` from `start` exponentially: the distance shrinks by `gamma` every interval.', {
        start,
        end,
        gamma: z.number().gt(0).max(1).describe('How fast the momentum approaches `end`: the distance shrinks by this factor every interval, in (0, 1].'),
        interval: momentumInterval,
      }),
    },
  },
);
export type MomentumScheduleSpec = z.output<typeof MOMENTUM_SCHEDULES.schema>;
export type MomentumScheduleKind = MomentumScheduleSpec['type'];

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
