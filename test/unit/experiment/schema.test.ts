import Ajv from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DATA_FIELDS,
  DATA_KINDS,
  INITIALIZER_FIELDS,
  INITIALIZER_KINDS,
  LAYER_KINDS,
  LINEAR_FIELDS,
  LOSS_KINDS,
  OPTIMIZER_FIELDS,
  OPTIMIZER_KINDS,
  TRAINING_FIELDS,
  type FieldTable,
} from '../../../engine/experiment/defaults';
import { parseExperiment } from '../../../engine/experiment/parse';
import { buildExperimentSchema } from '../../../engine/experiment/schema';

const SCHEMA_FILE = path.resolve(__dirname, '../../../schemas/experiment.schema.json');

// Walking an arbitrary JSON document: `any` keeps the assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

if (process.env.UPDATE_SCHEMA) {
  fs.writeFileSync(SCHEMA_FILE, JSON.stringify(buildExperimentSchema(), null, 2) + '\n');
}
const schema: Json = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));

describe('schemas/experiment.schema.json', () => {
  it('is up to date with engine/experiment/schema.ts (regenerate: UPDATE_SCHEMA=1 npx vitest run test/unit/experiment/schema.test.ts)', () => {
    expect(schema).toEqual(buildExperimentSchema());
  });

  it('is draft-07 and closed at the top level', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['data', 'model', 'optimizer']);
  });
});

/** The alternatives of a typed slot: the shorthand enum and one object per kind. */
function alternatives(slot: Json): { names: string[]; objects: Map<string, Json> } {
  const list: Json[] = slot.oneOf ?? slot.anyOf;
  const names: string[] = list.find(a => a.type === 'string')!.enum;
  const objects = new Map<string, Json>();
  for (const a of list) if (a.type === 'object') objects.set(a.properties.type.const, a);
  return { names, objects };
}

/** Every key of a kind agrees with the validator's table: type, default, range, choices, required. */
function expectAgrees(object: Json, table: FieldTable, handled: string[] = ['type']): void {
  expect(Object.keys(object.properties).sort()).toEqual([...handled, ...Object.keys(table)].sort());
  expect(object.additionalProperties).toBe(false);
  for (const [key, field] of Object.entries(table)) {
    const s = object.properties[key];
    expect(s.description, key).toBeTruthy();
    switch (field.kind) {
      case 'number':
        expect(s.type, key).toBe(field.integer ? 'integer' : 'number');
        expect(s.default, key).toBe(field.default);
        expect(s.minimum ?? s.exclusiveMinimum, key).toBe(field.minimum);
        expect(s.exclusiveMinimum !== undefined, key).toBe(!!field.exclusiveMinimum);
        expect(s.maximum ?? s.exclusiveMaximum, key).toBe(field.maximum);
        expect(s.const, key).toBe(field.fixed);
        break;
      case 'boolean':
        expect([s.type, s.default], key).toEqual(['boolean', field.default]);
        break;
      case 'enum':
        expect([s.enum, s.default], key).toEqual([field.values, field.default]);
        break;
      case 'pair':
        expect(s.default, key).toEqual(field.default);
        break;
      case 'string':
        expect(s.type, key).toBe('string');
        break;
    }
    const required: string[] = object.required ?? [];
    expect(required.includes(key), `${key} required`).toBe('required' in field && !!field.required);
  }
}

describe('the schema agrees with the defaults table', () => {
  it('data kinds', () => {
    const { names, objects } = alternatives(schema.properties.data);
    expect(names).toEqual(DATA_KINDS);
    for (const kind of DATA_KINDS) expectAgrees(objects.get(kind)!, DATA_FIELDS[kind]);
  });

  it('layer kinds', () => {
    const { names, objects } = alternatives(schema.properties.model.items);
    expect(names).toEqual(LAYER_KINDS);
    expectAgrees(objects.get('linear')!, LINEAR_FIELDS, ['type', 'init']);
    for (const kind of LAYER_KINDS.filter(k => k !== 'linear')) expectAgrees(objects.get(kind)!, {});
  });

  it('initializers (weight and bias)', () => {
    const init = schema.definitions.init;
    expect(init.anyOf[0].enum).toEqual(INITIALIZER_KINDS);
    for (const role of ['weight', 'bias']) {
      const ref: string = init.anyOf[1].properties[role].$ref;
      expect(ref).toBe('#/definitions/initializer');
      const { names, objects } = alternatives(schema.definitions.initializer);
      expect(names).toEqual(INITIALIZER_KINDS);
      for (const kind of INITIALIZER_KINDS) expectAgrees(objects.get(kind)!, INITIALIZER_FIELDS[kind]);
    }
  });

  it('losses and optimizers', () => {
    expect(alternatives(schema.properties.loss).names).toEqual(LOSS_KINDS);
    const { names, objects } = alternatives(schema.properties.optimizer);
    expect(names).toEqual(OPTIMIZER_KINDS);
    for (const kind of OPTIMIZER_KINDS) expectAgrees(objects.get(kind)!, OPTIMIZER_FIELDS[kind]);
    expect(objects.get('sgd')!.required).toEqual(['type', 'lr']);
  });

  it('training', () => {
    expectAgrees({ ...schema.properties.training }, TRAINING_FIELDS, []);
  });

  it('variants: the same sections, nothing required', () => {
    const variant = schema.properties.variants.additionalProperties;
    expect(Object.keys(variant.properties).sort()).toEqual(['data', 'description', 'init', 'loss', 'model', 'optimizer', 'training']);
    const { objects } = alternatives(variant.properties.optimizer);
    expect(objects.get('sgd')!.required).toBeUndefined();
    expect(variant.properties.optimizer.anyOf).toBeDefined();
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
      slower: { optimizer: { lr: 0.01 }, training: { epochs: 5 }, init: 'xavier_uniform' },
    },
  };

  it('accepts a full experiment with variants, and it is valid for the validator too', () => {
    expect(accepts(good), JSON.stringify(validate.errors)).toBe(true);
    expect(parseExperiment(JSON.stringify(good), 'x.experiment.json').problems).toEqual([]);
  });

  it.each([
    ['an unknown optimizer', { ...good, optimizer: 'adamm' }],
    ['sgd without lr', { ...good, optimizer: { type: 'sgd' } }],
    ['adam with momentum', { ...good, optimizer: { type: 'adam', momentum: 0.9 } }],
    ['an unknown top-level key', { ...good, epochs: 3 }],
    ['a negative lr', { ...good, optimizer: { type: 'sgd', lr: -1 } }],
    ['moons with 3 classes', { ...good, data: { type: 'moons', classes: 3 } }],
    ['a fractional batch size', { ...good, training: { batch_size: 2.5 } }],
    ['a variant with an unknown key', { ...good, variants: { v: { epochs: 3 } } }],
  ])('rejects %s, as the validator does', (_, value) => {
    expect(accepts(value)).toBe(false);
    expect(parseExperiment(JSON.stringify(value), 'x.experiment.json').problems.some(p => p.severity === 'error')).toBe(true);
  });
});
