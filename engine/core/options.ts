/**
 * How each part of the engine describes what an experiment file may say about it: a kind (a layer, an optimizer, ...)
 * is a zod object schema whose options carry type, default, range and docs; a family is the kinds that can stand in one
 * place, told apart by their `type`. Types, validation, defaults, JSON Schema and reference all come from these schemas;
 * what messages, shorthands and the editor need beyond zod's vocabulary is registered in `about`.
 */
import * as z from 'zod';

/** What messages, shorthands and the reference know of a schema besides its zod type. */
export interface About {
  /** Said after a range error, to explain the range ("p is the probability of DROPPING a unit"). */
  rangeHint?: string;
  /** Choices torch has that a closed set refuses here, each with the reason ('none' of a training loss). */
  refusedChoices?: Readonly<Record<string, string>>;
  /** Why a maximum exists when it is a practical limit rather than a mathematical one. */
  limitReason?: string;
  /** Said after "X needs 'key'" when the key is missing (an example of a good value). */
  missingHint?: string;
  /** Shown where markdown renders, when the description alone does not say enough. */
  markdown?: string;
  /** An optional group of keys (training's `clip_grad_norm`): a number stands for this one key, `true` for the group with its defaults. */
  numberShorthand?: string;
  trueShorthand?: boolean;
  /** A weight/bias pair of initializers: a string alone is the weights' initializer. */
  initPair?: boolean;
  /** What one item of a list of choices is called in messages ("diagnostic rule"). */
  itemNoun?: string;
  /** The string "inf" is accepted and means Infinity (torch's float('inf')). */
  infinity?: boolean;
  /** An object's rules across its keys (a family's kinds keep theirs in the family). */
  rules?: Rules<never>;
  /** A top-level section: how messages show an example of it ('{ "every": 50 }'). */
  example?: string;
  family?: FamilyInfo;
  /** Accepted for compatibility but ignored: written, the key gets this information (after "'key' "). */
  noEffect?: string;
}

export const about = z.registry<About>();

export function described<T extends z.ZodType>(schema: T, info: About): T {
  about.add(schema, { ...about.get(schema), ...info });
  return schema;
}

/** Reports of a rule across the keys of one object, each at the first of `keys` the file wrote ("bias.type": a nested key). */
export interface RuleReport {
  error(keys: readonly string[], message: string): void;
  warn(keys: readonly string[], message: string): void;
  /** Whether the file wrote this key (rather than leaving it to its default). */
  written(key: string): boolean;
}

/**
 * A check across the keys of one object (nesterov needs momentum; a ≤ b). It sees the valid values
 * (defaults filled in, bad values left out), so it must not assume a key: a key absent from them was
 * written wrongly (or is optional), and a check that depends on it must not take its default; and the values as written.
 */
export type Rules<T> = (values: Partial<T>, report: RuleReport, written: Readonly<Record<string, unknown>>) => void;

export type KindDescriptor = { options: z.ZodObject; rules?: Rules<never> };

/** The object schema of one kind: `type` plus its options, closed, with its documentation. */
export function kind<const T extends string, S extends z.ZodRawShape>(type: T, doc: string, options: S) {
  return z.strictObject({ type: z.literal(type), ...options }).describe(doc);
}

export interface FamilyInfo {
  /** In the JSON Schema's definitions. */
  name: string;
  /** What one of them is called in a sentence: "optimizer", "data set". */
  noun: string;
  /** How an unknown kind is announced: "unknown <label> 'x'". */
  label: string;
  /** One kind in a message: "optimizer 'sgd'", "a linear layer". */
  what(kind: string): string;
  description: string;
  /** The kinds, in the order messages and the reference list them. */
  kinds: readonly string[];
  /** Kinds a family close to this one has but this one refuses, with the reason. */
  refusedKinds?: Readonly<Record<string, string>>;
  /** Keys other kinds' tables have that are refused here with a message of their own. */
  refusedKeys?: Readonly<Record<string, string>>;
  /** The JSON Schema shares each kind's keys with this family's definitions. */
  keysFrom?: string;
  /** The string form (the kind's name alone) is also null: an optional section a variant turns off. */
  nullable?: boolean;
  rules: Readonly<Record<string, Rules<never> | undefined>>;
}

type OutputOf<K extends Record<string, KindDescriptor>> = { [T in keyof K]: z.output<K[T]['options']> }[keyof K];
type InputOf<K extends Record<string, KindDescriptor>> = { [T in keyof K]: z.input<K[T]['options']> }[keyof K];

/** The kinds that can stand in one place, told apart by their `type`. */
export function family<const K extends Record<string, KindDescriptor>>(info: Omit<FamilyInfo, 'kinds' | 'rules'>, kinds: K) {
  const types = Object.keys(kinds) as (keyof K & string)[];
  const full: FamilyInfo = { ...info, kinds: types, rules: Object.fromEntries(types.map(type => [type, kinds[type].rules])) };
  const options = types.map(type => kinds[type].options) as unknown as [z.ZodObject, ...z.ZodObject[]];
  const schema = described(z.discriminatedUnion('type', options).describe(info.description), { family: full }) as unknown as z.ZodType<OutputOf<K>, InputOf<K>>;
  return {
    schema,
    kinds,
    info: full,
    types,
    /** The settings `input` names, every default filled in; throws a ZodError when they are wrong. */
    resolve: (input: InputOf<K>): OutputOf<K> => schema.parse(input),
    // The family as an option of some kind, with its own description (a described copy loses what `about` holds).
    option: (description: string, more: About = {}) => described(schema.describe(description), { ...more, family: full }),
  };
}

/** The schemas a value passes through, outermost first: wrappers (default, optional, nullable, pipes) unwrapped. */
function layers(schema: z.ZodType): z.ZodType[] {
  const def = schema._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
  const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
  return inner ? [schema, ...layers(inner)] : [schema];
}

/** The innermost schema (the number, object, union... under the wrappers). */
export const core = (schema: z.ZodType): z.ZodType => layers(schema).at(-1)!;

/** Everything registered about `schema` and its wrappers (the outermost wins). */
export function aboutOf(schema: z.ZodType): About & { description?: string } {
  return Object.assign({}, ...layers(schema).reverse().flatMap(s => [z.globalRegistry.get(s), about.get(s)])) as About & { description?: string };
}

const wrapper = (schema: z.ZodType, type: 'nullable' | 'optional' | 'default') => layers(schema).find(s => s._zod.def.type === type);

export const hasWrapper = (schema: z.ZodType, type: 'nullable' | 'optional' | 'default'): boolean => wrapper(schema, type) !== undefined;

/** The default a schema gives when its key is left out, if any. */
export function defaultOf(schema: z.ZodType): unknown {
  return structuredClone((wrapper(schema, 'default')?._zod.def as { defaultValue?: unknown } | undefined)?.defaultValue);
}

export const familyOf = (schema: z.ZodType): FamilyInfo | undefined => aboutOf(schema).family;

/** The object schema of a family's kind. */
export function kindOptions(schema: z.ZodType, type: string): z.ZodObject | undefined {
  return ((core(schema) as z.ZodDiscriminatedUnion)._zod.def.options as z.ZodObject[]).find(o => o.shape.type._zod.def.values[0] === type);
}

/**
 * What rules across keys see: the object's valid values, absent keys' defaults filled in, bad ones
 * left out (so one bad value hides no other problem) — in a nested object too, key by key.
 */
export function validValues(options: z.ZodObject, input: Record<string, unknown>): Record<string, unknown> {
  const values = Object.entries(options.shape as Record<string, z.ZodType>).flatMap(([key, schema]) => {
    const parsed = schema.safeParse(input[key]);
    if (parsed.success) return parsed.data !== undefined ? [[key, parsed.data]] : [];
    const inner = core(schema);
    const written = input[key];
    const nested = inner._zod.def.type === 'object' && typeof written === 'object' && written !== null && !Array.isArray(written);
    return nested ? [[key, validValues(inner as z.ZodObject, written as Record<string, unknown>)]] : [];
  });
  return Object.fromEntries(values);
}

/** `record[key]` if the record has it as its own key: a file's "constructor" or "toString" is not Object.prototype's. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * The entry helper of a family whose kinds are created with `(spec, ...Args) => R`: each entry is
 * its options, its `create` and `rules` typed by those options (no cast per kind), and its traits.
 */
export const kindEntries =
  <Args extends unknown[], R>() =>
  <O extends z.ZodObject, const X extends object = object>(options: O, create: (spec: z.output<O>, ...args: Args) => R, traits?: X, rules?: Rules<z.output<O>>) =>
    ({ options, create, rules, ...traits }) as { options: O; create: (spec: z.output<O>, ...args: Args) => R; rules?: Rules<never> } & X;
