import { describe, expect, it } from 'vitest';
import { SCHEDULES } from '../../../engine/schedule/kinds';
import { SCHEDULE_CHILDREN } from '../../../engine/schedule/chainable';
import { at, brief, keyAt, MINIMAL, parse, textOf, valueAt } from './helpers';

/** MINIMAL: spiral 300 samples, 240 training examples, batch 32 → 8 steps per epoch, 10 epochs. */
function run(extra: object): { t: string; problems: string[] } {
  const t = textOf({ ...MINIMAL, ...extra });
  return { t, problems: brief(parse(t)) };
}

const spec = (extra: object): Record<string, unknown> | undefined =>
  parse(textOf({ ...MINIMAL, ...extra })).resolve()?.spec as unknown as Record<string, unknown> | undefined;

describe('schedule', () => {
  it('by name or as an object; torch defaults and the default interval (step for one_cycle and cyclic)', () => {
    expect(spec({ schedule: 'cosine_annealing' })!.schedule).toEqual({ type: 'cosine_annealing', eta_min: 0, interval: 'epoch' });
    expect(spec({ schedule: { type: 'one_cycle', max_lr: 0.5 } })!.schedule).toEqual({
      type: 'one_cycle',
      max_lr: 0.5,
      pct_start: 0.3,
      anneal_strategy: 'cos',
      cycle_momentum: true,
      base_momentum: 0.85,
      max_momentum: 0.95,
      div_factor: 25,
      final_div_factor: 1e4,
      three_phase: false,
      interval: 'step',
    });
    expect(spec({ schedule: { type: 'multi_step', milestones: [3, 3, 6] } })!.schedule).toEqual({
      type: 'multi_step',
      milestones: [3, 3, 6],
      gamma: 0.1,
      interval: 'epoch',
    });
    expect(spec({})!.schedule).toBeUndefined();
  });

  it("another name for a kind, or torch's class name, gets the kind meant", () => {
    const list = SCHEDULES.types.join(', ');
    const cosine = run({ schedule: 'cosine' });
    expect(cosine.problems).toEqual([`${valueAt(cosine.t, 'schedule')} error: unknown schedule 'cosine'; expected one of: ${list} (did you mean 'cosine_annealing'?)`]);
    const plateau = run({ schedule: { type: 'ReduceLROnPlateau' } });
    expect(plateau.problems).toEqual([
      `${at(plateau.t, '"ReduceLROnPlateau"')} error: unknown schedule 'ReduceLROnPlateau'; expected one of: ${list} (did you mean 'reduce_lr_on_plateau'?)`,
    ]);
    const misspelt = run({ schedule: { type: 'step', stepsize: 2 } });
    expect(misspelt.problems).toEqual([
      `${keyAt(misspelt.t, 'schedule')} error: schedule 'step' needs 'step_size'`,
      `${keyAt(misspelt.t, 'stepsize')} error: unknown key 'stepsize' in schedule 'step'; expected one of: step_size, gamma, interval (did you mean 'step_size'?)`,
    ]);
  });

  it('milestones: whole numbers, in order', () => {
    const { t, problems } = run({ schedule: { type: 'multi_step', milestones: [5, 2.5, 1] } });
    expect(problems).toEqual([`${at(t, '2.5')} error: 'milestones[1]' must be a whole number, not 2.5`]);
    const order = run({ schedule: { type: 'multi_step', milestones: [5, 2] } });
    expect(order.problems).toEqual([`${at(order.t, '2\n')} error: 'milestones' must be in order (non-decreasing): 2 comes after 5`]);
  });

  it('reduce_lr_on_plateau steps per epoch', () => {
    const { t, problems } = run({ schedule: { type: 'reduce_lr_on_plateau', interval: 'step' } });
    expect(problems).toEqual([
      `${valueAt(t, 'interval')} error: reduce_lr_on_plateau steps once per epoch with the validation loss (the training loss without validation); interval must be 'epoch'`,
    ]);
  });
});

describe('sequential', () => {
  it('chains schedules; each child has its own defaults and no interval', () => {
    const s = spec({
      schedule: { type: 'sequential', milestones: [3], schedulers: [{ type: 'linear', start_factor: 0.1, total_iters: 3 }, 'cosine_annealing'] },
    })!.schedule;
    expect(s).toEqual({
      type: 'sequential',
      milestones: [3],
      schedulers: [
        { type: 'linear', start_factor: 0.1, end_factor: 1, total_iters: 3 },
        { type: 'cosine_annealing', eta_min: 0 },
      ],
      interval: 'epoch',
    });
  });

  it('milestones one fewer than schedulers and increasing; no interval, sequential or plateau inside', () => {
    const { t, problems } = run({
      schedule: {
        type: 'sequential',
        milestones: [4, 2],
        schedulers: [{ type: 'linear', interval: 'step' }, 'reduce_lr_on_plateau', { type: 'sequential' }, 'cosine_annealing'],
      },
    });
    expect(problems).toEqual([
      `${valueAt(t, 'milestones')} error: 'milestones' needs 3 values (one fewer than the 4 schedulers: each one after the first starts at a milestone), not 2`,
      `${at(t, '2\n')} error: 'milestones' must be increasing: 2 comes after 4`,
      `${keyAt(t, 'interval')} error: a schedule inside 'sequential' or 'chained' has no 'interval': the outer schedule steps it; set 'interval' there`,
      `${at(t, '"reduce_lr_on_plateau"')} error: reduce_lr_on_plateau cannot run inside sequential or chained (it steps with a metric); use it as the schedule itself`,
      `${at(t, '"sequential"', 1)} error: a schedule inside 'sequential' or 'chained' cannot be a sequential one; list its schedules here instead`,
    ]);
    expect(SCHEDULE_CHILDREN.types).not.toContain('sequential');
  });

  it("a milestone at or after the run's end is a warning", () => {
    const { t, problems } = run({ schedule: { type: 'sequential', milestones: [10], schedulers: ['constant', 'exponential_x'] } });
    expect(problems).toEqual([
      `${at(t, '10\n')} warning: milestone 10 is not before the run's end (10 epochs): the schedule after it never runs`,
      `${at(t, '"exponential_x"')} error: unknown schedule 'exponential_x'; expected one of: ${SCHEDULE_CHILDREN.types.join(', ')} (did you mean 'exponential'?)`,
    ]);
    const late = run({ schedule: { type: 'sequential', milestones: [10], schedulers: ['constant', { type: 'cosine_annealing', T_max: 5 }] } });
    expect(late.problems).toEqual([
      `${at(late.t, '10\n')} warning: milestone 10 is not before the run's end (10 epochs): the schedule after it never runs`,
    ]);
    // Without T_max, the cosine would take its length from its segment, which is empty: torch-like error.
    const empty = run({ schedule: { type: 'sequential', milestones: [12], schedulers: ['constant', 'cosine_annealing'] } });
    expect(empty.problems).toEqual([
      `${at(empty.t, '12\n')} warning: milestone 12 is not before the run's end (10 epochs): the schedule after it never runs`,
      `${at(empty.t, '"cosine_annealing"')} error: cosine_annealing's T_max defaults to the length of its segment of the sequence, 10 − 12 = -2 epochs: ` +
        `the run ends before it starts; set T_max, or a milestone before the run's end`,
    ]);
  });
});

describe('one_cycle against the run', () => {
  it('total_steps or epochs × steps_per_epoch (both), not both ways', () => {
    const both = run({ schedule: { type: 'one_cycle', max_lr: 0.1, total_steps: 80, epochs: 10 } });
    expect(both.problems).toEqual([
      `${valueAt(both.t, 'epochs')} error: one_cycle's length is total_steps or epochs × steps_per_epoch, not both; leave out one (or all three: the run's length)`,
    ]);
    const half = run({ schedule: { type: 'one_cycle', max_lr: 0.1, epochs: 10 } });
    expect(half.problems).toEqual([
      `${valueAt(half.t, 'epochs')} error: one_cycle needs both epochs and steps_per_epoch (their product is the cycle's length), or total_steps, or none (the run's length); steps_per_epoch is missing`,
    ]);
  });

  it('a cycle shorter than the run; a phase of zero length', () => {
    const short = run({ schedule: { type: 'one_cycle', max_lr: 0.1, total_steps: 50 } });
    expect(short.problems).toEqual([
      `${valueAt(short.t, 'total_steps')} error: one_cycle's cycle has 50 steps but the run has 80; torch raises once the cycle is over — lengthen the cycle or leave it out (= the run)`,
    ]);
    // 80 steps · pct_start 0.0125 = 1: the first phase ends where it starts.
    const zero = run({ schedule: { type: 'one_cycle', max_lr: 0.1, pct_start: 0.0125 } });
    expect(zero.problems).toEqual([
      `${valueAt(zero.t, 'pct_start')} error: with pct_start 0.0125 and a cycle of 80 steps, phase 1 of one_cycle has zero length (torch divides by zero there); change pct_start`,
    ]);
    const end = run({ schedule: { type: 'one_cycle', max_lr: 0.1, pct_start: 1 } });
    expect(end.problems).toEqual([
      `${valueAt(end.t, 'pct_start')} error: with pct_start 1 and a cycle of 80 steps, phase 2 of one_cycle has zero length (torch divides by zero there); change pct_start`,
    ]);
  });

  it('base_momentum above max_momentum is a warning', () => {
    const { t, problems } = run({ schedule: { type: 'one_cycle', max_lr: 0.1, base_momentum: 0.95, max_momentum: 0.85 } });
    expect(problems).toEqual([
      `${valueAt(t, 'base_momentum')} warning: base_momentum 0.95 is above max_momentum 0.85: the momentum is meant to fall (to base_momentum) while the learning rate rises`,
    ]);
  });
});

describe('who sets the momentum', () => {
  it('cycle_momentum needs an optimizer with momentum (by default too)', () => {
    const implicit = run({ optimizer: 'adagrad', schedule: { type: 'one_cycle', max_lr: 0.1 } });
    expect(implicit.problems).toEqual([
      `${at(implicit.t, '"one_cycle"')} error: one_cycle cycles by default (cycle_momentum: true) the optimizer's momentum, but optimizer 'adagrad' has none ` +
        `(torch raises "optimizer must support momentum"); set "cycle_momentum": false`,
    ]);
    const off = run({ optimizer: 'adagrad', schedule: { type: 'one_cycle', max_lr: 0.1, cycle_momentum: false } });
    expect(off.problems).toEqual([]);
    const adam = run({ optimizer: 'adam', schedule: { type: 'cyclic', max_lr: 0.01 } });
    expect(adam.problems).toEqual([]);
  });

  it('a momentum schedule needs momentum, and no cycling schedule beside it', () => {
    const none = run({ optimizer: 'adadelta', momentum_schedule: 'linear' });
    expect(none.problems).toEqual([
      `${valueAt(none.t, 'momentum_schedule')} error: a momentum schedule needs an optimizer with momentum (sgd, rmsprop) or beta1 (the adam family); optimizer 'adadelta' has neither`,
    ]);
    const both = run({ momentum_schedule: { type: 'linear', start: 0.5, end: 0.9 }, schedule: { type: 'cyclic', max_lr: 0.5 } });
    expect(both.problems).toEqual([
      `${at(both.t, '"linear"', 2)} error: both momentum_schedule and the schedule's cyclic (cycle_momentum true by default) set the momentum; ` +
        `set "cycle_momentum": false in the schedule, or remove momentum_schedule`,
    ]);
    expect(spec({ momentum_schedule: { type: 'linear', end: 0.9 } })!.momentum_schedule).toEqual({ type: 'linear', start: 0.5, end: 0.9, interval: 'epoch' });
    // Inside lookahead, the inner optimizer's momentum counts.
    expect(run({ optimizer: { type: 'lookahead', optimizer: 'adam' }, momentum_schedule: 'linear' }).problems).toEqual([]);
  });
});

describe('schedules longer than the run', () => {
  it('warm-ups that never finish, milestones that never come, a step that never happens', () => {
    const warm = run({ schedule: { type: 'linear', total_iters: 20 } });
    expect(warm.problems).toEqual([`${valueAt(warm.t, 'total_iters')} warning: total_iters 20 is longer than the run (10 epochs): the schedule never reaches its end`]);
    const steps = run({ schedule: { type: 'multi_step', milestones: [4, 12] } });
    expect(steps.problems).toEqual([`${at(steps.t, '12')} warning: milestone 12 is not before the run's end (10 epochs), so it never applies`]);
    const step = run({ schedule: { type: 'step', step_size: 10 } });
    expect(step.problems).toEqual([`${valueAt(step.t, 'step_size')} warning: step_size 10 is not shorter than the run (10 epochs), so the learning rate never changes`]);
  });
});

describe('variants and schedules', () => {
  it('a variant adds, changes or removes (null) the schedule', () => {
    const t = textOf({
      ...MINIMAL,
      schedule: { type: 'step', step_size: 3 },
      variants: { none: { schedule: null }, faster: { schedule: { gamma: 0.5 } }, cosine: { schedule: 'cosine_annealing' } },
    });
    const p = parse(t);
    expect(p.problems).toEqual([]);
    expect(p.resolve('none')!.spec.schedule).toBeUndefined();
    expect(p.resolve('faster')!.spec.schedule).toEqual({ type: 'step', step_size: 3, gamma: 0.5, interval: 'epoch' });
    expect(p.resolve('cosine')!.spec.schedule).toEqual({ type: 'cosine_annealing', eta_min: 0, interval: 'epoch' });
  });
});

describe('a schedule key written wrongly is unknown to the rules across sections, never its default', () => {
  const adagrad = { optimizer: { type: 'adagrad' } };

  it("a misspelt cycle_momentum may be false: one_cycle is not said to cycle adagrad's missing momentum", () => {
    const cycle = run({ ...adagrad, schedule: { type: 'one_cycle', max_lr: 0.1, cycle_momentum: 'no' } });
    expect(cycle.problems).toEqual([`${valueAt(cycle.t, 'cycle_momentum')} error: 'cycle_momentum' must be true or false, not a string ('no')`]);
    const inSequence = run({
      ...adagrad,
      schedule: { type: 'sequential', milestones: [5], schedulers: [{ type: 'linear' }, { type: 'one_cycle', max_lr: 0.1, cycle_momentum: 'no' }] },
    });
    expect(inSequence.problems).toEqual([`${valueAt(inSequence.t, 'cycle_momentum')} error: 'cycle_momentum' must be true or false, not a string ('no')`]);
    // Left out, it is true: the error stands.
    expect(run({ ...adagrad, schedule: { type: 'one_cycle', max_lr: 0.1 } }).problems).toHaveLength(1);
  });

  it("a misspelt interval leaves the run's length in the schedule's unit unknown", () => {
    const typo = run({ schedule: { type: 'multi_step', milestones: [200], interval: 'steps' } });
    expect(typo.problems).toEqual([`${valueAt(typo.t, 'interval')} error: unknown interval 'steps'; expected one of: step, epoch (did you mean 'step'?)`]);
    const steps = run({ schedule: { type: 'multi_step', milestones: [200], interval: 'step' } });
    expect(steps.problems).toEqual([`${at(steps.t, '200')} warning: milestone 200 is not before the run's end (80 steps), so it never applies`]);
  });

  it("one_cycle: a misspelt length is no cycle of the run's length; a misspelt three_phase leaves the first phase checked", () => {
    const total = run({ schedule: { type: 'one_cycle', max_lr: 0.1, interval: 'epoch', total_steps: '40', pct_start: 0.1 } });
    expect(total.problems).toEqual([`${valueAt(total.t, 'total_steps')} error: 'total_steps' must be a number, not a string: write 40 without quotes`]);
    const phase = run({ schedule: { type: 'one_cycle', max_lr: 0.1, interval: 'epoch', pct_start: 0.1, three_phase: 'yes' } });
    expect(phase.problems).toEqual([
      `${valueAt(phase.t, 'pct_start')} error: with pct_start 0.1 and a cycle of 10 epochs, phase 1 of one_cycle has zero length (torch divides by zero there); change pct_start`,
      `${valueAt(phase.t, 'three_phase')} error: 'three_phase' must be true or false, not a string ('yes')`,
    ]);
  });

  it("a sequence's schedule with a misspelt T_max is not said to take its segment's length", () => {
    const typo = run({ schedule: { type: 'sequential', milestones: [10], schedulers: ['linear', { type: 'cosine_annealing', T_max: '5' }] } });
    expect(typo.problems).toEqual([
      `${at(typo.t, '10')} warning: milestone 10 is not before the run's end (10 epochs): the schedule after it never runs`,
      `${valueAt(typo.t, 'T_max')} error: 'T_max' must be a number, not a string: write 5 without quotes`,
    ]);
  });
});

describe("a schedule's own key written wrongly is unknown to its rules across keys", () => {
  it("a misspelt mode may be exp_range (gamma is used); a misspelt cycle_momentum may be false (the momentum order does not matter)", () => {
    const mode = run({ optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 }, schedule: { type: 'cyclic', base_lr: 0.01, max_lr: 0.1, mode: 'exp', gamma: 0.99 } });
    expect(mode.problems).toEqual([
      `${valueAt(mode.t, 'mode')} error: unknown mode 'exp'; expected one of: triangular, triangular2, exp_range (did you mean 'exp_range'?)`,
    ]);
    const order = run({
      optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 },
      schedule: { type: 'one_cycle', max_lr: 0.1, base_momentum: 0.95, max_momentum: 0.85, cycle_momentum: 'off' },
    });
    expect(order.problems).toEqual([`${valueAt(order.t, 'cycle_momentum')} error: 'cycle_momentum' must be true or false, not a string ('off')`]);
  });
});
