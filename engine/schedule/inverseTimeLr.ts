import * as z from 'zod';
import { kind } from '../core/options';
import { interval, positive } from './options';
import { LrScheduler, type Keys, type ScheduleSetup } from './scheduler';

export const inverseTimeOptions = kind(
  'inverse_time',
  "Inverse time decay (the notes' 1/t decay; Keras `InverseTimeDecay`): lr₀ / (1 + decay_rate · t / decay_steps).",
  {
    decay_rate: z.number().min(0).describe('How fast the learning rate falls: lr₀ / (1 + decay_rate · t / decay_steps).'),
    decay_steps: positive().default(1).describe('The intervals that count as one unit of t.'),
    staircase: z.boolean().default(false).describe('Decay in steps: t / decay_steps is rounded down.'),
    interval: interval('epoch'),
  },
);
export type InverseTimeScheduleSpec = z.output<typeof inverseTimeOptions>;

/**
 * The notes' "1/t decay" α = α₀ / (1 + k·t), as Keras' InverseTimeDecay:
 *   lr = lr₀ / (1 + decay_rate · t / decay_steps)   (t / decay_steps floored when staircase).
 * Not in torch; written as the torch.optim.lr_scheduler.LambdaLR one would use for it
 * (lr₀ × factor(last_epoch)), which is also what the golden values are generated with.
 */
export class InverseTimeLr extends LrScheduler {
  constructor(
    private readonly spec: Keys<InverseTimeScheduleSpec>,
    setup: ScheduleSetup,
  ) {
    super(setup.group, setup.interval);
    this.start();
  }

  protected getLr(): number {
    const { decay_rate, decay_steps, staircase } = this.spec;
    const progress = staircase ? Math.floor(this.lastEpoch / decay_steps) : this.lastEpoch / decay_steps;
    return this.baseLr * (1 / (1 + decay_rate * progress));
  }
}
