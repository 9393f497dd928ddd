/** Options several schedules share, with torch.optim.lr_scheduler's names and defaults. */
import * as z from 'zod';

export const SCHEDULE_INTERVALS = ['step', 'epoch'] as const;
export type ScheduleInterval = (typeof SCHEDULE_INTERVALS)[number];

/** torch steps OneCycleLR and CyclicLR after every batch, the others after every epoch. */
export const interval = (value: ScheduleInterval) =>
  z
    .enum(SCHEDULE_INTERVALS)
    .default(value)
    .describe(
      'When the schedule steps: after every optimizer `step`, or after every `epoch`. Its counts (periods, milestones, lengths) are in these units. ' +
        'Default `epoch`, except `step` for one_cycle and cyclic, as torch steps those per batch.',
    );

export const positive = () => z.number().gt(0);
/** A count of intervals (torch divides by several of them, so at least 1). */
export const count = () => z.int().min(1);
/** A momentum / beta1 value. */
export const momentum = (value: number, doc: string) => z.number().min(0).lt(1).default(value).describe(doc);
export const gamma = (doc: string) => z.number().min(0).default(0.1).describe(doc);
export const etaMin = z.number().min(0).default(0).describe('The lowest learning rate of the cosine.');
export const totalIters = (doc: string) => count().default(5).describe(doc);
export const cycleMomentum = z
  .boolean()
  .default(true)
  .describe("Cycle the optimizer's momentum (SGD's `momentum`, Adam's beta1) inversely to the learning rate, between `base_momentum` and `max_momentum`.");

/** The values of a schedule's keys, as the rules across keys see them. */
type Values = { base_momentum?: number; max_momentum?: number; cycle_momentum?: boolean };

/** base_momentum ≤ max_momentum: the momentum goes down while the lr goes up. */
export function momentumOrder({ base_momentum: base, max_momentum: max, cycle_momentum: cycle }: Values, warn: (keys: readonly string[], message: string) => void): void {
  // cycle_momentum is true by default; written wrongly, whether the momentum cycles is unknown.
  if (cycle === true && base !== undefined && max !== undefined && base > max) {
    warn(
      ['base_momentum', 'max_momentum'],
      `base_momentum ${base} is above max_momentum ${max}: the momentum is meant to fall (to base_momentum) while the learning rate rises`,
    );
  }
}
