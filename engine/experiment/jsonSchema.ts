/**
 * Builds schemas/experiment.schema.json (JSON Schema draft-07, for VS Code's completion, hovers and
 * first-line checks) from the same schemas the validator uses: zod's own JSON Schema of each
 * option, arranged the way VS Code's JSON language service completes well. Run by the build
 * (scripts/generate.mjs); a test checks that the committed file is current.
 *
 * A family (a data set, a layer, an optimizer, ...) is NOT one closed `oneOf` branch per kind: the
 * language service reports the errors of the closest branch, so a misspelt `"type": "sgdd"` came
 * out as `Value must be "sgd".` Instead `type` is one property with an `enum` of every kind, and
 * each kind's keys apply through `allOf: [{ if: <type is K>, then: <K's keys> }]`; the service also
 * completes keys from the `then` that applies. Draft-07 has no `unevaluatedProperties`, so each
 * kind's keys live in one closed subschema (definitions/<family>.<kind>) that lists `type` too.
 */
import * as z from 'zod';
import { aboutOf, core, familyOf, hasWrapper, kindOptions, type FamilyInfo } from '../core/options';
import { SECTIONS, VARIANT_KEYS } from './sections';

type Json = Record<string, unknown>;

/** { description, markdownDescription } — the latter only when the text has markdown to render. */
function described(text: string, markdown?: string): Json {
  if (markdown !== undefined) return { description: plainText(text), markdownDescription: markdown };
  return /[`*]/.test(text) ? { description: plainText(text), markdownDescription: text } : { description: text };
}

function plainText(markdown: string): string {
  return markdown.replace(/[`*]/g, '');
}

/** A schema's documentation; every option must have one (a missing text is a bug, not a blank hover). */
function docOf(schema: z.ZodType, where: string): Json {
  const about = aboutOf(schema);
  if (about.description === undefined) throw new Error(`jsonSchema.ts: no documentation for ${where}`);
  return described(about.description, about.markdown);
}

const ref = (name: string): Json => ({ $ref: `#/definitions/${name}` });
const overrideName = (name: string): string => `${name}Override`;
const keysName = (family: FamilyInfo, kind: string): string => `${family.keysFrom ?? family.name}.${kind}`;
const article = (noun: string): string => (/^[aeiou]/i.test(noun) ? 'An' : 'A');
const code = (words: readonly string[]): string => words.map(w => `\`${w}\``).join(', ');
const listed = (words: readonly string[]): string => (words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`);

/** zod's JSON Schema of a plain option (a number, a choice, a list), with the editor's markdown. */
function plainOption(schema: z.ZodType, where: string): Json {
  const { $schema: _drop, description: _description, ...json } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Json;
  // Accepted for compatibility only (torch's implementation switches): understood, never offered.
  const hidden = aboutOf(schema).noEffect !== undefined ? { doNotSuggest: true } : {};
  return { ...docOf(schema, where), ...json, ...hidden };
}

/** The options of an object, closed; `partial`: in a variant's override, where nothing is required. */
function objectKeys(options: z.ZodObject, where: string, partial: boolean): Json {
  const shape = options.shape as Record<string, z.ZodType>;
  const properties = Object.fromEntries(
    Object.entries(shape)
      .filter(([k]) => k !== 'type')
      .map(([k, s]) => [k, optionSchema(s, `${where}.${k}`, partial)]),
  );
  const required = partial ? [] : requiredKeys(options);
  return { properties, additionalProperties: false, ...(required.length > 0 ? { required } : {}) };
}

function requiredKeys(options: z.ZodObject): string[] {
  return Object.entries(options.shape as Record<string, z.ZodType>)
    .filter(([key, s]) => key !== 'type' && !hasWrapper(s, 'optional') && !hasWrapper(s, 'default'))
    .map(([key]) => key);
}

/** An option's schema, by what it is. */
function optionSchema(schema: z.ZodType, where: string, partial: boolean): Json {
  const about = aboutOf(schema);
  const family = familyOf(schema);
  // A nested object of a family merges key by key in a variant, so it may leave out what it inherits.
  if (family) return { ...docOf(schema, where), ...ref(overrideName(family.name)) };
  if (about.initPair) return { ...docOf(schema, where), ...ref('init') };
  const inner = core(schema);
  const def = inner._zod.def as { type: string; element?: z.ZodType };
  if (def.type === 'array' && def.element && familyOf(def.element)) {
    // A list of a family's objects (sequential's schedulers); a variant replaces the whole list.
    const { minItems } = z.toJSONSchema(inner, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Json;
    return { type: 'array', ...docOf(schema, where), items: ref(familyOf(def.element)!.name), ...(minItems !== undefined ? { minItems } : {}) };
  }
  if (def.type === 'object') return groupSchema(schema, where, partial);
  return plainOption(schema, where);
}

/** A group of keys under its own name: closed, or null (off), or its shorthand (a number, true). */
function groupSchema(schema: z.ZodType, where: string, partial: boolean, nullable = true): Json {
  const about = aboutOf(schema);
  const options = core(schema) as z.ZodObject;
  const types = ['object'];
  if (nullable) types.push('null');
  const s: Json = { type: types, ...docOf(schema, where) };
  if (about.numberShorthand !== undefined) {
    types.push('number');
    // The number's range is that of the key it stands for (keywords for numbers ignore objects).
    const { type: _type, description: _d, markdownDescription: _m, default: _default, ...range } = plainOption(options.shape[about.numberShorthand] as z.ZodType, where);
    Object.assign(s, range);
  }
  if (about.trueShorthand) types.push('boolean');
  if (types.length === 1) s.type = types[0];
  return { ...s, ...objectKeys(options, where, partial) };
}

// ---- families -----------------------------------------------------------------------------------

function kindDoc(schema: z.ZodType, kind: string): string {
  const text = aboutOf(kindOptions(schema, kind)!).description;
  if (text === undefined) throw new Error(`jsonSchema.ts: no documentation for kind '${kind}'`);
  return text;
}

/** One kind's keys, closed: `type` plus its options (no `required`: that depends on base vs override). */
function kindKeys(schema: z.ZodType, family: FamilyInfo, kind: string): Json {
  const options = kindOptions(schema, kind)!;
  const { properties } = objectKeys(options, `${family.name} '${kind}'`, true) as { properties: Json };
  return { type: 'object', properties: { type: { const: kind }, ...properties }, additionalProperties: false };
}

/**
 * The kind's name alone. In a base experiment, a kind with required keys cannot be written that
 * way, and its description says so (the schema still accepts the name: a variant may write it and
 * inherit the keys).
 */
function nameAlone(schema: z.ZodType, family: FamilyInfo, partial: boolean, description = `${article(family.noun)} ${family.noun}'s name alone: that ${family.noun} with its default settings.`): Json {
  return {
    type: 'string',
    enum: [...family.kinds],
    ...described(description),
    markdownEnumDescriptions: family.kinds.map(kind => {
      const required = requiredKeys(kindOptions(schema, kind)!);
      if (partial || required.length === 0) return kindDoc(schema, kind);
      return `${kindDoc(schema, kind)} Needs ${listed(required.map(k => `\`${k}\``))}, which a name alone cannot give.`;
    }),
  };
}

/**
 * The object form. In an override nothing is required, and an object without `type` keeps the
 * base's kind, which the schema cannot see: it must fit some kind's keys.
 */
function typedObject(schema: z.ZodType, family: FamilyInfo, partial: boolean): Json {
  const branches: Json[] = family.kinds.map(kind => {
    const required = requiredKeys(kindOptions(schema, kind)!);
    return {
      if: { properties: { type: { const: kind } }, required: ['type'] },
      then: !partial && required.length > 0 ? { allOf: [ref(keysName(family, kind))], required } : ref(keysName(family, kind)),
    };
  });
  if (partial) branches.push({ if: { required: ['type'] }, else: { anyOf: family.kinds.map(kind => ref(keysName(family, kind))) } });
  const typeProperty = {
    type: 'string',
    ...described(`Which ${family.noun}: one of ${code(family.kinds)}.`),
    enum: [...family.kinds],
    markdownEnumDescriptions: family.kinds.map(kind => kindDoc(schema, kind)),
  };
  return { properties: { type: typeProperty }, ...(partial ? {} : { required: ['type'] }), allOf: branches };
}

/**
 * A name or an object (or null, for an optional section). Not `anyOf: [name, object]`: when both
 * branches fail, the language service reports the one that scored higher, and a half-typed object
 * scores no better than the string branch. So the anyOf only says "a string must be a known name",
 * and the object's rules apply through `if: object`.
 */
function nameOrObject(names: Json, object: Json, nullable = false): Json {
  return {
    type: nullable ? ['string', 'object', 'null'] : ['string', 'object'],
    anyOf: [names, { not: { type: 'string' } }],
    if: { type: 'object' },
    then: object,
  };
}

function familySchema(schema: z.ZodType, family: FamilyInfo, partial: boolean): Json {
  return { ...described(family.description), ...nameOrObject(nameAlone(schema, family, partial), typedObject(schema, family, partial), family.nullable) };
}

/** A family's definitions: itself (base and override, as asked) and each kind's closed keys. */
function familyDefinitions(schema: z.ZodType, forms: { base: boolean; override: boolean }): Json {
  const family = familyOf(schema)!;
  const defs: Json = {};
  if (forms.base) defs[family.name] = familySchema(schema, family, false);
  if (forms.override) defs[overrideName(family.name)] = familySchema(schema, family, true);
  if (family.keysFrom === undefined) for (const kind of family.kinds) defs[keysName(family, kind)] = kindKeys(schema, family, kind);
  return defs;
}

/**
 * Every family used anywhere below `schema`, with the forms it is used in: `base` where a whole
 * object is written (a list's item, a section in the base), `override` where a variant may merge
 * into it key by key (a section in a variant, a family's object nested in another's).
 */
function familiesBelow(schema: z.ZodType, into: Map<string, { schema: z.ZodType; base: boolean; override: boolean }>, form: 'base' | 'override' | 'both'): void {
  const family = familyOf(schema);
  if (family) {
    const entry = into.get(family.name) ?? { schema, base: false, override: false };
    const seen = entry.base || entry.override;
    if (form !== 'override') entry.base = true;
    if (form !== 'base') entry.override = true;
    into.set(family.name, entry);
    if (seen) return;
    for (const kind of family.kinds) {
      for (const option of Object.values(kindOptions(schema, kind)!.shape as Record<string, z.ZodType>)) familiesBelow(option, into, 'override');
    }
    return;
  }
  const inner = core(schema);
  const def = inner._zod.def as { type: string; element?: z.ZodType };
  if (def.type === 'array' && def.element) familiesBelow(def.element, into, 'base');
  if (def.type === 'object') for (const option of Object.values((inner as z.ZodObject).shape as Record<string, z.ZodType>)) familiesBelow(option, into, form);
}

// ---- the file -----------------------------------------------------------------------------------

/** `init`: an initializer name (the weights'), or { weight, bias }. */
function initSchema(partial: boolean): Json {
  const schema = SECTIONS.init;
  const options = core(schema) as z.ZodObject;
  const initializer = options.shape.weight as z.ZodType;
  const family = familyOf(initializer)!;
  const part = (role: 'weights' | 'biases'): Json => ({ description: `How to initialize the ${role}.`, ...ref(partial ? overrideName(family.name) : family.name) });
  return {
    ...docOf(schema, 'init'),
    ...nameOrObject(
      nameAlone(initializer, family, partial, "An initializer's name alone: the weights' initializer, with its default settings (the biases keep theirs)."),
      { properties: { weight: part('weights'), bias: part('biases') }, additionalProperties: false },
    ),
  };
}

/** The sections of an experiment; in a variant (`partial`) every part is an override. */
function sections(partial: boolean): Json {
  const out: Json = {};
  for (const key of VARIANT_KEYS) {
    const schema: z.ZodType = SECTIONS[key];
    const family = familyOf(schema);
    if (family) out[key] = ref(partial ? overrideName(family.name) : family.name);
    else if (key === 'init') out[key] = ref(partial ? 'initOverride' : 'init');
    else if (key === 'model') out[key] = { type: 'array', ...docOf(schema, key), items: ref(familyOf(SECTIONS.model.element)!.name), minItems: 1 };
    else if (key === 'description') out[key] = { type: 'string', ...docOf(schema, key) };
    else out[key] = groupSchema(schema, key, partial, key !== 'training');
  }
  return out;
}

export function buildExperimentSchema(): Json {
  const families = new Map<string, { schema: z.ZodType; base: boolean; override: boolean }>();
  // Sections are written whole in the base and merged into in a variant: both forms.
  for (const key of VARIANT_KEYS) familiesBelow(SECTIONS[key], families, 'both');
  const definitions: Json = { init: initSchema(false), initOverride: initSchema(true) };
  for (const { schema, ...forms } of families.values()) Object.assign(definitions, familyDefinitions(schema, forms));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://trainscope.invalid/schemas/experiment.schema.json',
    title: 'Trainscope experiment',
    description:
      'A neural-network training experiment (*.experiment.json): data, model, initialization, loss, optimizer, schedules, training, checkpoints, probes and diagnostics, and variants to compare.',
    type: 'object',
    definitions,
    properties: {
      $schema: { type: 'string', ...docOf(SECTIONS.$schema, '$schema') },
      name: { type: 'string', ...docOf(SECTIONS.name, 'name') },
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
    },
    required: ['data', 'model', 'optimizer'],
    additionalProperties: false,
  };
}
