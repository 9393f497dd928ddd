import type { CyclicMode, CyclicScheduleSpec } from './spec';
import { LrScheduler, scheduleError, type Keys, type ScheduleSetup } from './scheduler';

/**
 * torch CyclicLR (Smith's cyclical learning rates): triangles between base_lr and max_lr, step_size_up
 * steps up and step_size_down down; triangular2 halves the amplitude every cycle, exp_range scales it
 * by gamma^step. Momentum moves the opposite way between max_momentum and base_momentum.
 *
 * With cycle_momentum, torch 1.13 requires an optimizer with a `momentum` setting and raises for Adam;
 * torch ≥ 2.2 cycles Adam's beta1 instead, as we do (the `momentum` accessor is beta1 there). An
 * optimizer with neither is an error, as in torch.
 */
export class CyclicLr extends LrScheduler {
  private readonly maxLr: number;
  private readonly totalSize: number;
  private readonly stepRatio: number;
  private readonly mode: CyclicMode;
  private readonly gamma: number;
  private readonly cycleMomentum: boolean;
  private readonly baseMomentum: number = NaN;
  private readonly maxMomentum: number = NaN;

  constructor(spec: Keys<CyclicScheduleSpec>, setup: ScheduleSetup) {
    super(setup.group, setup.interval);
    const { path } = setup;
    const baseLr = spec.base_lr ?? this.target.lr;
    this.target.lr = baseLr;
    this.maxLr = spec.max_lr;
    const up = spec.step_size_up;
    const down = spec.step_size_down ?? up;
    if (!(up > 0)) throw scheduleError(`CyclicLR: step_size_up must be > 0, got ${up}`, path, 'step_size_up');
    if (!(down >= 0)) throw scheduleError(`CyclicLR: step_size_down must be ≥ 0, got ${down}`, path, 'step_size_down');
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = spec.mode;
    this.gamma = spec.gamma;

    this.cycleMomentum = spec.cycle_momentum;
    if (this.cycleMomentum) {
      if (this.target.momentum === undefined) {
        throw scheduleError(
          'optimizer must support momentum with `cycle_momentum` option enabled (SGD, RMSprop, or beta1 of the ' +
            'Adam family); this optimizer has none — set "cycle_momentum": false',
          path,
          'cycle_momentum',
        );
      }
      this.target.momentum = spec.base_momentum;
      this.baseMomentum = this.target.momentum;
      this.maxMomentum = spec.max_momentum;
    }
    this.start();
    // As torch: the initial step used the group's initial_lr, later steps use base_lr.
    this.baseLr = baseLr;
  }

  override get cyclesMomentum(): boolean {
    return this.cycleMomentum;
  }

  private scale(x: number): number {
    switch (this.mode) {
      case 'triangular':
        return 1;
      case 'triangular2':
        return 1 / 2 ** (x - 1);
      case 'exp_range':
        return this.gamma ** x;
    }
  }

  protected getLr(): number {
    const t = this.lastEpoch;
    const cycle = Math.floor(1 + t / this.totalSize);
    const x = 1 + t / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    // triangular modes scale per cycle, exp_range per iteration (torch's scale_mode).
    const scale = this.scale(this.mode === 'exp_range' ? t : cycle);
    const baseHeight = (this.maxLr - this.baseLr) * scaleFactor;
    const lr = this.baseLr + baseHeight * scale;
    if (this.cycleMomentum) {
      const momentumHeight = (this.maxMomentum - this.baseMomentum) * scaleFactor;
      this.target.momentum = this.maxMomentum - momentumHeight * scale;
    }
    return lr;
  }
}
