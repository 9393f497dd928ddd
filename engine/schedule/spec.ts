/**
 * What an experiment's `schedule` (learning rate) and `momentum_schedule` resolve to:
 * torch.optim.lr_scheduler's classes and arguments, every default filled in.
 *
 * Kind names are torch's class names without the "LR" suffix, in snake_case (StepLR → step,
 * CosineAnnealingWarmRestarts → cosine_annealing_warm_restarts, ReduceLROnPlateau →
 * reduce_lr_on_plateau), so a user who knows the class can write its kind; keys are the class's
 * argument names unchanged (including torch's capitalised `T_max`, `T_0`, `T_mult`).
 * `inverse_time` (the course notes' "1/t decay") is not in torch: it follows Keras' InverseTimeDecay.
 */

/**
 * When the training loop calls `step()`: after every optimizer step, or after every epoch. Counts in a
 * schedule (T_max, step_size, milestones, total_steps, ...) are in these units.
 */
export type ScheduleInterval = 'step' | 'epoch';

interface ScheduleBase {
  /** Default 'epoch' (torch's usual loop), except one_cycle and cyclic, which torch steps per batch. */
  interval: ScheduleInterval;
}

/** torch StepLR: lr × gamma every `step_size` intervals. */
export interface StepScheduleSpec extends ScheduleBase {
  type: 'step';
  step_size: number;
  gamma: number;
}

/** torch MultiStepLR: lr × gamma at each milestone (a milestone listed twice multiplies twice). */
export interface MultiStepScheduleSpec extends ScheduleBase {
  type: 'multi_step';
  milestones: number[];
  gamma: number;
}

/** torch ExponentialLR: lr × gamma every interval. */
export interface ExponentialScheduleSpec extends ScheduleBase {
  type: 'exponential';
  gamma: number;
}

/**
 * Keras InverseTimeDecay, the notes' "1/t decay": lr = lr₀ / (1 + decay_rate · t / decay_steps), with
 * t / decay_steps floored when `staircase`. Computed as torch's LambdaLR would (lr₀ × factor(t)).
 */
export interface InverseTimeScheduleSpec extends ScheduleBase {
  type: 'inverse_time';
  decay_rate: number;
  decay_steps: number;
  staircase: boolean;
}

/** torch CosineAnnealingLR (its chainable recursion). */
export interface CosineAnnealingScheduleSpec extends ScheduleBase {
  type: 'cosine_annealing';
  /** Half period; omitted = the run's length in interval units (torch requires it). */
  T_max?: number;
  eta_min: number;
}

/** torch CosineAnnealingWarmRestarts (SGDR). */
export interface CosineAnnealingWarmRestartsScheduleSpec extends ScheduleBase {
  type: 'cosine_annealing_warm_restarts';
  T_0: number;
  T_mult: number;
  eta_min: number;
}

export type AnnealStrategy = 'cos' | 'linear';

/**
 * torch OneCycleLR. The cycle's length: `total_steps`, else `epochs × steps_per_epoch` (both needed, as
 * in torch); when none of the three is given, the run's length in interval units (for interval 'step'
 * that is torch's usual epochs × len(loader)).
 */
export interface OneCycleScheduleSpec extends ScheduleBase {
  type: 'one_cycle';
  max_lr: number;
  total_steps?: number;
  epochs?: number;
  steps_per_epoch?: number;
  pct_start: number;
  anneal_strategy: AnnealStrategy;
  /** Cycles SGD's momentum or Adam's beta1 inversely to the lr. */
  cycle_momentum: boolean;
  base_momentum: number;
  max_momentum: number;
  div_factor: number;
  final_div_factor: number;
  three_phase: boolean;
}

export type CyclicMode = 'triangular' | 'triangular2' | 'exp_range';

/** torch CyclicLR (without its custom scale_fn). */
export interface CyclicScheduleSpec extends ScheduleBase {
  type: 'cyclic';
  /** Lower bound of the cycle; omitted = the optimizer's lr (torch requires it). */
  base_lr?: number;
  max_lr: number;
  step_size_up: number;
  /** Omitted = step_size_up, as in torch. */
  step_size_down?: number;
  mode: CyclicMode;
  gamma: number;
  cycle_momentum: boolean;
  base_momentum: number;
  max_momentum: number;
}

/** torch LinearLR: the usual warm-up (factor start_factor → end_factor over total_iters). */
export interface LinearScheduleSpec extends ScheduleBase {
  type: 'linear';
  start_factor: number;
  end_factor: number;
  total_iters: number;
}

/** torch ConstantLR: lr × factor until total_iters, then lr. */
export interface ConstantScheduleSpec extends ScheduleBase {
  type: 'constant';
  factor: number;
  total_iters: number;
}

/** torch PolynomialLR: lr × (1 − t / total_iters)^power, then 0. */
export interface PolynomialScheduleSpec extends ScheduleBase {
  type: 'polynomial';
  total_iters: number;
  power: number;
}

/** The schedules torch's SequentialLR can chain (not sequential itself, not ReduceLROnPlateau). */
export type ChainableScheduleSpec =
  | StepScheduleSpec
  | MultiStepScheduleSpec
  | ExponentialScheduleSpec
  | InverseTimeScheduleSpec
  | CosineAnnealingScheduleSpec
  | CosineAnnealingWarmRestartsScheduleSpec
  | OneCycleScheduleSpec
  | CyclicScheduleSpec
  | LinearScheduleSpec
  | ConstantScheduleSpec
  | PolynomialScheduleSpec;

type WithoutInterval<T> = T extends unknown ? Omit<T, 'interval'> : never;

/** A schedule inside `sequential`: it is stepped whenever the sequence is, so it has no interval. */
export type SequentialChildSpec = WithoutInterval<ChainableScheduleSpec>;

/**
 * torch SequentialLR: schedulers[i] runs from milestones[i−1] (0 for the first) on; at its milestone a
 * scheduler restarts from its own step 0. A child's omitted T_max / total_steps is its segment's length.
 */
export interface SequentialScheduleSpec extends ScheduleBase {
  type: 'sequential';
  schedulers: SequentialChildSpec[];
  milestones: number[];
}

/** torch ReduceLROnPlateau: step(metric) with the monitored value (the loop chooses which). */
export interface ReduceLrOnPlateauScheduleSpec extends ScheduleBase {
  type: 'reduce_lr_on_plateau';
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  threshold_mode: 'rel' | 'abs';
  cooldown: number;
  min_lr: number;
  eps: number;
}

export type ScheduleSpec = ChainableScheduleSpec | SequentialScheduleSpec | ReduceLrOnPlateauScheduleSpec;
export type ScheduleKind = ScheduleSpec['type'];
export type SequentialChildKind = SequentialChildSpec['type'];

// ---- momentum schedules -----------------------------------------------------------------------

/**
 * The notes' momentum schedule ("start with momentum of about 0.5 and anneal it to 0.99 or so over
 * multiple epochs"); torch has none. It sets SGD's momentum / Adam's beta1 to an absolute value:
 *   m(t) = start + (end − start) · min(t, total_iters) / total_iters
 * (LinearLR's closed form on the value itself).
 */
export interface LinearMomentumScheduleSpec extends ScheduleBase {
  type: 'linear';
  start: number;
  end: number;
  /** Omitted = the run's length in interval units (reach `end` at the last step). */
  total_iters?: number;
}

/**
 * Exponential approach: the distance to `end` shrinks by `gamma` every interval,
 *   m(t) = end − (end − start) · gamma^t.
 */
export interface ExponentialMomentumScheduleSpec extends ScheduleBase {
  type: 'exponential';
  start: number;
  end: number;
  gamma: number;
}

export type MomentumScheduleSpec = LinearMomentumScheduleSpec | ExponentialMomentumScheduleSpec;
export type MomentumScheduleKind = MomentumScheduleSpec['type'];
