import * as z from 'zod';
import { kind, type Rules } from '../core/options';
import { count, cycleMomentum, interval, momentum, momentumOrder, positive } from './options';
import { lengthName, LrScheduler, scheduleError, type Keys, type ScheduleGroup, type ScheduleSetup } from './scheduler';

export const oneCycleOptions = kind(
  'one_cycle',
  '`torch.optim.lr_scheduler.OneCycleLR`: warms up to `max_lr`, then anneals far below the start, over one cycle (stepped per batch).',
  {
    max_lr: positive().describe("The peak learning rate (the optimizer's `lr` is ignored: the cycle starts at max_lr / div_factor)."),
    total_steps: count().optional().describe("Length of the cycle, in intervals. Default: the run's length (or `epochs` × `steps_per_epoch`)."),
    epochs: count().optional().describe("With `steps_per_epoch`, the cycle's length as epochs × steps_per_epoch (instead of `total_steps`)."),
    steps_per_epoch: count().optional().describe("With `epochs`, the cycle's length as epochs × steps_per_epoch (instead of `total_steps`)."),
    pct_start: z.number().min(0).max(1).default(0.3).describe('Fraction of the cycle spent raising the learning rate.'),
    anneal_strategy: z.enum(['cos', 'linear']).default('cos').describe('How the learning rate moves between its points: `cos` (cosine) or `linear`.'),
    cycle_momentum: cycleMomentum,
    base_momentum: momentum(0.85, 'The momentum at the peak of the learning rate (the lowest).'),
    max_momentum: momentum(0.95, 'The momentum at the start and end of the cycle (the highest).'),
    div_factor: positive().default(25).describe('The cycle starts at max_lr / div_factor.'),
    final_div_factor: positive().default(1e4).describe('The cycle ends at max_lr / (div_factor · final_div_factor).'),
    three_phase: z
      .boolean()
      .default(false)
      .describe('Three phases (up, back down to the start, then the final annealing) instead of two (up, then annealing).'),
    interval: interval('step'),
  },
);
export type OneCycleScheduleSpec = z.output<typeof oneCycleOptions>;

export const oneCycleRules: Rules<OneCycleScheduleSpec> = (v, report) => {
  const hasTotal = v.total_steps !== undefined;
  const hasEpochs = v.epochs !== undefined;
  const hasPerEpoch = v.steps_per_epoch !== undefined;
  if (hasTotal && (hasEpochs || hasPerEpoch)) {
    report.error(
      ['epochs', 'steps_per_epoch'],
      "one_cycle's length is total_steps or epochs × steps_per_epoch, not both; leave out one (or all three: the run's length)",
    );
  } else if (hasEpochs !== hasPerEpoch) {
    report.error(
      [hasEpochs ? 'epochs' : 'steps_per_epoch'],
      `one_cycle needs both epochs and steps_per_epoch (their product is the cycle's length), or total_steps, or none (the run's length); ${hasEpochs ? 'steps_per_epoch' : 'epochs'} is missing`,
    );
  }
  momentumOrder(v, report.warn);
};

type LrKey = 'initialLr' | 'maxLr' | 'minLr';
type MomentumKey = 'maxMomentum' | 'baseMomentum';

interface Phase {
  endStep: number;
  startLr: LrKey;
  endLr: LrKey;
  startMomentum: MomentumKey;
  endMomentum: MomentumKey;
}

/**
 * torch OneCycleLR (fastai's 1cycle): the lr rises from max_lr/div_factor to max_lr over pct_start of
 * the cycle and anneals to initial_lr/final_div_factor, while momentum (SGD) or beta1 (Adam) moves the
 * opposite way between max_momentum and base_momentum. Closed form in the step number; stepping past
 * total_steps is an error, as in torch.
 */
export class OneCycleLr extends LrScheduler {
  readonly totalSteps: number;
  private readonly phases: readonly Phase[];
  private readonly anneal: (start: number, end: number, pct: number) => number;
  private readonly cycleMomentum: boolean;

  constructor(
    spec: Keys<OneCycleScheduleSpec>,
    private readonly setup: ScheduleSetup,
  ) {
    super(setup.group, setup.interval);
    const { path } = setup;
    this.totalSteps = resolveTotalSteps(spec, setup);
    const total = this.totalSteps;
    if (total < setup.length) {
      // torch raises only when the step is reached; we know the run's length now, so say it before training.
      throw scheduleError(
        `OneCycleLR: the cycle has ${total} steps but ${lengthName(setup)} has ${setup.length} (${setup.interval}s); ` +
          'torch raises once the cycle is over — lengthen the cycle or leave it out (= the run)',
        path,
        spec.total_steps !== undefined ? 'total_steps' : 'epochs',
      );
    }
    const pct = spec.pct_start;
    // torch's _schedule_phases: [end_step, start lr, end lr, start momentum, end momentum].
    this.phases = spec.three_phase
      ? [
          phase(pct * total - 1, 'initialLr', 'maxLr', 'maxMomentum', 'baseMomentum'),
          phase(2 * pct * total - 2, 'maxLr', 'initialLr', 'baseMomentum', 'maxMomentum'),
          phase(total - 1, 'initialLr', 'minLr', 'maxMomentum', 'maxMomentum'),
        ]
      : [
          phase(pct * total - 1, 'initialLr', 'maxLr', 'maxMomentum', 'baseMomentum'),
          phase(total - 1, 'maxLr', 'minLr', 'baseMomentum', 'maxMomentum'),
        ];
    this.anneal = spec.anneal_strategy === 'linear' ? annealLinear : annealCos;

    const group = setup.group;
    group.initialLr = spec.max_lr / spec.div_factor;
    group.maxLr = spec.max_lr;
    group.minLr = group.initialLr / spec.final_div_factor;

    this.cycleMomentum = spec.cycle_momentum;
    if (this.cycleMomentum) {
      if (this.target.momentum === undefined) {
        throw scheduleError(
          'OneCycleLR: cycle_momentum needs an optimizer with momentum (SGD, RMSprop) or beta1 (Adam family); ' +
            "this optimizer has neither — set \"cycle_momentum\": false",
          path,
          'cycle_momentum',
        );
      }
      this.target.momentum = spec.max_momentum;
      group.maxMomentum = spec.max_momentum;
      group.baseMomentum = spec.base_momentum;
    }
    this.start();
  }

  override get cyclesMomentum(): boolean {
    return this.cycleMomentum;
  }

  protected getLr(): number {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw scheduleError(
        `OneCycleLR: tried to step ${stepNum + 1} times; the specified number of total steps is ${this.totalSteps}` +
          ' (torch raises too: the cycle must be at least as long as the run)',
        this.setup.path,
        'total_steps',
      );
    }
    const group: ScheduleGroup = this.group;
    let startStep = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const phase = this.phases[i];
      if (stepNum <= phase.endStep || i === this.phases.length - 1) {
        const span = phase.endStep - startStep;
        if (span === 0) {
          // Python raises ZeroDivisionError here (e.g. pct_start · total_steps = 1).
          throw scheduleError(
            `OneCycleLR: a phase of the cycle has zero length (pct_start ${this.phases[0].endStep + 1} steps of ` +
              `${this.totalSteps}); torch divides by zero here — change pct_start or total_steps`,
            this.setup.path,
            'pct_start',
          );
        }
        const pct = (stepNum - startStep) / span;
        if (this.cycleMomentum) {
          this.target.momentum = this.anneal(group[phase.startMomentum], group[phase.endMomentum], pct);
        }
        return this.anneal(readLr(group, phase.startLr), readLr(group, phase.endLr), pct);
      }
      startStep = phase.endStep;
    }
    throw new Error('unreachable: the last phase always applies');
  }
}

function phase(endStep: number, startLr: LrKey, endLr: LrKey, startMomentum: MomentumKey, endMomentum: MomentumKey): Phase {
  return { endStep, startLr, endLr, startMomentum, endMomentum };
}

function readLr(group: ScheduleGroup, key: LrKey): number {
  return group[key] ?? NaN;
}

/** Cosine anneal from `start` to `end` as pct goes from 0 to 1 (torch's _annealing_cos). */
function annealCos(start: number, end: number, pct: number): number {
  const cosOut = Math.cos(Math.PI * pct) + 1;
  return end + ((start - end) / 2) * cosOut;
}

function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

/** total_steps, else epochs × steps_per_epoch, else the run's (or segment's) length. */
function resolveTotalSteps(spec: Keys<OneCycleScheduleSpec>, setup: ScheduleSetup): number {
  const { path } = setup;
  if (spec.total_steps !== undefined) {
    if (!(Number.isInteger(spec.total_steps) && spec.total_steps > 0)) {
      throw scheduleError(`Expected positive integer total_steps, but got ${spec.total_steps}`, path, 'total_steps');
    }
    return spec.total_steps;
  }
  if (spec.epochs === undefined && spec.steps_per_epoch === undefined) {
    if (!(setup.length > 0)) {
      throw scheduleError(`OneCycleLR: ${lengthName(setup)} has ${setup.length} steps; set total_steps`, path, 'total_steps');
    }
    return setup.length;
  }
  if (spec.epochs === undefined || spec.steps_per_epoch === undefined) {
    const missing = spec.epochs === undefined ? 'epochs' : 'steps_per_epoch';
    const message = "OneCycleLR: give total_steps, or both epochs and steps_per_epoch (or none: the run's length)";
    throw scheduleError(message, path, missing);
  }
  for (const key of ['epochs', 'steps_per_epoch'] as const) {
    const value = spec[key] as number;
    if (!(Number.isInteger(value) && value > 0)) {
      throw scheduleError(`Expected positive integer ${key}, but got ${value}`, path, key);
    }
  }
  return (spec.epochs as number) * (spec.steps_per_epoch as number);
}
