import type * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { aboutOf, core, familyOf } from '../../../engine/core/options';
import { KEY_ALIASES, TYPE_ALIASES } from '../../../engine/experiment/aliases';
import { SECTIONS } from '../../../engine/experiment/sections';
import { FAMILIES, kindDoc, optionsOf, type AnyFamily } from './families';
import { errors, MINIMAL, parseObject } from './helpers';

const families = Object.entries(FAMILIES);

/** Every option of every kind and section, with where it is. */
function everyOption(): [string, z.ZodType][] {
  const out: [string, z.ZodType][] = [];
  const visit = (where: string, shape: Record<string, z.ZodType>): void => {
    for (const [key, option] of Object.entries(shape)) {
      out.push([`${where}.${key}`, option]);
      const inner = core(option);
      if (inner._zod.def.type === 'object' && !familyOf(option) && !aboutOf(option).initPair) visit(`${where}.${key}`, (inner as z.ZodObject).shape);
    }
  };
  for (const [name, family] of families) for (const kind of family.types) visit(`${name}.${kind}`, optionsOf(family, kind));
  for (const section of ['training', 'checkpoint', 'probes', 'diagnostics'] as const) visit(section, (core(SECTIONS[section]) as z.ZodObject).shape);
  return out;
}

describe("the kinds' options", () => {
  it('document every kind of every family and every option (what the schema and the reference show)', () => {
    for (const [name, family] of families) {
      for (const kind of family.types) expect(kindDoc(family, kind), `${name} ${kind}`).toMatch(/\S/);
    }
    const undocumented = everyOption().filter(([, option]) => !aboutOf(option).description).map(([where]) => where);
    expect(undocumented).toEqual([]);
  });

  it('have defaults that their own checks accept', () => {
    for (const [where, option] of everyOption()) {
      const parsed = option.safeParse(undefined);
      // A required option fails on undefined, an optional one has no default: both are fine.
      if (parsed.success && parsed.data !== undefined) expect(option.safeParse(parsed.data).success, where).toBe(true);
    }
  });

  it('aliases point at keys and kinds that exist', () => {
    const keys = new Set(everyOption().map(([where]) => where.split('.').pop()!));
    for (const key of ['data', 'model', 'init', 'loss', 'optimizer', 'schedule', 'momentum_schedule', 'training', 'checkpoint', 'variants', 'name', 'path', 'target']) {
      keys.add(key);
    }
    for (const [alias, targets] of Object.entries(KEY_ALIASES)) {
      for (const target of typeof targets === 'string' ? [targets] : targets) expect(keys.has(target), `${alias} → ${target}`).toBe(true);
    }
    const kinds = new Set(families.flatMap(([, f]) => f.types));
    for (const [alias, kind] of Object.entries(TYPE_ALIASES)) expect(kinds.has(kind), `${alias} → ${kind}`).toBe(true);
  });
});

describe('every kind, written by its name alone, resolves to its table\'s defaults', () => {
  /** The defaults of a kind's options. */
  const defaults = (family: AnyFamily, kind: string): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(optionsOf(family, kind)).flatMap(([k, option]) => {
        const parsed = option.safeParse(undefined);
        return parsed.success && parsed.data !== undefined ? [[k, parsed.data]] : [];
      }),
    );

  it.each(FAMILIES.optimizer.types.filter(k => k !== 'sgd' && k !== 'lookahead'))('optimizer %s', kind => {
    const p = parseObject({ ...MINIMAL, optimizer: kind });
    expect(errors(p)).toEqual([]);
    expect(p.resolve()!.spec.optimizer).toEqual({ type: kind, ...defaults(FAMILIES.optimizer, kind) });
  });

  it.each(FAMILIES.loss.types.filter(k => k === 'cross_entropy' || k === 'nll_loss' || k === 'mse'))('loss %s', kind => {
    const p = parseObject({ ...MINIMAL, loss: kind });
    expect(errors(p)).toEqual([]);
    expect(p.resolve()!.spec.loss).toEqual({ type: kind, ...defaults(FAMILIES.loss, kind) });
  });

  it.each(FAMILIES.layer.types.filter(k => !['linear', 'maxout', 'glu'].includes(k)))('layer %s', kind => {
    const p = parseObject({ ...MINIMAL, model: [{ type: 'linear', out_features: 8 }, kind, { type: 'linear', out_features: 8 }, 'linear'] });
    expect(errors(p)).toEqual([]);
    expect(p.resolve()!.spec.model[1]).toEqual({ type: kind, ...defaults(FAMILIES.layer, kind) });
  });

  it.each(FAMILIES.initializer.types.filter(k => !['constant', 'sparse'].includes(k)))('initializer %s', kind => {
    const p = parseObject({ ...MINIMAL, init: kind });
    expect(errors(p)).toEqual([]);
    expect(p.resolve()!.spec.init.weight).toEqual({ type: kind, ...defaults(FAMILIES.initializer, kind) });
  });

  it.each(FAMILIES.schedule.types.filter(k => !['step', 'multi_step', 'exponential', 'multiplicative', 'inverse_time', 'cosine_annealing_warm_restarts', 'one_cycle', 'cyclic', 'sequential', 'chained'].includes(k)))(
    'schedule %s',
    kind => {
      const p = parseObject({ ...MINIMAL, schedule: kind, training: { epochs: 20 } });
      expect(errors(p)).toEqual([]);
      expect(p.resolve()!.spec.schedule).toEqual({ type: kind, ...defaults(FAMILIES.schedule, kind) });
    },
  );

  it('the kinds that need keys say which', () => {
    const needs = (value: object): string[] => errors(parseObject({ ...MINIMAL, ...value })).map(e => e.message);
    expect(needs({ optimizer: 'lookahead' })).toEqual([
      `optimizer 'lookahead' needs 'optimizer' (the optimizer it wraps, e.g. "optimizer": { "type": "adam", "lr": 0.001 })`,
    ]);
    expect(needs({ schedule: 'step' })).toEqual(["schedule 'step' needs 'step_size'"]);
    expect(needs({ schedule: 'sequential' })).toEqual(["schedule 'sequential' needs 'schedulers'", "schedule 'sequential' needs 'milestones'"]);
    expect(needs({ schedule: 'chained' })).toEqual(["schedule 'chained' needs 'schedulers'"]);
    expect(needs({ schedule: 'multiplicative' })).toEqual(["schedule 'multiplicative' needs 'factor'"]);
    expect(needs({ init: 'sparse' })).toEqual(["initializer 'sparse' needs 'sparsity'"]);
    expect(needs({ momentum_schedule: 'exponential' })).toEqual(["momentum schedule 'exponential' needs 'gamma'"]);
  });
});
