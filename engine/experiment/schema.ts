/**
 * Builds schemas/experiment.schema.json (JSON Schema draft-07, for VS Code's completion, hovers and
 * first-line checks) from the same tables the validator uses — the typed slots of slots.ts and the
 * sections' tables, each key with its `doc` — so the two cannot drift, and a new kind or key needs
 * nothing here. The schema file is generated: after changing a table, run
 * `UPDATE_SCHEMA=1 npx vitest run test/unit/experiment/schema.test.ts` to rewrite it; the test fails
 * while the file is out of date.
 *
 * Not imported by the extension or the engine at run time (nothing here is needed to train).
 */
import { CHECKPOINT_DOC, CHECKPOINT_FIELDS, DIAGNOSTICS_DOC, DIAGNOSTICS_FIELDS, PROBES_DOC, PROBE_FIELDS, TRAINING_FIELDS, isRequired, type Field, type FieldTable } from './defaults';
import { slotNamed, SLOTS, type Slot } from './slots';

type Json = Record<string, unknown>;

/** { description, markdownDescription } — the latter only when the text has markdown to render. */
export function described(text: string, markdown?: string): Json {
  if (markdown !== undefined) return { description: plainText(text), markdownDescription: markdown };
  return /[`*]/.test(text) ? { description: plainText(text), markdownDescription: text } : { description: text };
}

function plainText(markdown: string): string {
  return markdown.replace(/[`*]/g, '');
}

/** A field's documentation; every field must have one (a missing text is a bug, not a blank hover). */
function fieldDoc(where: string, key: string, field: Field): Json {
  if (field.doc === undefined) throw new Error(`schema.ts: no documentation for key '${key}' of ${where}`);
  return described(field.doc, field.markdownDoc);
}

function kindDoc(slot: Slot, kind: string): string {
  const text = slot.kindDocs[kind];
  if (text === undefined) throw new Error(`schema.ts: no documentation for kind '${kind}' of ${slot.name}`);
  return text;
}

/** The schema of one number's range (also used for the items of lists and a shorthand number). */
function numberRange(field: { integer?: boolean; minimum?: number; exclusiveMinimum?: boolean; maximum?: number; exclusiveMaximum?: boolean }): Json {
  const s: Json = { type: field.integer ? 'integer' : 'number' };
  if (field.minimum !== undefined) {
    if (field.exclusiveMinimum) s.exclusiveMinimum = field.minimum;
    else s.minimum = field.minimum;
  }
  if (field.maximum !== undefined) {
    if (field.exclusiveMaximum) s.exclusiveMaximum = field.maximum;
    else s.maximum = field.maximum;
  }
  return s;
}

/** A key's schema. `partial`: in a variant's override, where nothing is required. */
function fieldSchema(where: string, key: string, field: Field, partial: boolean): Json {
  const doc = fieldDoc(where, key, field);
  switch (field.kind) {
    case 'number': {
      const range = numberRange(field);
      let s: Json;
      if (field.infinity) {
        // "inf" is torch's float('inf'); a second branch keeps the number's range exact.
        s = { ...doc, anyOf: [range, { type: 'string', enum: ['inf'] }] };
      } else {
        s = { ...range, ...doc };
        if (field.nullable) s.type = [range.type, 'null'];
      }
      if (field.fixed !== undefined) s.const = field.fixed;
      if (field.default !== undefined) s.default = field.default;
      return s;
    }
    case 'boolean':
      return { type: 'boolean', ...doc, default: field.default };
    case 'string':
      return { type: 'string', minLength: 1, ...doc };
    case 'enum':
      return { type: 'string', ...doc, enum: [...field.values], default: field.default };
    case 'enum_list':
      return { type: 'array', ...doc, items: { type: 'string', enum: [...field.values] }, uniqueItems: true };
    case 'pair':
      return {
        type: 'array',
        ...doc,
        items: { type: 'number', minimum: field.minimum, exclusiveMaximum: field.maximum },
        minItems: 2,
        maxItems: 2,
        default: [...field.default],
      };
    case 'integer_list': {
      const s: Json = { type: 'array', ...doc, items: numberRange({ integer: true, minimum: field.minimum }) };
      if (field.minItems !== undefined) s.minItems = field.minItems;
      if (field.default !== undefined) s.default = [...field.default];
      return s;
    }
    case 'number_list': {
      const s: Json = { type: 'array', ...doc, items: numberRange(field) };
      if (field.minItems !== undefined) s.minItems = field.minItems;
      return s;
    }
    case 'typed':
      // A nested object merges key by key in a variant, so it may leave out what it inherits.
      return { ...doc, ...ref(overrideName(slotNamed(field.slot).name)) };
    case 'typed_list': {
      const s: Json = { type: 'array', ...doc, items: ref(slotNamed(field.slot).name) };
      if (field.minItems !== undefined) s.minItems = field.minItems;
      return s;
    }
    case 'object':
      return objectSchema(key, field.fields, partial, {
        doc,
        numberShorthand: field.numberShorthand,
        trueShorthand: field.trueShorthand,
      });
    case 'init':
      return { ...doc, ...ref('init') };
  }
}

/**
 * A group of keys under its own name (training's parts, checkpoint): closed, or null (off), or the
 * group's shorthand (a number for its one required key, true for its defaults).
 */
function objectSchema(
  where: string,
  table: FieldTable,
  partial: boolean,
  options: { doc: Json; numberShorthand?: string; trueShorthand?: boolean; nullable?: boolean },
): Json {
  const types = ['object'];
  if (options.nullable !== false) types.push('null');
  const s: Json = { type: types, ...options.doc };
  if (options.numberShorthand !== undefined) {
    types.push('number');
    // The number's range is that of the key it stands for (keywords for numbers ignore objects).
    const { type: _type, ...range } = numberRange(table[options.numberShorthand] as Parameters<typeof numberRange>[0]);
    Object.assign(s, range);
  }
  if (options.trueShorthand) types.push('boolean');
  if (types.length === 1) s.type = types[0];
  s.properties = Object.fromEntries(Object.entries(table).map(([k, f]) => [k, fieldSchema(where, k, f, partial)]));
  s.additionalProperties = false;
  const required = partial ? [] : requiredKeys(table);
  if (required.length > 0) s.required = required;
  return s;
}

// ---- typed slots --------------------------------------------------------------------------------
//
// A typed slot is an object whose `type` selects its keys (data, layer, initializer, loss,
// optimizer, schedule, ...), or that type's name alone. The object is NOT one closed `oneOf` branch
// per kind: VS Code's JSON language service reports the errors of the closest branch, so a misspelt
// `"type": "sgdd"` came out as `Value must be "sgd".` Instead `type` is one property with an `enum`
// of every kind (a typo gets `Value is not accepted. Valid values: "sgd", "adam", ...`), and each
// kind's keys apply through `allOf: [{ if: <type is K>, then: <K's keys> }]`. The language service
// also completes keys from the `then` that applies, so an Adam object offers `betas`, not `momentum`.
//
// Unknown keys: draft-07 has no `unevaluatedProperties`, and `additionalProperties` only sees the
// `properties` of its own subschema, so each kind's keys live in one closed subschema
// (definitions/<slot>.<kind>) that lists `type` too, and the `then` refers to it.

const ref = (name: string): Json => ({ $ref: `#/definitions/${name}` });
const keysName = (slot: Slot, kind: string): string => `${slot.keysFrom ?? slot.name}.${kind}`;
const overrideName = (name: string): string => `${name}Override`;
const article = (noun: string): string => (/^[aeiou]/i.test(noun) ? 'An' : 'A');
const code = (words: readonly string[]): string => words.map(w => `\`${w}\``).join(', ');
/** "a", "a and b", "a, b and c". */
const listed = (words: readonly string[]): string =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;

function requiredKeys(table: FieldTable): string[] {
  return Object.entries(table)
    .filter(([, f]) => isRequired(f))
    .map(([k]) => k);
}

/** One kind's keys, closed: `type` plus its table (no `required`: that depends on base vs override). */
function kindKeys(slot: Slot, kind: string): Json {
  const properties: Json = { type: { const: kind } };
  for (const [key, field] of Object.entries(slot.tables[kind])) {
    properties[key] = fieldSchema(`${slot.name} '${kind}'`, key, field, true);
  }
  return { type: 'object', properties, additionalProperties: false };
}

/**
 * The kind's name alone. In a base experiment, a kind with required keys cannot be written that
 * way, and its description says so; the validator reports it (the schema still accepts the name, as
 * a variant may write it and inherit the keys, and "Valid values: adam" for "sgd" would mislead).
 */
function shorthand(
  slot: Slot,
  partial: boolean,
  description = `${article(slot.noun)} ${slot.noun}'s name alone: that ${slot.noun} with its default settings.`,
): Json {
  return {
    type: 'string',
    enum: [...slot.kinds],
    ...described(description),
    markdownEnumDescriptions: slot.kinds.map(kind => {
      const required = requiredKeys(slot.tables[kind]);
      if (partial || required.length === 0) return kindDoc(slot, kind);
      return `${kindDoc(slot, kind)} Needs ${listed(required.map(k => `\`${k}\``))}, which a name alone cannot give.`;
    }),
  };
}

function typeProperty(slot: Slot): Json {
  return {
    type: 'string',
    ...described(`Which ${slot.noun}: one of ${code(slot.kinds)}.`),
    enum: [...slot.kinds],
    markdownEnumDescriptions: slot.kinds.map(kind => kindDoc(slot, kind)),
  };
}

/**
 * The object form's rules. In an override (a variant's part) nothing is required, and an object
 * without `type` keeps the base's kind, which the schema cannot see: it must fit some kind's keys.
 */
function typedObject(slot: Slot, partial: boolean): Json {
  const branches: Json[] = slot.kinds.map(kind => {
    const required = requiredKeys(slot.tables[kind]);
    return {
      if: { properties: { type: { const: kind } }, required: ['type'] },
      then: !partial && required.length > 0 ? { allOf: [ref(keysName(slot, kind))], required } : ref(keysName(slot, kind)),
    };
  });
  if (partial) branches.push({ if: { required: ['type'] }, else: { anyOf: slot.kinds.map(kind => ref(keysName(slot, kind))) } });
  const s: Json = { properties: { type: typeProperty(slot) } };
  if (!partial) s.required = ['type'];
  s.allOf = branches;
  return s;
}

/**
 * A name or an object (or null, for an optional section). Not `anyOf: [name, object]`: when both
 * branches fail, the language service reports the one that scored higher, and an empty or
 * half-typed object scores no better than the string branch (`Incorrect type. Expected "string".`
 * on an object). So the anyOf only says "a string must be a known name" (anything else passes its
 * second branch, and a bad string keeps the name's message as the first of two equal failures), and
 * the object's rules apply through `if: object`. A number or list gets the one message of `type`.
 */
function nameOrObject(names: Json, object: Json, nullable = false): Json {
  return {
    type: nullable ? ['string', 'object', 'null'] : ['string', 'object'],
    anyOf: [names, { not: { type: 'string' } }],
    if: { type: 'object' },
    then: object,
  };
}

/** The slot itself: the kind's name alone, or the object. */
function typedSlot(slot: Slot, partial: boolean): Json {
  return { ...described(slot.description), ...nameOrObject(shorthand(slot, partial), typedObject(slot, partial), NULLABLE_SLOTS.has(slot.name)) };
}

/** Sections that may be null (none): a variant turns off the base's schedule with `null`. */
const NULLABLE_SLOTS: ReadonlySet<string> = new Set([SLOTS.schedule.name, SLOTS.momentum_schedule.name]);

/** Definitions of a slot: the slot (and its override), and each kind's closed set of keys. */
function slotDefinitions(slot: Slot, forms: { base: boolean; override: boolean }): Json {
  const defs: Json = {};
  if (forms.base) defs[slot.name] = typedSlot(slot, false);
  if (forms.override) defs[overrideName(slot.name)] = typedSlot(slot, true);
  if (slot.keysFrom === undefined) for (const kind of slot.kinds) defs[keysName(slot, kind)] = kindKeys(slot, kind);
  return defs;
}

// ---- the sections -------------------------------------------------------------------------------

/** `init`: an initializer name (the weights'), or { weight, bias }. */
function initSchema(partial: boolean): Json {
  const initializer = (role: 'weights' | 'biases'): Json => ({
    description: `How to initialize the ${role}.`,
    ...ref(partial ? overrideName('initializer') : 'initializer'),
  });
  return {
    description: 'Initialization of the linear layers: an initializer name (for the weights) or { "weight": ..., "bias": ... }.',
    markdownDescription:
      'Initialization of the linear layers (a layer\'s own `init` overrides it). An initializer name sets the **weights**; `{ "weight": ..., "bias": ... }` sets either or both. Default: PyTorch\'s own.',
    ...nameOrObject(
      shorthand(
        SLOTS.initializer,
        partial,
        "An initializer's name alone: the weights' initializer, with its default settings (the biases keep theirs).",
      ),
      {
        properties: { weight: initializer('weights'), bias: initializer('biases') },
        additionalProperties: false,
      },
    ),
  };
}

/** The parts of an experiment; in a variant (`partial`) every part is an override. */
function sections(partial: boolean): Json {
  const slot = (name: string): Json => ref(partial ? overrideName(name) : name);
  return {
    description: { type: 'string', description: 'What this experiment (or variant) is about.' },
    data: slot(SLOTS.data.name),
    model: {
      type: 'array',
      description: "The layers in order (torch.nn.Sequential). The first layer's input width is the number of features; the last linear layer may leave out out_features.",
      markdownDescription:
        'The layers in order, like `torch.nn.Sequential`. The last linear layer may leave out `out_features`: it then outputs one value per class.',
      // A layer is never partial: a variant's model replaces the whole list.
      items: ref(SLOTS.layer.name),
      minItems: 1,
    },
    init: slot('init'),
    loss: slot(SLOTS.loss.name),
    optimizer: slot(SLOTS.optimizer.name),
    schedule: slot(SLOTS.schedule.name),
    momentum_schedule: slot(SLOTS.momentum_schedule.name),
    training: objectSchema('training', TRAINING_FIELDS, partial, { doc: described('The training loop.'), nullable: false }),
    checkpoint: objectSchema('checkpoint', CHECKPOINT_FIELDS, partial, { doc: described(CHECKPOINT_DOC) }),
    probes: objectSchema('probes', PROBE_FIELDS, partial, { doc: described(PROBES_DOC) }),
    diagnostics: objectSchema('diagnostics', DIAGNOSTICS_FIELDS, partial, { doc: described(DIAGNOSTICS_DOC) }),
  };
}

export function buildExperimentSchema(): Json {
  const both = { base: true, override: true };
  const definitions: Json = {
    // The experiment's `init` and a linear layer's `init` share one definition.
    init: initSchema(false),
    [overrideName('init')]: initSchema(true),
    ...slotDefinitions(SLOTS.data, both),
    ...slotDefinitions(SLOTS.layer, { base: true, override: false }),
    ...slotDefinitions(SLOTS.initializer, both),
    ...slotDefinitions(SLOTS.loss, both),
    ...slotDefinitions(SLOTS.optimizer, both),
    // Lookahead's inner optimizer merges key by key in a variant: only the override form is used.
    ...slotDefinitions(SLOTS.inner_optimizer, { base: false, override: true }),
    ...slotDefinitions(SLOTS.schedule, both),
    // Schedules inside sequential: a list, replaced whole by a variant.
    ...slotDefinitions(SLOTS.sequential_child, { base: true, override: false }),
    ...slotDefinitions(SLOTS.momentum_schedule, both),
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://trainscope.invalid/schemas/experiment.schema.json',
    title: 'Trainscope experiment',
    description:
      'A neural-network training experiment (*.experiment.json): data, model, initialization, loss, optimizer, schedules, training, checkpoints, probes and diagnostics, and variants to compare.',
    type: 'object',
    definitions,
    properties: {
      $schema: { type: 'string', description: 'The JSON Schema of this file.' },
      name: { type: 'string', description: 'Display name (default: the file name).' },
      ...sections(false),
      variants: {
        type: 'object',
        description: 'Named variants of this experiment: each overrides parts of it. Objects merge key by key; lists and values replace; a different "type" replaces the whole object; null removes a part.',
        markdownDescription:
          'Named variants of this experiment, each run and compared separately. A variant overrides parts of the experiment: objects merge key by key, lists and values replace, an object with a different `type` replaces the base\'s wholesale (switching `sgd` → `adam` inherits nothing), and `null` removes an optional part (a schedule, clipping, ...).',
        propertyNames: { minLength: 1 },
        additionalProperties: {
          type: 'object',
          properties: sections(true),
          additionalProperties: false,
        },
      },
    },
    required: ['data', 'model', 'optimizer'],
    additionalProperties: false,
  };
}
