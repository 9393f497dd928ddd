import { describe, expect, it } from 'vitest';
import { SpecError } from '../../../engine/core/errors';
import { createScheduler, SCHEDULES, type ScheduleContext, type ScheduleSpec } from '../../../engine/schedule';
import golden from '../../fixtures/torch/schedule_golden.json';

/*
 * Golden lr / momentum sequences from test/torch/gen_schedule_golden.py (torch 1.13's
 * torch.optim.lr_scheduler; inverse_time through LambdaLR). Each case's `schedule` is written as a user
 * would (only non-default keys); the generator lets torch fill in its defaults while this test fills
 * them from our schedules' own options — so a wrong default there fails here too.
 *
 * Tolerance: these are double computations in the same order as torch's Python (its recursive forms
 * included), so the only differences are libm's: V8's Math.cos/Math.pow vs glibc's may differ in the
 * last bit. rtol 1e-12 (plus atol 1e-17 for values that are 0 up to rounding, e.g. cosine at T_max)
 * leaves room for that and nothing else. Measured: 33 of the 44 cases match torch bit for bit; the
 * others (all through Math.cos or `**`: cosine annealing, one-cycle, exp_range) differ by at most
 * 9.8e-16 relative (sequential_warmup_cosine), i.e. a few ulps.
 */

const RTOL = 1e-12;
const ATOL = 1e-17;

interface GoldenCase {
  name: string;
  schedule: Record<string, unknown>;
  optimizer: { type: 'sgd'; lr: number; momentum: number } | { type: 'adam'; lr: number; betas: number[] };
  context: ScheduleContext;
  steps: number;
  metrics?: number[];
  extra_step_raises?: string;
  lrs: number[];
  momentums: number[];
}

const cases = golden.cases as unknown as GoldenCase[];

/** The keys a case leaves out, filled with our schedules' defaults. */
function resolveSchedule(partial: Record<string, unknown>): ScheduleSpec {
  return SCHEDULES.resolve(partial as Parameters<typeof SCHEDULES.resolve>[0]);
}

function targetFor(c: GoldenCase): { lr: number; momentum: number | undefined } {
  const o = c.optimizer;
  return { lr: o.lr, momentum: o.type === 'sgd' ? o.momentum : o.betas[0] };
}

function close(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= ATOL + RTOL * Math.abs(expected);
}

describe('learning-rate schedules match torch 1.13 (golden sequences)', () => {
  it('covers every schedule kind', () => {
    const kinds = new Set<string>();
    for (const c of cases) {
      kinds.add(c.schedule.type as string);
      for (const child of (c.schedule.schedulers as { type: string }[] | undefined) ?? []) kinds.add(child.type);
    }
    expect([...kinds].sort()).toEqual([...SCHEDULES.types].sort());
  });

  for (const c of cases) {
    it(c.name, () => {
      const target = targetFor(c);
      const scheduler = createScheduler(resolveSchedule(c.schedule), target, c.context);
      const lrs = [target.lr];
      const momentums = [target.momentum];
      for (let k = 0; k < c.steps; k++) {
        scheduler.step(c.metrics?.[k]);
        lrs.push(target.lr);
        momentums.push(target.momentum);
      }
      const badLr = lrs.findIndex((lr, k) => !close(lr, c.lrs[k]));
      expect(badLr, `lr after step ${badLr}: ${lrs[badLr]} vs torch ${c.lrs[badLr]}`).toBe(-1);
      const badMomentum = momentums.findIndex((m, k) => !close(m as number, c.momentums[k]));
      expect(badMomentum, `momentum after step ${badMomentum}: ${momentums[badMomentum]} vs torch ${c.momentums[badMomentum]}`).toBe(-1);
      if (c.extra_step_raises !== undefined) {
        expect(() => scheduler.step()).toThrow(SpecError);
      }
    });
  }
});

describe('a resumed schedule continues the same sequence', () => {
  // 7 steps, stateDict() through JSON (as a checkpoint file stores it), loadStateDict() into a fresh
  // scheduler on a fresh optimizer, 7 more steps: the same lr and momentum as 14 steps straight.
  for (const c of cases.filter((c) => c.steps >= 14)) {
    it(c.name, () => {
      const spec = resolveSchedule(c.schedule);
      const straightTarget = targetFor(c);
      const straight = createScheduler(spec, straightTarget, c.context);
      const expected: [number, number | undefined][] = [];
      for (let k = 0; k < 14; k++) {
        straight.step(c.metrics?.[k]);
        if (k >= 7) expected.push([straightTarget.lr, straightTarget.momentum]);
      }

      const firstTarget = targetFor(c);
      const first = createScheduler(spec, firstTarget, c.context);
      for (let k = 0; k < 7; k++) first.step(c.metrics?.[k]);
      const saved = JSON.parse(JSON.stringify(first.stateDict())) as Record<string, unknown>;

      const resumedTarget = targetFor(c);
      const resumed = createScheduler(spec, resumedTarget, c.context);
      resumed.loadStateDict(saved);
      const actual: [number, number | undefined][] = [];
      for (let k = 7; k < 14; k++) {
        resumed.step(c.metrics?.[k]);
        actual.push([resumedTarget.lr, resumedTarget.momentum]);
      }
      expect(actual).toEqual(expected);
    });
  }
});
