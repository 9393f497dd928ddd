import * as z from 'zod';
import { kind, type Rules } from '../core/options';
import { count, cycleMomentum, interval, momentum, momentumOrder, positive } from './options';
import { LrScheduler, scheduleError, type Keys, type ScheduleSetup } from './scheduler';

export const cyclicOptions = kind('cyclic', '`torch.optim.lr_scheduler.CyclicLR`: the learning rate cycles between `base_lr` and `max_lr` (stepped per batch).', {
  // Optional although torch requires it: omitted = the optimizer's lr.
  base_lr: z.number().min(0).optional().describe("The lower end of the cycle. Default: the optimizer's `lr` (torch requires it)."),
  max_lr: z.number().min(0).describe('The upper end of the cycle.'),
  step_size_up: count().default(2000).describe('Intervals from base_lr up to max_lr.'),
  step_size_down: z.int().min(0).optional().describe('Intervals from max_lr back down to base_lr. Default: `step_size_up`.'),
  mode: z
    .enum(['triangular', 'triangular2', 'exp_range'])
    .default('triangular')
    .describe('How the amplitude changes: `triangular` keeps it, `triangular2` halves it every cycle, `exp_range` shrinks it by gamma^t.'),
  gamma: positive().default(1).describe('The shrink factor of `exp_range` (per interval).'),
  cycle_momentum: cycleMomentum,
  base_momentum: momentum(0.8, 'The momentum at the peak of the learning rate (the lowest).'),
  max_momentum: momentum(0.9, 'The momentum at the bottom of the learning rate (the highest).'),
  interval: interval('step'),
});
export type CyclicScheduleSpec = z.output<typeof cyclicOptions>;
export type CyclicMode = CyclicScheduleSpec['mode'];

export const cyclicRules: Rules<CyclicScheduleSpec> = (v, report) => {
  const { base_lr: base, max_lr: max } = v;
  if (base !== undefined && max !== undefined && base > max) {
    report.warn(['max_lr', 'base_lr'], `cyclic's base_lr ${base} is above its max_lr ${max}; the cycle runs from base_lr up to max_lr`);
  }
  // A mode written wrongly may be exp_range: then whether gamma is used is unknown.
  if (v.mode !== undefined && v.mode !== 'exp_range' && report.written('gamma')) {
    report.warn(['gamma'], `'gamma' is only used with mode 'exp_range'; here it has no effect`);
  }
  momentumOrder(v, report.warn);
};

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
