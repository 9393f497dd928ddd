import type { BooleanField, Documented, EnumField, FieldTable, NumberField } from '../experiment/fieldTypes';
import type { MomentumScheduleKind, ScheduleInterval, ScheduleKind, SequentialChildKind } from './spec';

/** The `schedule` kinds (learning rate): torch.optim.lr_scheduler's classes, plus Keras' inverse time decay. */
export const SCHEDULE_KINDS: readonly ScheduleKind[] = [
  'step',
  'multi_step',
  'exponential',
  'inverse_time',
  'cosine_annealing',
  'cosine_annealing_warm_restarts',
  'one_cycle',
  'cyclic',
  'linear',
  'constant',
  'polynomial',
  'sequential',
  'reduce_lr_on_plateau',
];

/** What `sequential` may chain: torch's SequentialLR cannot hold itself or ReduceLROnPlateau. */
export const SEQUENTIAL_CHILD_KINDS: readonly SequentialChildKind[] = SCHEDULE_KINDS.filter(
  (kind): kind is SequentialChildKind => kind !== 'sequential' && kind !== 'reduce_lr_on_plateau',
);

export const SCHEDULE_INTERVALS: readonly ScheduleInterval[] = ['step', 'epoch'];

/** torch steps OneCycleLR and CyclicLR after every batch, the others after every epoch. */
export function defaultInterval(kind: ScheduleKind | MomentumScheduleKind): ScheduleInterval {
  return kind === 'one_cycle' || kind === 'cyclic' ? 'step' : 'epoch';
}

function interval(kind: ScheduleKind): EnumField {
  return {
    kind: 'enum',
    values: SCHEDULE_INTERVALS,
    default: defaultInterval(kind),
    doc:
      'When the schedule steps: after every optimizer `step`, or after every `epoch`. Its counts (periods, milestones, lengths) are in these units. ' +
      'Default `epoch`, except `step` for one_cycle and cyclic, as torch steps those per batch.',
  };
}

const positive: NumberField = { kind: 'number', minimum: 0, exclusiveMinimum: true };
const count = (fields: Partial<NumberField> = {}): NumberField => ({
  kind: 'number',
  integer: true,
  minimum: 1,
  ...fields,
});
/** A momentum / beta1 value. */
const momentum = (value: number, doc: string): NumberField => ({
  kind: 'number',
  default: value,
  minimum: 0,
  maximum: 1,
  exclusiveMaximum: true,
  doc,
});
const gamma = (doc: string): NumberField => ({ kind: 'number', default: 0.1, minimum: 0, doc });
const etaMin: NumberField = { kind: 'number', default: 0, minimum: 0, doc: 'The lowest learning rate of the cosine.' };
const totalIters = (doc: string): NumberField => count({ default: 5, doc });
const cycleMomentum: BooleanField = {
  kind: 'boolean',
  default: true,
  doc: "Cycle the optimizer's momentum (SGD's `momentum`, Adam's beta1) inversely to the learning rate, between `base_momentum` and `max_momentum`.",
};

/** What each `schedule` kind is (hovers, completion, the reference). */
export const SCHEDULE_DOCS: Readonly<Record<ScheduleKind, string>> = {
  step: '`torch.optim.lr_scheduler.StepLR`: multiplies the learning rate by `gamma` every `step_size` intervals.',
  multi_step: '`torch.optim.lr_scheduler.MultiStepLR`: multiplies the learning rate by `gamma` at each of the `milestones`.',
  exponential: '`torch.optim.lr_scheduler.ExponentialLR`: multiplies the learning rate by `gamma` every interval.',
  inverse_time:
    'Inverse time decay (the notes\' 1/t decay; Keras `InverseTimeDecay`): lr₀ / (1 + decay_rate · t / decay_steps).',
  cosine_annealing: '`torch.optim.lr_scheduler.CosineAnnealingLR`: a half cosine from the learning rate down to `eta_min` over `T_max` intervals.',
  cosine_annealing_warm_restarts:
    '`torch.optim.lr_scheduler.CosineAnnealingWarmRestarts` (SGDR): cosine cycles of `T_0` intervals (each `T_mult` times longer), restarting at the learning rate.',
  one_cycle:
    '`torch.optim.lr_scheduler.OneCycleLR`: warms up to `max_lr`, then anneals far below the start, over one cycle (stepped per batch).',
  cyclic: '`torch.optim.lr_scheduler.CyclicLR`: the learning rate cycles between `base_lr` and `max_lr` (stepped per batch).',
  linear: '`torch.optim.lr_scheduler.LinearLR`: scales the learning rate linearly from `start_factor` to `end_factor` over `total_iters` (a warm-up).',
  constant: '`torch.optim.lr_scheduler.ConstantLR`: the learning rate times `factor` until `total_iters`, then the learning rate itself.',
  polynomial: '`torch.optim.lr_scheduler.PolynomialLR`: lr · (1 − t / total_iters)^power, then 0.',
  sequential: '`torch.optim.lr_scheduler.SequentialLR`: runs `schedulers` one after another, switching at the `milestones`.',
  reduce_lr_on_plateau:
    '`torch.optim.lr_scheduler.ReduceLROnPlateau`: multiplies the learning rate by `factor` when the validation loss (the training loss without a validation set) stops improving.',
};

/** Keys of each schedule kind besides `type` (torch's defaults; list-valued keys: SCHEDULE_LIST_FIELDS). */
export const SCHEDULE_FIELDS: Readonly<Record<ScheduleKind, FieldTable>> = {
  step: {
    step_size: count({ required: true, doc: 'Period of the decay, in intervals.' }),
    gamma: gamma('Factor the learning rate is multiplied by every `step_size` intervals.'),
    interval: interval('step'),
  },
  multi_step: {
    gamma: gamma('Factor the learning rate is multiplied by at each milestone.'),
    interval: interval('multi_step'),
  },
  exponential: {
    gamma: { ...positive, required: true, doc: 'Factor the learning rate is multiplied by every interval (e.g. 0.95).' },
    interval: interval('exponential'),
  },
  inverse_time: {
    decay_rate: { kind: 'number', required: true, minimum: 0, doc: 'How fast the learning rate falls: lr₀ / (1 + decay_rate · t / decay_steps).' },
    decay_steps: { ...positive, default: 1, doc: 'The intervals that count as one unit of t.' },
    staircase: { kind: 'boolean', default: false, doc: 'Decay in steps: t / decay_steps is rounded down.' },
    interval: interval('inverse_time'),
  },
  cosine_annealing: {
    // Optional although torch requires it: omitted = the run's length (see spec.ts).
    T_max: count({ doc: "Half period of the cosine, in intervals. Default: the run's length (torch requires it)." }),
    eta_min: etaMin,
    interval: interval('cosine_annealing'),
  },
  cosine_annealing_warm_restarts: {
    T_0: count({ required: true, doc: 'Length of the first cycle, in intervals.' }),
    T_mult: count({ default: 1, doc: 'Each cycle is this many times longer than the one before.' }),
    eta_min: etaMin,
    interval: interval('cosine_annealing_warm_restarts'),
  },
  one_cycle: {
    max_lr: { ...positive, required: true, doc: 'The peak learning rate (the optimizer\'s `lr` is ignored: the cycle starts at max_lr / div_factor).' },
    total_steps: count({ doc: "Length of the cycle, in intervals. Default: the run's length (or `epochs` × `steps_per_epoch`)." }),
    epochs: count({ doc: 'With `steps_per_epoch`, the cycle\'s length as epochs × steps_per_epoch (instead of `total_steps`).' }),
    steps_per_epoch: count({ doc: 'With `epochs`, the cycle\'s length as epochs × steps_per_epoch (instead of `total_steps`).' }),
    pct_start: { kind: 'number', default: 0.3, minimum: 0, maximum: 1, doc: 'Fraction of the cycle spent raising the learning rate.' },
    anneal_strategy: {
      kind: 'enum',
      values: ['cos', 'linear'],
      default: 'cos',
      doc: 'How the learning rate moves between its points: `cos` (cosine) or `linear`.',
    },
    cycle_momentum: cycleMomentum,
    base_momentum: momentum(0.85, 'The momentum at the peak of the learning rate (the lowest).'),
    max_momentum: momentum(0.95, 'The momentum at the start and end of the cycle (the highest).'),
    div_factor: { ...positive, default: 25, doc: 'The cycle starts at max_lr / div_factor.' },
    final_div_factor: { ...positive, default: 1e4, doc: 'The cycle ends at max_lr / (div_factor · final_div_factor).' },
    three_phase: {
      kind: 'boolean',
      default: false,
      doc: 'Three phases (up, back down to the start, then the final annealing) instead of two (up, then annealing).',
    },
    interval: interval('one_cycle'),
  },
  cyclic: {
    // Optional although torch requires it: omitted = the optimizer's lr.
    base_lr: { kind: 'number', minimum: 0, doc: "The lower end of the cycle. Default: the optimizer's `lr` (torch requires it)." },
    max_lr: { kind: 'number', required: true, minimum: 0, doc: 'The upper end of the cycle.' },
    step_size_up: count({ default: 2000, doc: 'Intervals from base_lr up to max_lr.' }),
    step_size_down: count({ minimum: 0, doc: 'Intervals from max_lr back down to base_lr. Default: `step_size_up`.' }),
    mode: {
      kind: 'enum',
      values: ['triangular', 'triangular2', 'exp_range'],
      default: 'triangular',
      doc: 'How the amplitude changes: `triangular` keeps it, `triangular2` halves it every cycle, `exp_range` shrinks it by gamma^t.',
    },
    gamma: { ...positive, default: 1, doc: 'The shrink factor of `exp_range` (per interval).' },
    cycle_momentum: cycleMomentum,
    base_momentum: momentum(0.8, 'The momentum at the peak of the learning rate (the lowest).'),
    max_momentum: momentum(0.9, 'The momentum at the bottom of the learning rate (the highest).'),
    interval: interval('cyclic'),
  },
  linear: {
    // torch 1.13 accepts 0 but then divides by zero at the first step; torch 2 rejects it.
    start_factor: {
      kind: 'number',
      default: 1 / 3,
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 1,
      doc: 'The factor of the learning rate at the start, in (0, 1].',
    },
    end_factor: { kind: 'number', default: 1, minimum: 0, maximum: 1, doc: 'The factor of the learning rate after `total_iters`, in [0, 1].' },
    total_iters: totalIters('Intervals from start_factor to end_factor.'),
    interval: interval('linear'),
  },
  constant: {
    factor: { kind: 'number', default: 1 / 3, minimum: 0, maximum: 1, doc: 'The factor of the learning rate until `total_iters`, in [0, 1].' },
    total_iters: totalIters('Intervals with the reduced learning rate.'),
    interval: interval('constant'),
  },
  polynomial: {
    total_iters: totalIters('Intervals until the learning rate reaches 0.'),
    power: { kind: 'number', default: 1, minimum: 0, doc: 'The power of the polynomial (1 = linear).' },
    interval: interval('polynomial'),
  },
  sequential: {
    interval: interval('sequential'),
  },
  reduce_lr_on_plateau: {
    mode: {
      kind: 'enum',
      values: ['min', 'max'],
      default: 'min',
      doc: 'Whether the monitored value should fall (`min`, for a loss) or rise (`max`).',
    },
    factor: {
      kind: 'number',
      default: 0.1,
      minimum: 0,
      maximum: 1,
      exclusiveMaximum: true,
      doc: 'Factor the learning rate is multiplied by on a plateau, in [0, 1).',
    },
    patience: { kind: 'number', default: 10, integer: true, minimum: 0, doc: 'Epochs without improvement before the learning rate is reduced.' },
    threshold: { kind: 'number', default: 1e-4, minimum: 0, doc: 'The least change that counts as an improvement.' },
    threshold_mode: {
      kind: 'enum',
      values: ['rel', 'abs'],
      default: 'rel',
      doc: 'Whether `threshold` is relative to the best value (`rel`) or absolute (`abs`).',
    },
    cooldown: { kind: 'number', default: 0, integer: true, minimum: 0, doc: 'Epochs to wait after a reduction before counting again.' },
    min_lr: { kind: 'number', default: 0, minimum: 0, doc: 'The learning rate never goes below this.' },
    eps: { kind: 'number', default: 1e-8, minimum: 0, doc: 'A reduction smaller than this is skipped.' },
    interval: interval('reduce_lr_on_plateau'),
  },
};

/** Keys of a schedule inside `sequential`: its kind's keys without `interval` (the sequence's counts). */
export const SEQUENTIAL_CHILD_FIELDS: Readonly<Record<SequentialChildKind, FieldTable>> = Object.fromEntries(
  SEQUENTIAL_CHILD_KINDS.map((kind) => {
    const { interval: _interval, ...rest } = SCHEDULE_FIELDS[kind];
    return [kind, rest];
  }),
) as Record<SequentialChildKind, FieldTable>;

// ---- list-valued keys ---------------------------------------------------------------------------
// engine/experiment/fieldTypes.ts has no list field yet; these describe the two list kinds schedules
// need, for the validator and the schema generator to read until it does.

/** A list of integers ≥ minimum, in order: MultiStepLR's and SequentialLR's milestones. */
export interface IntegerListField extends Documented {
  kind: 'integer_list';
  required: true;
  minimum: number;
  /** 'nondecreasing': MultiStepLR counts a repeated milestone twice; 'increasing': SequentialLR bisects. */
  order: 'nondecreasing' | 'increasing';
  /** The list's length must be this other list key's length minus one (SequentialLR). */
  lengthOneLessThan?: string;
}

/** SequentialLR's `schedulers`: a non-empty list of schedule objects of the given kinds. */
export interface ScheduleListField extends Documented {
  kind: 'schedule_list';
  required: true;
  minItems: 1;
  itemKinds: readonly SequentialChildKind[];
  /** The item's keys: SEQUENTIAL_CHILD_FIELDS[item.type]. */
}

export type ScheduleListKeyField = IntegerListField | ScheduleListField;

export const SCHEDULE_LIST_FIELDS: Readonly<Partial<Record<ScheduleKind, Readonly<Record<string, ScheduleListKeyField>>>>> = {
  multi_step: {
    milestones: {
      kind: 'integer_list',
      required: true,
      minimum: 0,
      order: 'nondecreasing',
      doc: 'The intervals at which the learning rate is multiplied by `gamma`, in order (one listed twice multiplies twice).',
    },
  },
  sequential: {
    schedulers: {
      kind: 'schedule_list',
      required: true,
      minItems: 1,
      itemKinds: SEQUENTIAL_CHILD_KINDS,
      doc: 'The schedules to run one after another (each without `interval`: the sequence steps them). An omitted `T_max` or `total_steps` is its segment\'s length.',
    },
    milestones: {
      kind: 'integer_list',
      required: true,
      minimum: 1,
      order: 'increasing',
      lengthOneLessThan: 'schedulers',
      doc: 'Where each schedule after the first takes over, in intervals since the start: one fewer than `schedulers`, increasing.',
    },
  },
};

// ---- momentum schedules -------------------------------------------------------------------------

export const MOMENTUM_SCHEDULE_KINDS: readonly MomentumScheduleKind[] = ['linear', 'exponential'];

/** What each `momentum_schedule` kind is (hovers, completion, the reference). */
export const MOMENTUM_SCHEDULE_DOCS: Readonly<Record<MomentumScheduleKind, string>> = {
  linear: 'The momentum (SGD\'s `momentum`, Adam\'s beta1) moves linearly from `start` to `end` over `total_iters` intervals (the notes\' 0.5 → 0.99).',
  exponential: 'The momentum approaches `end` from `start` exponentially: the distance shrinks by `gamma` every interval.',
};

const momentumInterval: EnumField = {
  kind: 'enum',
  values: SCHEDULE_INTERVALS,
  default: 'epoch',
  doc: 'When the momentum schedule steps: after every optimizer `step`, or after every `epoch` (the default).',
};
const start = momentum(0.5, 'The momentum at the start, in [0, 1).');
const end = momentum(0.99, 'The momentum it moves to, in [0, 1).');

/** Keys of each momentum schedule besides `type`: defaults are the notes' "0.5 → 0.99". */
export const MOMENTUM_SCHEDULE_FIELDS: Readonly<Record<MomentumScheduleKind, FieldTable>> = {
  linear: {
    start,
    end,
    total_iters: count({ doc: "Intervals from `start` to `end`. Default: the run's length (`end` at the last step)." }),
    interval: momentumInterval,
  },
  exponential: {
    start,
    end,
    gamma: {
      kind: 'number',
      required: true,
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 1,
      doc: 'How fast the momentum approaches `end`: the distance shrinks by this factor every interval, in (0, 1].',
    },
    interval: momentumInterval,
  },
};
