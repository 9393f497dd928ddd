import { describe, expect, it } from 'vitest';
import { SpecError } from '../../../engine/core/errors';
import type * as z from 'zod';
import { core, defaultOf, kindOptions } from '../../../engine/core/options';
import { parseExperiment } from '../../../engine/experiment/parse';
import {
  createMomentumScheduler,
  createScheduler,
  MOMENTUM_SCHEDULES,
  runLength,
  SCHEDULE_CHILDREN,
  SCHEDULES,
  type MomentumScheduleSpec,
  type Schedulable,
  type ScheduleSpec,
} from '../../../engine/schedule';
import type { OneCycleScheduleSpec } from '../../../engine/schedule/oneCycleLr';

const run = { epochs: 10, stepsPerEpoch: 5 };

function sgd(lr = 0.1, momentum = 0.9): Schedulable {
  return { lr, momentum };
}

/** An optimizer without momentum or beta1 (e.g. Adagrad). */
function plain(lr = 0.1): Schedulable {
  return { lr, momentum: undefined };
}

function oneCycle(overrides: Partial<OneCycleScheduleSpec> = {}): OneCycleScheduleSpec {
  return {
    type: 'one_cycle',
    interval: 'step',
    max_lr: 0.1,
    pct_start: 0.3,
    anneal_strategy: 'cos',
    cycle_momentum: true,
    base_momentum: 0.85,
    max_momentum: 0.95,
    div_factor: 25,
    final_div_factor: 1e4,
    three_phase: false,
    ...overrides,
  };
}

/** The lrs after construction and each of `steps` steps. */
function lrs(spec: ScheduleSpec, steps: number, target = sgd()): number[] {
  const scheduler = createScheduler(spec, target, run);
  const out = [target.lr];
  for (let k = 0; k < steps; k++) {
    scheduler.step();
    out.push(target.lr);
  }
  return out;
}

function thrown(f: () => unknown): SpecError {
  try {
    f();
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error('expected a SpecError');
}

describe('schedule kinds', () => {
  const options = (family: { schema: z.ZodType }, kind: string) => kindOptions(family.schema, kind)!.shape as Record<string, z.ZodType>;

  it('list every kind once, with interval defaults as torch steps them', () => {
    expect(new Set(SCHEDULES.types).size).toBe(SCHEDULES.types.length);
    for (const kind of SCHEDULES.types) {
      expect(defaultOf(options(SCHEDULES, kind).interval)).toBe(kind === 'one_cycle' || kind === 'cyclic' ? 'step' : 'epoch');
    }
    expect(MOMENTUM_SCHEDULES.types).toEqual(['linear', 'exponential']);
  });

  it('children of sequential and chained: chainable kinds only, without interval', () => {
    expect(SCHEDULE_CHILDREN.types).not.toContain('sequential');
    expect(SCHEDULE_CHILDREN.types).not.toContain('chained');
    expect(SCHEDULE_CHILDREN.types).not.toContain('reduce_lr_on_plateau');
    expect(SCHEDULE_CHILDREN.types).toHaveLength(SCHEDULES.types.length - 3);
    for (const kind of SCHEDULE_CHILDREN.types) {
      expect(options(SCHEDULE_CHILDREN, kind)).not.toHaveProperty('interval');
      expect(Object.keys(options(SCHEDULE_CHILDREN, kind)).length).toBe(Object.keys(options(SCHEDULES, kind)).length - 1);
    }
  });

  it('sequential holds a list of its children', () => {
    const schedulers = core(options(SCHEDULES, 'sequential').schedulers) as z.ZodArray;
    expect(schedulers.element).toBe(SCHEDULE_CHILDREN.schema);
  });

  it('count the run in interval units', () => {
    expect(runLength('step', run)).toBe(50);
    expect(runLength('epoch', run)).toBe(10);
  });
});

describe('learning-rate schedules', () => {
  it('set the lr of step 0 at construction, as torch does', () => {
    expect(lrs({ type: 'linear', interval: 'epoch', start_factor: 0.25, end_factor: 1, total_iters: 4 }, 0)).toEqual([0.025]);
    expect(lrs(oneCycle({ max_lr: 0.5 }), 0)[0]).toBeCloseTo(0.02, 16);
    expect(lrs({ type: 'step', interval: 'epoch', step_size: 2, gamma: 0.5 }, 0)).toEqual([0.1]);
  });

  it('1/t decay is lr0 / (1 + decay_rate · t / decay_steps)', () => {
    const values = lrs({ type: 'inverse_time', interval: 'epoch', decay_rate: 0.5, decay_steps: 2, staircase: false }, 6);
    values.forEach((lr, t) => expect(lr).toBeCloseTo(0.1 / (1 + (0.5 * t) / 2), 15));
  });

  it('cosine annealing without T_max spans the run (per epoch or per step)', () => {
    const perEpoch = lrs({ type: 'cosine_annealing', interval: 'epoch', eta_min: 0 }, 10);
    expect(perEpoch[5]).toBeCloseTo(0.05, 15);
    expect(perEpoch[10]).toBeCloseTo(0, 15);
    const perStep = lrs({ type: 'cosine_annealing', interval: 'step', eta_min: 0 }, 50);
    expect(perStep[25]).toBeCloseTo(0.05, 15);
    expect(perStep[50]).toBeCloseTo(0, 15);
  });

  it('one-cycle without a length spans the run; stepping past it is an error, as in torch', () => {
    const target = sgd();
    const scheduler = createScheduler(oneCycle(), target, run);
    // The lr of the run's last (50th) optimizer step is set by the 49th scheduler step.
    for (let k = 0; k < 49; k++) scheduler.step();
    expect(target.lr).toBeCloseTo(0.1 / 25 / 1e4, 18);
    expect(target.momentum).toBeCloseTo(0.95, 15);
    scheduler.step(); // the loop's step after the last batch: allowed, as in torch
    const error = thrown(() => scheduler.step());
    expect(error.path).toEqual(['schedule', 'total_steps']);
    expect(error.message).toMatch(/tried to step 52 times.*total steps is 50/);
  });

  it('one-cycle: a phase of zero length is an error (torch divides by zero)', () => {
    const error = thrown(() => createScheduler(oneCycle({ total_steps: 10, pct_start: 0.1 }), sgd(), { epochs: 2, stepsPerEpoch: 5 }));
    expect(error.path).toEqual(['schedule', 'pct_start']);
  });

  it('one-cycle shorter than the run is an error before training (torch would raise mid-run)', () => {
    const error = thrown(() => createScheduler(oneCycle({ total_steps: 40 }), sgd(), run));
    expect(error.path).toEqual(['schedule', 'total_steps']);
    expect(error.message).toMatch(/40 steps but the run has 50 \(steps\)/);
    expect(thrown(() => createScheduler(oneCycle({ epochs: 4, steps_per_epoch: 5 }), sgd(), run)).path).toEqual(['schedule', 'epochs']);
    // Longer than the run is fine.
    expect(() => createScheduler(oneCycle({ total_steps: 60 }), sgd(), run)).not.toThrow();
  });

  it('one-cycle: epochs without steps_per_epoch is an error', () => {
    expect(thrown(() => createScheduler(oneCycle({ epochs: 3 }), sgd(), run)).path).toEqual(['schedule', 'steps_per_epoch']);
  });

  it('cycling momentum needs an optimizer that has one', () => {
    const noMomentum = plain();
    expect(thrown(() => createScheduler(oneCycle(), noMomentum, run)).path).toEqual(['schedule', 'cycle_momentum']);
    const cyclic: ScheduleSpec = {
      type: 'cyclic',
      interval: 'step',
      max_lr: 0.5,
      step_size_up: 4,
      mode: 'triangular',
      gamma: 1,
      cycle_momentum: true,
      base_momentum: 0.8,
      max_momentum: 0.9,
    };
    const error = thrown(() => createScheduler(cyclic, noMomentum, run));
    expect(error.path).toEqual(['schedule', 'cycle_momentum']);
    expect(error.message).toMatch(/cycle_momentum/);
    // Without cycling, such an optimizer is fine and its momentum stays undefined.
    const target = plain();
    createScheduler({ ...cyclic, cycle_momentum: false }, target, run).step();
    expect(target.momentum).toBeUndefined();
  });

  it("cyclic: Adam's beta1 cycles exactly as SGD's momentum (torch ≥ 2.2; 1.13 raises)", () => {
    const spec: ScheduleSpec = {
      type: 'cyclic',
      interval: 'step',
      max_lr: 0.5,
      step_size_up: 3,
      mode: 'triangular2',
      gamma: 1,
      cycle_momentum: true,
      base_momentum: 0.8,
      max_momentum: 0.9,
    };
    const sgdTarget = sgd(0.01, 0);
    const adamTarget = sgd(0.01, 0.9);
    const a = createScheduler(spec, sgdTarget, run);
    const b = createScheduler(spec, adamTarget, run);
    const seen = new Set<number>();
    for (let k = 0; k < 12; k++) {
      a.step();
      b.step();
      expect(adamTarget.momentum).toBe(sgdTarget.momentum);
      seen.add(sgdTarget.momentum as number);
    }
    expect(seen.size).toBeGreaterThan(3);
    // base_lr defaults to the optimizer's lr: the cycle starts there.
    expect(lrs(spec, 0, sgd(0.01))).toEqual([0.01]);
  });

  it('the experiment format rejects what torch rejects, pointing at the key', () => {
    const rejected = (schedule: unknown): (string | number)[][] =>
      parseExperiment(
        JSON.stringify({ data: 'spiral', model: [{ type: 'linear' }], optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 }, schedule }),
        'x.experiment.json',
      )
        .problems.filter(p => p.severity === 'error')
        .map(p => p.path);
    expect(rejected({ type: 'linear', start_factor: 0 })).toEqual([['schedule', 'start_factor']]);
    expect(rejected({ type: 'cosine_annealing_warm_restarts', T_0: 2.5 })).toEqual([['schedule', 'T_0']]);
    expect(rejected({ type: 'reduce_lr_on_plateau', factor: 1 })).toEqual([['schedule', 'factor']]);
    const sequential = { type: 'sequential', milestones: [3, 5], schedulers: [{ type: 'exponential', gamma: 0.9 }, { type: 'exponential', gamma: 0.5 }] };
    expect(rejected(sequential)).toEqual([['schedule', 'milestones']]);
    const three = { ...sequential, schedulers: [...sequential.schedulers, { type: 'exponential', gamma: 0.5 }] };
    expect(rejected({ ...three, milestones: [5, 5] })).toEqual([['schedule', 'milestones', 1]]);
    expect(rejected({ ...three, milestones: [0, 5] })).toEqual([['schedule', 'milestones', 0]]);
    const child = { type: 'sequential', milestones: [3], schedulers: [{ type: 'exponential', gamma: 0.9 }, { type: 'step', step_size: 0, gamma: 0.5 }] };
    expect(rejected(child)).toEqual([['schedule', 'schedulers', 1, 'step_size']]);
  });

  it('reduce_lr_on_plateau leaves the lr alone at construction and needs the metric', () => {
    const target = sgd(0.3);
    const plateau = createScheduler(
      {
        type: 'reduce_lr_on_plateau',
        interval: 'epoch',
        mode: 'min',
        factor: 0.5,
        patience: 0,
        threshold: 0,
        threshold_mode: 'abs',
        cooldown: 0,
        min_lr: 0,
        eps: 1e-8,
      },
      target,
      run,
    );
    expect(target.lr).toBe(0.3);
    expect(() => plateau.step()).toThrow(/metric/);
    // Saved before any step, `best` is Infinity: JSON turns it into null, which must load back.
    const saved = JSON.parse(JSON.stringify(plateau.stateDict())) as Record<string, unknown>;
    expect(saved.best).toBeNull();
    plateau.loadStateDict(saved);
    plateau.step(1);
    plateau.step(1);
    expect(target.lr).toBe(0.15);
  });

  it('loadStateDict writes the saved lr and momentum back to the optimizer', () => {
    const spec = oneCycle({ total_steps: 60 });
    const first = sgd();
    const scheduler = createScheduler(spec, first, run);
    for (let k = 0; k < 5; k++) scheduler.step();
    const fresh = sgd(1, 0.1);
    createScheduler(spec, fresh, run).loadStateDict(scheduler.stateDict());
    expect(fresh).toEqual(first);
  });
});

describe('momentum schedules (the notes\' 0.5 → 0.99)', () => {
  const linear: MomentumScheduleSpec = { type: 'linear', interval: 'epoch', start: 0.5, end: 0.99, total_iters: 4 };

  function momentums(spec: MomentumScheduleSpec, steps: number, target = sgd(0.1, 0.9)): (number | undefined)[] {
    const scheduler = createMomentumScheduler(spec, target, run);
    const out = [target.momentum];
    for (let k = 0; k < steps; k++) {
      scheduler.step();
      out.push(target.momentum);
    }
    return out;
  }

  it('linear: start at construction, end after total_iters, then stays; the lr is untouched', () => {
    const target = sgd(0.1, 0.9);
    const values = momentums(linear, 6, target);
    expect(values).toEqual([0.5, 0.5 + 0.49 / 4, 0.5 + (0.49 * 2) / 4, 0.5 + (0.49 * 3) / 4, 0.99, 0.99, 0.99]);
    expect(target.lr).toBe(0.1);
  });

  it('linear without total_iters spans the run', () => {
    const values = momentums({ type: 'linear', interval: 'step', start: 0.5, end: 0.99 }, 50);
    expect(values[25]).toBeCloseTo(0.745, 15);
    expect(values[50]).toBe(0.99);
  });

  it('exponential: the distance to end shrinks by gamma every step', () => {
    const values = momentums({ type: 'exponential', interval: 'epoch', start: 0.5, end: 0.99, gamma: 0.5 }, 3) as number[];
    expect(values[0]).toBe(0.5);
    for (let t = 1; t <= 3; t++) expect(0.99 - values[t]).toBeCloseTo(0.49 * 0.5 ** t, 15);
  });

  it('drives Adam-like beta1 too, but needs an optimizer with momentum', () => {
    expect(momentums(linear, 1, sgd(1e-3, 0.9))[0]).toBe(0.5);
    const error = thrown(() => createMomentumScheduler(linear, plain(), run));
    expect(error.path).toEqual(['momentum_schedule']);
  });

  it('resumes where it left off', () => {
    const target = sgd();
    const scheduler = createMomentumScheduler(linear, target, run);
    scheduler.step();
    scheduler.step();
    const fresh = sgd();
    const resumed = createMomentumScheduler(linear, fresh, run);
    resumed.loadStateDict(JSON.parse(JSON.stringify(scheduler.stateDict())) as Record<string, unknown>);
    expect(fresh.momentum).toBe(target.momentum);
    scheduler.step();
    resumed.step();
    expect(fresh.momentum).toBe(target.momentum);
    expect(fresh.momentum).toBeCloseTo(0.5 + (0.49 * 3) / 4, 15);
  });
});
