import { SpecError, type JsonPath } from '../core/errors';
import type { ScheduleInterval } from './options';

/** What a scheduler drives: an Optimizer satisfies it. */
export interface Schedulable {
  lr: number;
  /** SGD/RMSprop `momentum` or Adam-family `betas[0]`; undefined when the optimizer has none. */
  momentum: number | undefined;
}

export interface Scheduler {
  /**
   * 'step': call after every optimizer step; 'epoch': after every epoch (ReduceLROnPlateau with the
   * monitored metric).
   */
  readonly interval: ScheduleInterval;
  step(metric?: number): void;
  stateDict(): Record<string, unknown>;
  /** Restores the state and writes the lr (and momentum, if this schedule sets it) saved with it. */
  loadStateDict(sd: Record<string, unknown>): void;
}

/** The run a schedule belongs to: schedules that omit their length take it from here. */
export interface ScheduleContext {
  stepsPerEpoch: number;
  epochs: number;
}

/**
 * torch's param group as schedulers see it: the optimizer's lr and momentum plus the keys schedulers
 * store in the group and share — `initial_lr` (set by the first scheduler, overwritten by OneCycleLR)
 * and OneCycleLR's max_lr/min_lr/max_momentum/base_momentum. The children of a SequentialLR share
 * one group, which is what makes their interplay match torch's.
 */
export class ScheduleGroup {
  initialLr: number | undefined = undefined;
  maxLr = NaN;
  minLr = NaN;
  maxMomentum = NaN;
  baseMomentum = NaN;

  constructor(readonly target: Schedulable) {}
}

/** Where a schedule's keys live in the experiment file, for errors (e.g. ['schedule', 'schedulers', 1]). */
export type SchedulePath = JsonPath;

export function scheduleError(message: string, path: SchedulePath, key?: string): SpecError {
  return new SpecError(message, key === undefined ? path : [...path, key]);
}

/** Python's `%` (the result has the divisor's sign), which torch's formulas are written with. */
export function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/**
 * A scheduler that a SequentialLR can drive: torch's _LRScheduler protocol (last_epoch, the initial
 * step, and step(epoch) with an explicit epoch, which SequentialLR uses to restart a child at 0).
 */
export interface ChainableScheduler extends Scheduler {
  lastEpoch: number;
  readonly lastLr: number;
  readonly cyclesMomentum: boolean;
  /** torch `_initial_step()`: reset the step count and take step 0. */
  initialStep(): void;
  /** torch `step(epoch)`: jump to `epoch`, with the closed form where torch has one. */
  stepTo(epoch: number): void;
  /** Restores the counters of `stateDict()` without touching the optimizer (the parent does that). */
  restoreState(sd: Record<string, unknown>): void;
}

/**
 * torch.optim.lr_scheduler._LRScheduler for one param group (last_epoch = −1, i.e. not resuming):
 * construction records `initial_lr` and takes step 0; every step increments last_epoch and writes
 * `getLr()` — torch's chainable (recursive) form, which reads the optimizer's current lr. A subclass
 * sets its own fields and then calls `start()` at the end of its constructor, as torch's subclasses
 * call `super().__init__` last.
 */
export abstract class LrScheduler implements ChainableScheduler {
  lastEpoch = -1;
  /** torch `_step_count`: CosineAnnealingLR's first-step branch reads it. */
  protected stepCount = 0;
  /** torch `base_lrs[0]`. */
  baseLr = NaN;
  lastLr = NaN;

  constructor(
    protected readonly group: ScheduleGroup,
    readonly interval: ScheduleInterval,
  ) {}

  protected get target(): Schedulable {
    return this.group.target;
  }

  /** Whether this schedule also sets the optimizer's momentum (OneCycleLR, CyclicLR). */
  get cyclesMomentum(): boolean {
    return false;
  }

  protected start(): void {
    this.group.initialLr ??= this.target.lr;
    this.baseLr = this.group.initialLr;
    this.lastEpoch = -1;
    this.initialStep();
  }

  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  step(): void {
    this.stepCount++;
    this.lastEpoch++;
    this.apply(this.getLr());
  }

  stepTo(epoch: number): void {
    this.stepCount++;
    this.lastEpoch = epoch;
    this.apply(this.closedFormLr?.() ?? this.getLr());
  }

  protected apply(lr: number): void {
    this.target.lr = lr;
    this.lastLr = lr;
  }

  /** torch `get_lr()` at `lastEpoch`, the chainable form. */
  protected abstract getLr(): number;
  /** torch `_get_closed_form_lr()`, for the schedulers that have one. */
  protected closedFormLr?(): number;

  stateDict(): Record<string, unknown> {
    const sd = {
      last_epoch: this.lastEpoch,
      _step_count: this.stepCount,
      base_lrs: [this.baseLr],
      _last_lr: [this.lastLr],
      ...this.extraState(),
    };
    return withMomentum(this, this.target, sd);
  }

  /** Fields beyond _LRScheduler's that change while stepping (e.g. SGDR's T_cur). */
  protected extraState(): Record<string, unknown> {
    return {};
  }

  restoreState(sd: Record<string, unknown>): void {
    this.lastEpoch = readNumber(sd, 'last_epoch');
    this.stepCount = readNumber(sd, '_step_count');
    this.baseLr = readNumberList(sd, 'base_lrs');
    this.lastLr = readNumberList(sd, '_last_lr');
    this.restoreExtra(sd);
  }

  protected restoreExtra(_sd: Record<string, unknown>): void {}

  loadStateDict(sd: Record<string, unknown>): void {
    this.restoreState(sd);
    restoreTarget(this.target, this, sd);
  }
}

/** Adds the momentum a schedule has written to its state, so a resumed run restores it. */
export function withMomentum(
  scheduler: { readonly cyclesMomentum: boolean },
  target: Schedulable,
  sd: Record<string, unknown>,
): Record<string, unknown> {
  return scheduler.cyclesMomentum ? { ...sd, _last_momentum: target.momentum } : sd;
}

/** Writes the saved lr (and momentum) back to the optimizer, as loading torch's optimizer state would. */
export function restoreTarget(
  target: Schedulable,
  scheduler: { readonly lastLr: number; readonly cyclesMomentum: boolean },
  sd: Record<string, unknown>,
): void {
  target.lr = scheduler.lastLr;
  if (scheduler.cyclesMomentum && typeof sd._last_momentum === 'number') target.momentum = sd._last_momentum;
}

/** Restores each child of a sequence or chain from the parent's `_schedulers` (one state per child). */
export function restoreChildren(children: readonly ChainableScheduler[], sd: Record<string, unknown>): void {
  const states = sd._schedulers;
  if (!Array.isArray(states) || states.length !== children.length) {
    throw new TypeError(`scheduler state: '_schedulers' must hold ${children.length} states`);
  }
  children.forEach((child, i) => child.restoreState(states[i] as Record<string, unknown>));
}

export function readNumber(sd: Record<string, unknown>, key: string): number {
  const value = sd[key];
  if (typeof value !== 'number') throw new TypeError(`scheduler state: '${key}' must be a number`);
  return value;
}

/** A one-group list like torch's `base_lrs`, or a plain number. */
export function readNumberList(sd: Record<string, unknown>, key: string): number {
  const value = sd[key];
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'number') throw new TypeError(`scheduler state: '${key}' must be a number list`);
  return first;
}

/** What every schedule's constructor gets besides its spec. */
export interface ScheduleSetup {
  group: ScheduleGroup;
  interval: ScheduleInterval;
  /** The schedule's keys in the experiment file, for errors. */
  path: SchedulePath;
  /**
   * How many times it will be stepped: the run's length in interval units, or for a child of
   * `sequential` the length of its segment. Schedules that omit their length use it.
   */
  length: number;
}

/** A spec without the interval its parent or the setup decides. */
export type Keys<T> = Omit<T, 'interval'>;

/** Rejects a step count below 1, which torch takes without a check and then divides by. */
export function requireCount(value: number, schedule: string, key: string, setup: ScheduleSetup): void {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw scheduleError(`${schedule}: ${key} must be an integer ≥ 1, got ${value}`, setup.path, key);
  }
}

/** How error messages name `setup.length`: the run, or a child's segment of a sequence. */
export function lengthName(setup: ScheduleSetup): string {
  return setup.path.includes('schedulers') ? 'its segment of the sequence' : 'the run';
}
