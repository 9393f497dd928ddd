import type { InverseTimeScheduleSpec } from './spec';
import { LrScheduler, type Keys, type ScheduleSetup } from './scheduler';

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
