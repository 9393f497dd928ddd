import { describe, expect, it } from 'vitest';
import {
  CHECKPOINT_FIELDS,
  KEY_ALIASES,
  TRAINING_FIELDS,
  TYPE_ALIASES,
  type Field,
  type FieldTable,
} from '../../../engine/experiment/defaults';
import { SLOTS, type Slot } from '../../../engine/experiment/slots';
import { errors, MINIMAL, parseObject } from './helpers';

const slots = Object.entries(SLOTS) as [string, Slot][];

/** Every field of every table, with where it is. */
function everyField(): [string, Field][] {
  const out: [string, Field][] = [];
  const visit = (where: string, table: FieldTable): void => {
    for (const [key, field] of Object.entries(table)) {
      out.push([`${where}.${key}`, field]);
      if (field.kind === 'object') visit(`${where}.${key}`, field.fields);
    }
  };
  for (const [name, slot] of slots) for (const kind of slot.kinds) visit(`${name}.${kind}`, slot.tables[kind]);
  visit('training', TRAINING_FIELDS);
  visit('checkpoint', CHECKPOINT_FIELDS);
  return out;
}

describe('the key tables', () => {
  it('document every kind of every slot and every key (what the schema and the reference show)', () => {
    for (const [name, slot] of slots) {
      for (const kind of slot.kinds) expect(slot.kindDocs[kind], `${name} ${kind}`).toMatch(/\S/);
    }
    const undocumented = everyField().filter(([, f]) => !f.doc).map(([where]) => where);
    expect(undocumented).toEqual([]);
  });

  it('name slots that exist and defaults that are in range', () => {
    for (const [where, field] of everyField()) {
      if (field.kind === 'typed' || field.kind === 'typed_list') expect(Object.values(SLOTS).map(s => s.name), where).toContain((SLOTS as Record<string, Slot>)[field.slot].name);
      if (field.kind === 'enum') expect(field.values, where).toContain(field.default);
      if (field.kind === 'number' && field.default !== undefined) {
        if (field.minimum !== undefined) expect(field.exclusiveMinimum ? field.default > field.minimum : field.default >= field.minimum, where).toBe(true);
        if (field.maximum !== undefined) expect(field.exclusiveMaximum ? field.default < field.maximum : field.default <= field.maximum, where).toBe(true);
      }
    }
  });

  it('aliases point at keys and kinds that exist', () => {
    const keys = new Set(everyField().map(([where]) => where.split('.').pop()!));
    for (const key of ['data', 'model', 'init', 'loss', 'optimizer', 'schedule', 'momentum_schedule', 'training', 'checkpoint', 'variants', 'name', 'path', 'target']) {
      keys.add(key);
    }
    for (const [alias, targets] of Object.entries(KEY_ALIASES)) {
      for (const target of typeof targets === 'string' ? [targets] : targets) expect(keys.has(target), `${alias} → ${target}`).toBe(true);
    }
    const kinds = new Set(slots.flatMap(([, s]) => s.kinds));
    for (const [alias, kind] of Object.entries(TYPE_ALIASES)) expect(kinds.has(kind), `${alias} → ${kind}`).toBe(true);
  });
});

describe('every kind, written by its name alone, resolves to its table\'s defaults', () => {
  /** The resolved object of a kind with only its required keys given. */
  const defaults = (table: FieldTable): Record<string, unknown> =>
    Object.fromEntries(Object.entries(table).flatMap(([k, f]) => ('default' in f && f.default !== undefined ? [[k, f.default]] : [])));

  it.each(SLOTS.optimizer.kinds.filter(k => k !== 'sgd' && k !== 'lookahead'))('optimizer %s', kind => {
    const p = parseObject({ ...MINIMAL, optimizer: kind });
    expect(errors(p)).toEqual([]);
    expect(p.resolve()!.spec.optimizer).toEqual({ type: kind, ...defaults(SLOTS.optimizer.tables[kind]) });
  });

  it.each(SLOTS.loss.kinds.filter(k => k === 'cross_entropy' || k === 'nll_loss' || k === 'mse'))('loss %s', kind => {
    const p = parseObject({ ...MINIMAL, loss: kind });
    expect(errors(p)).toEqual([]);
    expect(p.resolve()!.spec.loss).toEqual({ type: kind, ...defaults(SLOTS.loss.tables[kind]) });
  });

  it.each(SLOTS.layer.kinds.filter(k => !['linear', 'maxout', 'glu'].includes(k)))('layer %s', kind => {
    const p = parseObject({ ...MINIMAL, model: [{ type: 'linear', out_features: 8 }, kind, { type: 'linear', out_features: 8 }, 'linear'] });
    expect(errors(p)).toEqual([]);
    expect(p.resolve()!.spec.model[1]).toEqual({ type: kind, ...defaults(SLOTS.layer.tables[kind]) });
  });

  it.each(SLOTS.initializer.kinds.filter(k => !['constant', 'sparse'].includes(k)))('initializer %s', kind => {
    const p = parseObject({ ...MINIMAL, init: kind });
    expect(errors(p)).toEqual([]);
    expect(p.resolve()!.spec.init.weight).toEqual({ type: kind, ...defaults(SLOTS.initializer.tables[kind]) });
  });

  it.each(SLOTS.schedule.kinds.filter(k => !['step', 'multi_step', 'exponential', 'inverse_time', 'cosine_annealing_warm_restarts', 'one_cycle', 'cyclic', 'sequential'].includes(k)))(
    'schedule %s',
    kind => {
      const p = parseObject({ ...MINIMAL, schedule: kind, training: { epochs: 20 } });
      expect(errors(p)).toEqual([]);
      expect(p.resolve()!.spec.schedule).toEqual({ type: kind, ...defaults(SLOTS.schedule.tables[kind]) });
    },
  );

  it('the kinds that need keys say which', () => {
    const needs = (value: object): string[] => errors(parseObject({ ...MINIMAL, ...value })).map(e => e.message);
    expect(needs({ optimizer: 'lookahead' })).toEqual([
      `optimizer 'lookahead' needs 'optimizer' (the optimizer it wraps, e.g. "optimizer": { "type": "adam", "lr": 0.001 })`,
    ]);
    expect(needs({ schedule: 'step' })).toEqual(["schedule 'step' needs 'step_size'"]);
    expect(needs({ schedule: 'sequential' })).toEqual(["schedule 'sequential' needs 'schedulers'", "schedule 'sequential' needs 'milestones'"]);
    expect(needs({ init: 'sparse' })).toEqual(["initializer 'sparse' needs 'sparsity'"]);
    expect(needs({ momentum_schedule: 'exponential' })).toEqual(["momentum schedule 'exponential' needs 'gamma'"]);
  });
});
