import Ajv from 'ajv';
import { parse as parseJsonc } from 'jsonc-parser';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { core } from '../../../engine/core/options';
import { buildExperimentSchema } from '../../../engine/experiment/jsonSchema';
import { parseExperiment } from '../../../engine/experiment/parse';
import { SECTIONS } from '../../../engine/experiment/sections';
import { FAMILIES, kindDoc, optionsOf, requiredOf, type AnyFamily } from './families';

const SLOTS = FAMILIES;

const SCHEMA_FILE = path.resolve(__dirname, '../../../schemas/experiment.schema.json');

// Walking an arbitrary JSON document: `any` keeps the assertions readable.
type Json = Record<string, any>;

const schema: Json = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));

describe('schemas/experiment.schema.json', () => {
  it('is the one the build generates from the format\'s schemas (`npm run build` rewrites it)', () => {
    expect(schema).toEqual(buildExperimentSchema());
  });

  it('is draft-07 and closed at the top level', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['data', 'model', 'optimizer']);
  });

  it('every $ref points at a definition', () => {
    const refs: string[] = [];
    walk(schema, node => {
      if (typeof node.$ref === 'string') refs.push(node.$ref);
    });
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(resolve({ $ref: ref }), ref).toBeDefined();
  });
});

// ---- reading the schema -------------------------------------------------------------------------

function walk(node: unknown, visit: (node: Json) => void): void {
  if (Array.isArray(node)) node.forEach(n => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Json);
    Object.values(node).forEach(n => walk(n, visit));
  }
}

/** Follows a local `#/definitions/...` reference (definition names may contain dots). */
function resolve(s: Json): Json {
  if (typeof s.$ref !== 'string') return s;
  const name = s.$ref.replace(/^#\/definitions\//, '');
  return schema.definitions[name];
}

interface KindRule {
  /** The kind's closed set of keys (a definition). */
  keys: Json;
  keysRef: string;
  required: string[];
}

/**
 * A typed slot (a kind's name alone, or an object whose `type` selects its keys): its names, the
 * `type` property, and per kind the `if: { type: K } then: ...` rule.
 */
function slotParts(slotOrRef: Json) {
  const slot = resolve(slotOrRef);
  // A name or an object; the anyOf checks strings only, the object rules apply through if/then.
  // (An optional section may also be null.)
  expect(slot.type.filter((t: string) => t !== 'null')).toEqual(['string', 'object']);
  expect(slot.anyOf[1]).toEqual({ not: { type: 'string' } });
  expect(slot.if).toEqual({ type: 'object' });
  const names: Json = slot.anyOf[0];
  expect(names.type).toBe('string');
  const object: Json = slot.then;
  const type: Json = object.properties.type;
  const rules = new Map<string, KindRule>();
  let typeless: Json | undefined;
  for (const branch of object.allOf as Json[]) {
    const kind = branch.if.properties?.type?.const;
    if (kind === undefined) {
      typeless = branch;
      continue;
    }
    expect(branch.if.required).toEqual(['type']);
    const then: Json = branch.then;
    const keysRef: string = (then.allOf ? then.allOf[0] : then).$ref;
    rules.set(kind, { keys: resolve({ $ref: keysRef }), keysRef, required: then.required ?? [] });
  }
  return { slot, names, object, type, rules, typeless };
}

/** Every key of a kind: its closed set of keys (`type` listed too), required ones on the rule. */
function expectAgrees(kind: string, rule: KindRule, family: AnyFamily, partial: boolean): void {
  const { keys, required } = rule;
  expect(Object.keys(keys.properties).sort(), kind).toEqual(['type', ...Object.keys(optionsOf(family, kind))].sort());
  // additionalProperties only sees its own schema's properties: `type` must be listed there too.
  expect(keys.additionalProperties, kind).toBe(false);
  expect(keys.properties.type, kind).toEqual({ const: kind });
  expect(keys.required, `${kind}: required belongs to the rule, not to the shared keys`).toBeUndefined();
  for (const key of Object.keys(optionsOf(family, kind))) expect(keys.properties[key].description, `${kind}.${key}`).toBeTruthy();
  expect(required.sort(), `${kind} required`).toEqual(partial ? [] : requiredOf(family, kind).sort());
}

/** The family's kinds, names, `type` enum (with descriptions) and every kind's keys. */
function expectSlotAgrees(slotOrRef: Json, family: AnyFamily, partial: boolean): ReturnType<typeof slotParts> {
  const kinds = family.types;
  const parts = slotParts(slotOrRef);
  expect(parts.names.enum).toEqual(kinds);
  expect(parts.names.markdownEnumDescriptions).toHaveLength(kinds.length);
  expect(parts.type.enum).toEqual(kinds);
  expect(parts.type.markdownEnumDescriptions).toEqual(kinds.map(k => kindDoc(family, k)));
  expect([...parts.rules.keys()]).toEqual(kinds);
  for (const kind of kinds) expectAgrees(kind, parts.rules.get(kind)!, family, partial);
  if (partial) {
    // Nothing is required in an override; an object without `type` must fit one kind's keys.
    expect(parts.object.required).toBeUndefined();
    expect(parts.typeless).toEqual({
      if: { required: ['type'] },
      else: { anyOf: kinds.map(k => ({ $ref: parts.rules.get(k)!.keysRef })) },
    });
  } else {
    expect(parts.object.required).toEqual(['type']);
    expect(parts.typeless).toBeUndefined();
  }
  return parts;
}

const variantSections = (): Json => schema.properties.variants.additionalProperties.properties;

describe('the schema agrees with the tables', () => {
  it('data kinds (base and override)', () => {
    expectSlotAgrees(schema.properties.data, SLOTS.data, false);
    expect(slotParts(schema.properties.data).rules.get('csv')!.required).toEqual(['path', 'target']);
    expectSlotAgrees(variantSections().data, SLOTS.data, true);
  });

  it('layer kinds (a variant replaces the whole model, so there is no override)', () => {
    const { rules } = expectSlotAgrees(schema.properties.model.items, SLOTS.layer, false);
    for (const kind of ['linear', 'maxout']) expect(rules.get(kind)!.keys.properties.init.$ref).toBe('#/definitions/init');
    // prelu's `init` is its initial slope, a number.
    expect(rules.get('prelu')!.keys.properties.init.type).toBe('number');
    expect(rules.get('batch_norm')!.keys.properties.momentum.anyOf.map((s: Json) => s.type)).toEqual(['number', 'null']);
    expect(variantSections().model.items).toEqual(schema.properties.model.items);
  });

  it('initializers (weight and bias, base and override)', () => {
    for (const [initRef, initializerRef, partial] of [
      [schema.properties.init, '#/definitions/initializer', false],
      [variantSections().init, '#/definitions/initializerOverride', true],
    ] as const) {
      const init = resolve(initRef);
      expect(init.anyOf[0].enum).toEqual(SLOTS.initializer.types);
      expect(init.then.additionalProperties).toBe(false);
      for (const role of ['weight', 'bias']) expect(init.then.properties[role].$ref).toBe(initializerRef);
      expectSlotAgrees({ $ref: initializerRef }, SLOTS.initializer, partial);
    }
    expect(slotParts({ $ref: '#/definitions/initializer' }).rules.get('constant')!.required).toEqual(['value']);
  });

  it('losses and optimizers (base and override)', () => {
    expectSlotAgrees(schema.properties.loss, SLOTS.loss, false);
    expectSlotAgrees(variantSections().loss, SLOTS.loss, true);
    const { rules } = expectSlotAgrees(schema.properties.optimizer, SLOTS.optimizer, false);
    expect(rules.get('sgd')!.required).toEqual(['lr']);
    expect(rules.get('lookahead')!.required).toEqual(['optimizer']);
    expectSlotAgrees(variantSections().optimizer, SLOTS.optimizer, true);
  });

  it("lookahead's inner optimizer: every optimizer but lookahead, sharing the optimizers' keys", () => {
    const inner = expectSlotAgrees({ $ref: '#/definitions/innerOptimizerOverride' }, SLOTS.inner_optimizer, true);
    expect(SLOTS.inner_optimizer.types).not.toContain('lookahead');
    const outer = slotParts(schema.properties.optimizer).rules;
    for (const kind of SLOTS.inner_optimizer.types) expect(inner.rules.get(kind)!.keysRef).toBe(outer.get(kind)!.keysRef);
  });

  it('schedules, the schedules inside sequential, momentum schedules (base and override; null is none)', () => {
    const { rules } = expectSlotAgrees(schema.properties.schedule, SLOTS.schedule, false);
    expect(rules.get('sequential')!.required.sort()).toEqual(['milestones', 'schedulers']);
    expect(resolve(schema.properties.schedule).type).toEqual(['string', 'object', 'null']);
    expectSlotAgrees(variantSections().schedule, SLOTS.schedule, true);
    const children = expectSlotAgrees({ $ref: '#/definitions/sequentialSchedule' }, SLOTS.sequential_child, false);
    for (const kind of SLOTS.sequential_child.types) expect(children.rules.get(kind)!.keys.properties.interval).toBeUndefined();
    expectSlotAgrees(schema.properties.momentum_schedule, SLOTS.momentum_schedule, false);
    expectSlotAgrees(variantSections().momentum_schedule, SLOTS.momentum_schedule, true);
  });

  it('a base slot and its override share each kind\'s keys', () => {
    for (const key of ['optimizer', 'schedule', 'loss', 'data']) {
      const base = slotParts(schema.properties[key]).rules;
      const override = slotParts(variantSections()[key]).rules;
      for (const [kind, rule] of base) expect(override.get(kind)!.keysRef, `${key} ${kind}`).toBe(rule.keysRef);
    }
  });

  it('training and checkpoint (required keys of their parts only in the base)', () => {
    for (const section of ['training', 'checkpoint'] as const) {
      const s = schema.properties[section];
      expect(s.additionalProperties).toBe(false);
      expect(Object.keys(s.properties)).toEqual(Object.keys((core(SECTIONS[section]) as z.ZodObject).shape));
      for (const key of Object.keys(s.properties)) expect(s.properties[key].description, `${section}.${key}`).toBeTruthy();
    }
    expect(schema.properties.training.properties.clip_grad_norm.required).toEqual(['max_norm']);
    expect(variantSections().training.properties.clip_grad_norm.required).toBeUndefined();
    expect(schema.properties.training.properties.clip_grad_norm.type).toEqual(['object', 'null', 'number']);
    expect(schema.properties.training.properties.ema.type).toEqual(['object', 'null', 'boolean']);
  });

  it('variants: the same sections, nothing required', () => {
    const variant = schema.properties.variants.additionalProperties;
    expect(Object.keys(variant.properties).sort()).toEqual(
      ['checkpoint', 'data', 'description', 'diagnostics', 'init', 'loss', 'model', 'momentum_schedule', 'optimizer', 'probes', 'schedule', 'training'],
    );
    expect(variant.additionalProperties).toBe(false);
    expect(variant.required).toBeUndefined();
  });
});

describe('descriptions', () => {
  const texts: string[] = [];
  walk(schema, node => {
    for (const key of ['description', 'markdownDescription']) if (typeof node[key] === 'string') texts.push(node[key]);
    if (Array.isArray(node.markdownEnumDescriptions)) texts.push(...node.markdownEnumDescriptions);
  });

  /**
   * A sentence: starts with a capital (or code), ends with a full stop, no sentence starting in
   * lower case (a generated phrase glued on: "... defaults). by name, ..."), no doubled word, and not
   * a bare key standing in for a missing entry.
   */
  const isCleanSentence = (text: string): boolean =>
    /^[A-Z`"'(]/.test(text) && /[.)]$/.test(text) && !/\.\s+[a-z]/.test(text) && !/\b(\w+) \1\b/.test(text);

  it('every description, markdown description and value description reads as a clean sentence', () => {
    expect(texts.length).toBeGreaterThan(100);
    expect(texts.filter(t => !isCleanSentence(t))).toEqual([]);
  });

  it('the check catches the phrases it is for', () => {
    expect(isCleanSentence('The optimizer (torch.optim names and defaults). by name, with default settings.')).toBe(false);
    expect(isCleanSentence('seed')).toBe(false);
    expect(isCleanSentence('How to initialize the the weights.')).toBe(false);
    expect(isCleanSentence('Seed of the train/validation split (separate from `training.seed`).')).toBe(true);
  });
});

describe('the schema accepts what the validator accepts (and rejects some of what it rejects)', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  const accepts = (value: unknown): boolean => validate(value) as boolean;

  const good = {
    name: 'x',
    data: { type: 'spiral', samples: 600, classes: 3, noise: 0.2, validation_split: 0.2 },
    model: [{ type: 'linear', out_features: 64, init: { bias: 'zeros' } }, 'relu', { type: 'linear' }],
    init: { weight: { type: 'kaiming_normal', nonlinearity: 'relu' }, bias: 'zeros' },
    loss: 'cross_entropy',
    optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 },
    training: { epochs: 60, batch_size: 32, seed: 0 },
    variants: {
      adam: { optimizer: { type: 'adam', lr: 0.01 } },
      adam_defaults: { optimizer: 'adam' },
      slower: { optimizer: { lr: 0.01 }, training: { epochs: 5 }, init: 'xavier_uniform' },
      // sgd without lr is fine in a variant: it inherits the base's.
      sgd_again: { optimizer: { type: 'sgd' } },
      more_classes: { data: { classes: 4 }, init: { weight: { nonlinearity: 'tanh' } } },
    },
  };

  it('accepts a full experiment with variants, and it is valid for the validator too', () => {
    expect(accepts(good), JSON.stringify(validate.errors)).toBe(true);
    expect(parseExperiment(JSON.stringify(good), 'x.experiment.json').problems).toEqual([]);
  });

  it('accepts the shipped examples', () => {
    const dir = path.resolve(__dirname, '../../../examples');
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.experiment.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const parsed = parseExperiment(text, file);
      expect(parsed.problems.filter(p => p.severity === 'error'), file).toEqual([]);
      // The examples have comments, as VS Code's JSON-with-comments mode allows.
      expect(accepts(parseJsonc(text)), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it.each([
    ['an unknown optimizer', { ...good, optimizer: 'adamm' }],
    ['an unknown optimizer type in an object', { ...good, optimizer: { type: 'sgdd', lr: 0.1 } }],
    ['sgd without lr', { ...good, optimizer: { type: 'sgd' } }],
    ['adam with momentum', { ...good, optimizer: { type: 'adam', momentum: 0.9 } }],
    ['a misspelt sgd key', { ...good, optimizer: { type: 'sgd', lr: 0.1, momentun: 0.9 } }],
    ['an optimizer without type', { ...good, optimizer: { lr: 0.1 } }],
    ['an unknown top-level key', { ...good, epochs: 3 }],
    ['a negative lr', { ...good, optimizer: { type: 'sgd', lr: -1 } }],
    ['moons with 3 classes', { ...good, data: { type: 'moons', classes: 3 } }],
    ['csv without a target', { ...good, data: { type: 'csv', path: 'a.csv' } }],
    ['a relu layer with out_features', { ...good, model: [{ type: 'linear' }, { type: 'relu', out_features: 3 }] }],
    ['a misspelt init key', { ...good, init: { weigth: 'zeros' } }],
    ['kaiming with a gain', { ...good, init: { weight: { type: 'kaiming_normal', gain: 2 } } }],
    ['a fractional batch size', { ...good, training: { batch_size: 2.5 } }],
    ['a variant with an unknown key', { ...good, variants: { v: { epochs: 3 } } }],
    ['a variant with a misspelt optimizer key', { ...good, variants: { v: { optimizer: { momentun: 0.9 } } } }],
    ['a variant with adam and momentum', { ...good, variants: { v: { optimizer: { type: 'adam', momentum: 0.9 } } } }],
    ['a variant with an unknown optimizer type', { ...good, variants: { v: { optimizer: { type: 'sgdd' } } } }],
  ])('rejects %s, as the validator does', (_, value) => {
    expect(accepts(value)).toBe(false);
    expect(parseExperiment(JSON.stringify(value), 'x.experiment.json').problems.some(p => p.severity === 'error')).toBe(true);
  });

  it.each([
    ['/optimizer/type', { ...good, optimizer: { type: 'sgdd', lr: 0.1 } }, SLOTS.optimizer.types],
    ['/data/type', { ...good, data: { type: 'spirall' } }, SLOTS.data.types],
    ['/model/1/type', { ...good, model: [{ type: 'linear' }, { type: 'lineer' }] }, SLOTS.layer.types],
    ['/init/weight/type', { ...good, init: { weight: { type: 'kaiming' } } }, SLOTS.initializer.types],
    ['/variants/v/optimizer/type', { ...good, variants: { v: { optimizer: { type: 'sgdd' } } } }, SLOTS.optimizer.types],
  ])('a misspelt type at %s fails one enum of every kind, not one kind\'s const', (at, value, kinds) => {
    expect(accepts(value)).toBe(false);
    const errors = validate.errors!;
    expect(errors.filter(e => e.instancePath === at).map(e => [e.keyword, e.params])).toEqual([['enum', { allowedValues: kinds }]]);
    expect(errors.some(e => e.keyword === 'const')).toBe(false);
  });
});
