/**
 * Builds schemas/experiment.schema.json (draft-07: VS Code's completion, hovers and first-line checks) from the
 * validator's schemas. A family is NOT one closed `oneOf` branch per kind: the language service reports the errors
 * of the closest branch, so a misspelt `"type": "sgdd"` came out as `Value must be "sgd".` Instead `type` is one
 * `enum` of every kind, and each kind's keys apply (and complete) through `allOf: [{ if: <type is K>, then: <K's keys> }]`.
 * Draft-07 has no `unevaluatedProperties`, so each kind's keys are one closed subschema (definitions/<family>.<kind>)
 * that lists `type` too.
 */
import * as z from 'zod';
import { aboutOf, core, familyOf, hasWrapper, kindOptions } from '../core/options';
import { SECTIONS, VARIANT_KEYS, type SectionKey } from './sections';

export type Json = Record<string, unknown>;

/** zod's own JSON Schema of a schema (of what a file may write). */
export const zodJson = (schema: z.ZodType): Json => z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Json;

/** An object's keys but `type` (a kind's own), and those a file must write. */
export const keysOf = (options: z.ZodObject): [string, z.ZodType][] => Object.entries(options.shape as Record<string, z.ZodType>).filter(([k]) => k !== 'type');
export const isRequired = (schema: z.ZodType): boolean => !hasWrapper(schema, 'optional') && !hasWrapper(schema, 'default');
export const requiredKeys = (options: z.ZodObject): string[] => keysOf(options).flatMap(([key, s]) => (isRequired(s) ? [key] : []));

const ref = (name: string): Json => ({ $ref: `#/definitions/${name}` });
const code = (word: string): string => `\`${word}\``;

/** The keys a kind needs in a base experiment (an override needs none). */
const needs = (schema: z.ZodType, kind: string, partial: boolean): string[] => (partial ? [] : requiredKeys(kindOptions(schema, kind)!));

/** { description, markdownDescription }: the latter only when there is markdown to render. */
function described(text: string, markdown = /[`*]/.test(text) ? text : undefined): Json {
  return markdown === undefined ? { description: text } : { description: text.replace(/[`*]/g, ''), markdownDescription: markdown };
}

/** A schema's documentation; every option must have one (a missing text is a bug, not a blank hover). */
function docOf(schema: z.ZodType, where: string): Json {
  const { description, markdown } = aboutOf(schema);
  if (description === undefined) throw new Error(`jsonSchema.ts: no documentation for ${where}`);
  return described(description, markdown);
}

/** An option's schema, by what it is; `partial`: in a variant's override, where nothing is required. */
function optionSchema(schema: z.ZodType, where: string, partial: boolean): Json {
  const about = aboutOf(schema);
  const inner = core(schema);
  const { type, element } = inner._zod.def as { type: string; element?: z.ZodType };
  // A nested object of a family merges key by key in a variant, so it may leave out what it inherits.
  if (about.family) return { ...docOf(schema, where), ...familyRef(schema, true) };
  if (about.initPair) return { ...docOf(schema, where), ...ref('init') };
  // A list of a family's objects (the model, sequential's schedulers): a variant replaces the whole list.
  if (element && familyOf(element)) return { type: 'array', ...docOf(schema, where), items: familyRef(element, false), minItems: zodJson(inner).minItems };
  if (type === 'object') return groupSchema(schema, where, partial);
  const { $schema: _s, description: _d, ...json } = zodJson(schema);
  // Accepted for compatibility only (torch's implementation switches): understood, never offered.
  return { ...docOf(schema, where), ...json, ...(about.noEffect !== undefined ? { doNotSuggest: true } : {}) };
}

/** A group of keys under its own name: closed, or null (off), or its shorthand (a number, true). */
function groupSchema(schema: z.ZodType, where: string, partial: boolean, nullable = true): Json {
  const { numberShorthand, trueShorthand } = aboutOf(schema);
  const options = core(schema) as z.ZodObject;
  const types = ['object', ...(nullable ? ['null'] : []), ...(numberShorthand ? ['number'] : []), ...(trueShorthand ? ['boolean'] : [])];
  // The number's range is that of the key it stands for (keywords for numbers ignore objects).
  const { $schema: _s, description: _d, type: _t, default: _default, ...range } = numberShorthand ? zodJson(options.shape[numberShorthand] as z.ZodType) : {};
  const required = partial ? [] : requiredKeys(options);
  const keys = { properties: propertiesOf(options, where, partial), additionalProperties: false, ...(required.length > 0 ? { required } : {}) };
  return { type: types.length === 1 ? types[0] : types, ...docOf(schema, where), ...range, ...keys };
}

const propertiesOf = (options: z.ZodObject, where: string, partial: boolean): Json =>
  Object.fromEntries(keysOf(options).map(([k, s]) => [k, optionSchema(s, `${where}.${k}`, partial)]));

/** The definitions, in the order first referenced: a family's base and override forms (each made when used), then its kinds' keys. */
let definitions = new Map<string, Json | undefined>();

function defined(name: string, make: () => Json): Json {
  if (definitions.get(name) === undefined) definitions.set(name, make());
  return ref(name);
}

function familyRef(schema: z.ZodType, partial: boolean): Json {
  const family = familyOf(schema)!;
  if (!definitions.has(family.name)) {
    const kinds = family.keysFrom === undefined ? family.kinds : [];
    for (const name of [family.name, `${family.name}Override`, ...kinds.map(kind => `${family.name}.${kind}`)]) definitions.set(name, undefined);
    for (const kind of kinds) {
      // One kind's keys, closed: `type` plus its options (no `required`: that depends on base vs override).
      const properties = propertiesOf(kindOptions(schema, kind)!, `${family.name} '${kind}'`, true);
      definitions.set(`${family.name}.${kind}`, { type: 'object', properties: { type: { const: kind }, ...properties }, additionalProperties: false });
    }
  }
  return defined(partial ? `${family.name}Override` : family.name, () => familySchema(schema, partial));
}

/** The kind's name alone; in a base experiment, a kind's description says when it needs keys a name cannot give (a variant may inherit them). */
function nameAlone(schema: z.ZodType, partial: boolean, description?: string): Json {
  const { noun, kinds } = familyOf(schema)!;
  const text = description ?? `${/^[aeiou]/i.test(noun) ? 'An' : 'A'} ${noun}'s name alone: that ${noun} with its default settings.`;
  const docs = kinds.map(kind => {
    const required = needs(schema, kind, partial);
    return kindOptions(schema, kind)!.description! + (required.length > 0 ? ` Needs ${required.map(code).join(' and ')}, which a name alone cannot give.` : '');
  });
  return { type: 'string', enum: [...kinds], ...described(text), markdownEnumDescriptions: docs };
}

/**
 * A name or an object (or null, for an optional section). Not `anyOf: [name, object]`: when both branches fail, the
 * language service reports the one that scored higher, and a half-typed object scores no better than a string. So the
 * anyOf only says "a string must be a known name", and the object's rules apply through `if: object`. An override
 * requires nothing, and one without `type` keeps the base's kind, which the schema cannot see: it must fit some kind's keys.
 */
function familySchema(schema: z.ZodType, partial: boolean): Json {
  const family = familyOf(schema)!;
  const keys = family.kinds.map(kind => ref(`${family.keysFrom ?? family.name}.${kind}`));
  const branches: Json[] = family.kinds.map((kind, i) => {
    const required = needs(schema, kind, partial);
    return { if: { properties: { type: { const: kind } }, required: ['type'] }, then: required.length > 0 ? { allOf: [keys[i]], required } : keys[i] };
  });
  if (partial) branches.push({ if: { required: ['type'] }, else: { anyOf: keys } });
  const which = described(`Which ${family.noun}: one of ${family.kinds.map(code).join(', ')}.`);
  const docs = family.kinds.map(kind => kindOptions(schema, kind)!.description!);
  const type = { type: 'string', ...which, enum: [...family.kinds], markdownEnumDescriptions: docs };
  const object = { properties: { type }, ...(partial ? {} : { required: ['type'] }), allOf: branches };
  return { ...described(family.description), ...nameOrObject(nameAlone(schema, partial), object, family.nullable) };
}

function nameOrObject(names: Json, object: Json, nullable = false): Json {
  return { type: ['string', 'object', ...(nullable ? ['null'] : [])], anyOf: [names, { not: { type: 'string' } }], if: { type: 'object' }, then: object };
}

/** `init`: an initializer name (the weights'), or { weight, bias }. */
function initSchema(partial: boolean): Json {
  const initializer = (core(SECTIONS.init) as z.ZodObject).shape.weight as z.ZodType;
  const part = (role: string): Json => ({ description: `How to initialize the ${role}.`, ...familyRef(initializer, partial) });
  const names = nameAlone(initializer, partial, "An initializer's name alone: the weights' initializer, with its default settings (the biases keep theirs).");
  const object = { properties: { weight: part('weights'), bias: part('biases') }, additionalProperties: false };
  return { ...docOf(SECTIONS.init, 'init'), ...nameOrObject(names, object) };
}

/** The sections of an experiment; in a variant (`partial`) every part is an override. */
function sections(partial: boolean): Json {
  const section = (key: SectionKey): Json => {
    const schema: z.ZodType = SECTIONS[key];
    if (familyOf(schema)) return familyRef(schema, partial);
    if (key === 'init') return defined(partial ? 'initOverride' : 'init', () => initSchema(partial));
    if (key === 'model') return optionSchema(schema, key, partial);
    if (core(schema)._zod.def.type === 'string') return { type: 'string', ...docOf(schema, key) };
    return groupSchema(schema, key, partial, key !== 'training');
  };
  return Object.fromEntries((partial ? VARIANT_KEYS : (Object.keys(SECTIONS) as SectionKey[])).map(key => [key, section(key)]));
}

export function buildExperimentSchema(): Json {
  definitions = new Map<string, Json | undefined>([['init', undefined], ['initOverride', undefined]]);
  const properties = {
    ...sections(false),
    variants: {
      type: 'object',
      description:
        'Named variants of this experiment: each overrides parts of it. Objects merge key by key; lists and values replace; a different "type" replaces the whole object; null removes a part.',
      markdownDescription:
        "Named variants of this experiment, each run and compared separately. A variant overrides parts of the experiment: objects merge key by key, lists and values replace, an object with a different `type` replaces the base's wholesale (switching `sgd` → `adam` inherits nothing), and `null` removes an optional part (a schedule, clipping, ...).",
      propertyNames: { minLength: 1 },
      additionalProperties: { type: 'object', properties: sections(true), additionalProperties: false },
    },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://trainscope.invalid/schemas/experiment.schema.json',
    title: 'Trainscope experiment',
    description:
      'A neural-network training experiment (*.experiment.json): data, model, initialization, loss, optimizer, schedules, training, checkpoints, probes and diagnostics, and variants to compare.',
    type: 'object',
    definitions: Object.fromEntries([...definitions].filter(([, definition]) => definition !== undefined)),
    properties,
    required: ['data', 'model', 'optimizer'],
    additionalProperties: false,
  };
}
