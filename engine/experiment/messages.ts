/**
 * Turns what the schemas reject (zod's issues) into problems a student can act on, at the exact place in the file: the key and
 * its valid range or choices, what a value of the wrong type should look like, "did you mean" for a misspelt key or kind, and
 * which kind a misplaced key belongs to. What a message needs beyond the issue comes from the schema at the issue's path.
 */
import type * as z from 'zod';
import type { JsonPath } from '../core/errors';
import type { OrderIssueParams } from '../core/lists';
import { aboutOf, core, defaultOf, familyOf, hasWrapper, kindOptions, own, type About } from '../core/options';
import type { Reporter } from './problems';
import { get, nearest, plain, type SrcObject, type SrcProp, type SrcValue } from './source';
import { TYPE_KEY_ALIASES } from './aliases';
import { didYouMean, suggest, suggestionFix, type AliasMode } from './suggest';
import { objectSchema, schemasAlong, typeOf } from './walk';

/** Reports each of a section's issues at its place below `node` (the section's value). */
export function reportIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, node: SrcValue, key: string, report: Reporter): void {
  for (const issue of issues) reportIssue(issue, new Place(schema, node, key, issue.path as JsonPath), report);
}

/** Where an issue is: the schema at its path, and the value's node or the nearest one that exists. */
class Place {
  readonly schema: z.ZodType | undefined;
  /** A shorthand's string, or a missing key's object, stands for a value that is not written. */
  readonly node: SrcValue;

  constructor(private readonly root: z.ZodType, private readonly rootNode: SrcValue, private readonly sectionKey: string, readonly path: JsonPath) {
    this.schema = schemasAlong(root, rootNode, path).at(-1);
    this.node = nearest(rootNode, path);
  }

  get parent(): Place {
    return new Place(this.root, this.rootNode, this.sectionKey, this.path.slice(0, -1));
  }

  /** A place below this value as `schema` (one form of a union) sees it: "target[1]" of a list of column names. */
  within(schema: z.ZodType, path: JsonPath): Place {
    return new Place(schema, this.node, this.key, path);
  }

  /** A value that is not written: a missing key, or a key of a shorthand's string. */
  get absent(): boolean {
    return this.path.length > 0 && this.node === this.parent.node;
  }

  /** What is known of the list this value is an item of, if it is one. */
  get list(): About | undefined {
    return typeof this.path.at(-1) === 'number' && this.parent.schema ? aboutOf(this.parent.schema) : undefined;
  }

  /** How messages name the value: its key, "betas[0]" for a list item, the section's key at the top. */
  get key(): string {
    const last = this.path.at(-1);
    return last === undefined ? this.sectionKey : typeof last === 'string' ? last : `${this.parent.key}[${last}]`;
  }
}

function reportIssue(issue: z.core.$ZodIssue, at: Place, report: Reporter): void {
  switch (issue.code) {
    case 'invalid_type':
      return at.absent ? missingKey(at, report) : wrongType(at, report);
    case 'too_small':
    case 'too_big':
      return outOfRange(issue, at, report);
    case 'invalid_value':
      return badChoice(issue.values, at, report);
    case 'unrecognized_keys':
      return unknownKeys(issue.keys, at, report);
    case 'invalid_union':
      return badUnion(issue, at, report);
    case 'invalid_format':
      return report.value(at.node, `'${at.key}' must not be empty`);
    case 'custom': {
      const params = issue.params as OrderIssueParams | undefined;
      if (!params?.order) return report.value(at.node, issue.message);
      const order = params.order === 'increasing' ? 'increasing' : 'in order (non-decreasing)';
      return report.value(at.node, `'${at.parent.key}' must be ${order}: ${params.value} comes after ${params.previous}`);
    }
    default:
      report.value(at.node, `'${at.key}': ${issue.message}`);
  }
}

/** "a", "a and b", "a, b and c" (or with "or"). */
function sentence(words: string[], last: 'and' | 'or'): string {
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} ${last} ${words[words.length - 1]}`;
}

/** "'key' must be <shape>, not <what the file has>". */
function mustBe(report: Reporter, node: SrcValue, key: string, shape: string, separator = ','): void {
  report.value(node, `'${key}' must be ${shape}${separator} not ${describe(node)}`);
}

/** What an object is called in messages: "optimizer 'adam'", "a linear layer", or its key. */
function whatOf(at: Place): string {
  const family = at.schema && familyOf(at.schema);
  const type = typeOf(at.node);
  return family && type !== undefined ? family.what(type) : at.key;
}

function missingKey(at: Place, report: Reporter): void {
  const hint = at.schema && aboutOf(at.schema).missingHint;
  report.missing(at.parent.node as SrcObject, `${whatOf(at.parent)} needs '${at.key}'${hint ? ` ${hint}` : ''}`);
}

function unknownKeys(keys: readonly string[], at: Place, report: Reporter): void {
  const { node: obj, schema } = at;
  if (obj.kind !== 'object') return;
  const shape = ((schema && objectSchema(schema, obj)?.shape) ?? {}) as Record<string, z.ZodType>;
  const family = schema && familyOf(schema);
  // Keys accepted only for compatibility (torch's implementation switches) are not offered.
  const offered = Object.keys(shape).filter(k => aboutOf(shape[k]).noEffect === undefined && !(family && k === 'type'));
  const what = whatOf(at);
  const moved = family ? [] : misplacedKind(keys, obj, shape, at.key, report);
  for (const key of keys) {
    const prop = obj.props.find(p => p.key === key);
    if (!prop || moved.includes(key)) continue;
    const refusal = own(family?.refusedKeys, key);
    const owners = family ? family.kinds.filter(k => k !== typeOf(obj) && Object.hasOwn(kindOptions(schema!, k)?.shape ?? {}, key)).map(k => `'${k}'`) : [];
    if (refusal !== undefined) report.key(prop, obj, refusal);
    else if (owners.length > 0) {
      const hint = key === 'momentum' && offered.includes('betas') ? ` (its momentum is betas[0], e.g. "betas": [0.9, 0.999])` : '';
      const named = owners.length > 6 ? [...owners.slice(0, 5), `${owners.length - 5} others`] : owners;
      report.key(prop, obj, `'${key}' is not an option of ${what}${hint}; it belongs to ${sentence(named, 'and')}`);
    } else {
      const expected = offered.length > 0 ? `; expected one of: ${offered.join(', ')}` : ` (${what} has no options)`;
      // Only a plain misspelling gets the rename: a refused key or another kind's option needs more than that.
      report.key(prop, obj, `unknown key '${key}' in ${what}${expected}${didYouMean(key, offered, 'key')}`, 'error', suggestionFix(key, offered, 'key'));
    }
  }
}

/**
 * An object of a family written where an object holds them by key (`init`: { weight, bias }): one problem at its `type`, saying
 * where it goes, in place of one per key. Returns the keys it covers.
 */
function misplacedKind(keys: readonly string[], obj: SrcObject, shape: Record<string, z.ZodType>, key: string, report: Reporter): string[] {
  const typeProp = obj.props.find(p => p.key === 'type');
  const holders = Object.keys(shape).filter(k => familyOf(shape[k]));
  if (!typeProp || !keys.includes('type') || holders.length === 0) return [];
  const family = familyOf(shape[holders[0]])!;
  const options = new Set(family.kinds.flatMap(kind => Object.keys(kindOptions(shape[holders[0]], kind)?.shape ?? {})));
  const moved = obj.props.filter(p => keys.includes(p.key) && options.has(p.key));
  const written = (props: SrcProp[]): string => props.map(p => `"${p.key}": ${JSON.stringify(plain(p.value))}`).join(', ');
  // The example stays short: a long object is shown by its type.
  const inner = written(moved).length <= 60 ? written(moved) : `${written([typeProp])}, ...`;
  const others = holders.slice(1).map(k => `"${k}"`);
  const where = `"${holders[0]}"${others.length > 0 ? ` (or ${sentence(others, 'or')})` : ''}`;
  report.key(typeProp, obj, `${/^[aeiou]/.test(family.noun) ? 'an' : 'a'} ${family.noun} object goes under ${where}: "${key}": { "${holders[0]}": { ${inner} } }`);
  return moved.map(p => p.key);
}

/** "a string ('0.1')", "an object", ... */
export function describe(node: SrcValue): string {
  if (node.kind === 'object' || node.kind === 'array') return `an ${node.kind}`;
  if (node.kind === 'string') return `a string ('${node.value as string}')`;
  return node.kind === 'number' ? `the number ${node.value as number}` : String(node.value);
}

/** How many items a list has: "3 numbers", "1 number", "a list of 3". */
function countOf(node: SrcValue): string {
  if (node.kind !== 'array') return describe(node);
  const n = node.items.length;
  if (n === 0) return 'an empty list';
  return node.items.every(item => item.kind === 'number') ? `${n} number${n === 1 ? '' : 's'}` : `a list of ${n}`;
}

/** A list of whole numbers, of numbers, of strings, of choices, a pair: what its value should look like. */
function listShape(schema: z.ZodType): string {
  const def = core(schema)._zod.def as { type: string; element?: z.ZodType };
  if (def.type === 'tuple') return `a pair of numbers like [${((defaultOf(schema) as number[] | undefined) ?? []).join(', ')}]`;
  const element = def.element && core(def.element);
  const family = element && familyOf(element);
  if (family) return `a list of ${family.noun}s`;
  if (element?._zod.def.type === 'enum') return `a list like ["${(element as z.ZodEnum).options[0]}"]`;
  if (element?._zod.def.type === 'string') return 'a list of strings';
  return element?._zod.def.type === 'number' && (element as z.ZodNumber).isInt ? 'a list of whole numbers like [10, 20]' : 'a list of numbers like [1, 2.5]';
}

function wrongType(at: Place, report: Reporter): void {
  const { node, schema, key } = at;
  const inner = schema && core(schema);
  const about = schema ? aboutOf(schema) : {};
  if (about.family) return mustBe(report, node, key, `an object with a "type" (or just the type, e.g. "${about.family.kinds[0]}")`);
  switch (inner?._zod.def.type) {
    case 'object': {
      if (about.example !== undefined) return mustBe(report, node, key, `an object like ${about.example}`);
      if (about.initPair) return mustBe(report, node, key, 'an initializer name (e.g. "xavier_uniform") or an object with "weight" and/or "bias"');
      const keys = Object.keys((inner as z.ZodObject).shape).slice(0, 2);
      const forms = [
        `an object like { ${keys.map(k => `"${k}": ...`).join(', ')} }`,
        about.numberShorthand ? `a number (its ${about.numberShorthand})` : '',
        about.trueShorthand ? 'true (the defaults)' : '',
        hasWrapper(schema!, 'optional') ? 'null (off)' : '',
      ];
      return mustBe(report, node, key, sentence(forms.filter(s => s !== ''), 'or'), ';');
    }
    case 'number':
      return wrongNumber(at, schema!, report);
    case 'boolean':
    case 'string':
      return mustBe(report, node, key, formOf(schema!));
    case 'enum':
      return badChoice((inner as z.ZodEnum).options, at, report);
    case 'array':
    case 'tuple':
      return mustBe(report, node, key, `${formOf(schema!)}${listFromText(node, schema!)}`);
    default:
      report.value(node, `'${key}' has the wrong type: ${describe(node)}`);
  }
}

/** A list of strings written as one string with commas ("cat,dog"): ', like ["cat", "dog"]'. */
function listFromText(node: SrcValue, schema: z.ZodType): string {
  const element = (core(schema)._zod.def as { element?: z.ZodType }).element;
  if (node.kind !== 'string' || !element || core(element)._zod.def.type !== 'string' || !(node.value as string).includes(',')) return '';
  const items = (node.value as string).split(',').map(item => item.trim()).filter(item => item !== '');
  return ` like [${items.map(item => JSON.stringify(item)).join(', ')}]`;
}

function wrongNumber(at: Place, schema: z.ZodType, report: Reporter): void {
  const { node, key } = at;
  // JSON has no infinity: a number too large for a double (1e309) reads as Infinity.
  if (node.kind === 'number' && !Number.isFinite(node.value)) {
    const positive = (node.value as number) > 0;
    const inf = aboutOf(schema).infinity && positive ? '; for infinity, write "inf"' : '';
    return report.value(node, `'${key}' is too large${positive ? '' : ' in size'}: the number written overflows to ${node.value as number}${inf}`);
  }
  if (node.kind === 'number' && (core(schema) as z.ZodNumber).isInt) return report.value(node, `'${key}' must be a whole number, not ${node.value as number}`);
  const quoted = node.kind === 'string' ? (node.value as string).trim() : '';
  if (quoted !== '' && Number.isFinite(Number(quoted))) return report.value(node, `'${key}' must be a number, not a string: write ${quoted} without quotes`);
  const forms = ['a number', hasWrapper(schema, 'nullable') ? 'null' : '', aboutOf(schema).infinity ? '"inf"' : ''];
  mustBe(report, node, key, forms.filter(s => s !== '').join(' or '));
}

function outOfRange(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, at: Place, report: Reporter): void {
  const { node, key, schema } = at;
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'string') return report.value(node, `'${key}' must not be empty`);
  if (issue.origin === 'array') {
    if (schema && core(schema)._zod.def.type === 'tuple') return report.value(node, `'${key}' must be ${listShape(schema)}, not ${countOf(node)}`);
    if (at.path.length === 0 && key === 'model' && bound === 1) return report.value(node, `the model has no layers; add at least { "type": "linear" }`);
    const element = schema && (core(schema)._zod.def as { element?: z.ZodType }).element;
    const noun = (element && familyOf(element)?.noun) ?? 'item';
    return report.value(node, `'${key}' needs at least ${bound} ${noun}${bound === 1 ? '' : 's'}`);
  }
  const about = schema ? aboutOf(schema) : {};
  // The range of a pair's items is explained by the pair.
  const hint = about.rangeHint ?? at.list?.rangeHint;
  const v = node.kind === 'number' ? (node.value as number) : Number(issue.input);
  // The quick fix: the option's default (PyTorch's value, a sensible choice), else the bound it crossed if that is allowed.
  const fallback = schema && defaultOf(schema);
  const useDefault = typeof fallback === 'number' && Number.isFinite(fallback);
  const [name, value] = useDefault ? ['default', fallback] : [small ? 'minimum' : 'maximum', bound];
  const fixable = node.kind === 'number' && schema !== undefined && (useDefault || (issue.inclusive && Number.isFinite(bound)));
  const relation = small ? (issue.inclusive ? 'at least' : 'greater than') : issue.inclusive ? 'at most' : 'less than';
  const message =
    !small && about.limitReason
      ? `'${key}' is ${v}, above the limit of ${bound} (${about.limitReason})`
      : `'${key}' must be ${relation} ${bound}, not ${v}${hint ? ` (${hint})` : ''}`;
  report.value(node, message, 'error', fixable ? { title: `Change to the ${name}, ${value}`, text: String(value) } : undefined);
}

function badChoice(values: readonly unknown[], at: Place, report: Reporter): void {
  const { node, key, schema } = at;
  if (schema && core(schema)._zod.def.type === 'literal' && values.length === 1 && typeof values[0] === 'number') {
    return node.kind === 'number' ? report.value(node, `'${key}' can only be ${values[0]} here, not ${node.value as number}`) : wrongNumber(at, schema, report);
  }
  // An item of a list of choices is named by what one item is ("diagnostic rule").
  unknownChoice(node, at.list?.itemNoun ?? key, values.map(String), schema && aboutOf(schema).refusedChoices, false, report);
}

/** A string from a closed set: "unknown nonlinearity 'rellu'; expected one of: ... (did you mean 'relu'?)". */
function unknownChoice(node: SrcValue, what: string, choices: readonly string[], refusals: About['refusedChoices'], mode: AliasMode, report: Reporter): void {
  if (node.kind !== 'string') return mustBe(report, node, what, `one of: ${choices.join(', ')}`, ';');
  const value = node.value as string;
  const refusal = own(refusals, value);
  if (refusal !== undefined) return report.value(node, refusal);
  const message = `unknown ${what} '${value}'; expected one of: ${choices.join(', ')}${didYouMean(value, choices, mode)}`;
  report.value(node, message, 'error', suggestionFix(value, choices, mode));
}

function badUnion(issue: z.core.$ZodIssueInvalidUnion, at: Place, report: Reporter): void {
  if ((issue as { note?: string }).note === 'No matching discriminator') return unknownKind(at.parent, report);
  if (at.absent) return missingKey(at, report);
  // A value of several forms: the errors of the form it has (a list with a bad item), at their place, else what the forms are.
  const forms = at.schema ? unionForms(at.schema) : [];
  const matching = issue.errors.findIndex(branch => branch.every(i => !(i.code === 'invalid_type' && i.path.length === 0) && i.code !== 'invalid_value'));
  if (matching >= 0 && at.node.kind !== 'string') {
    // Issues of the value itself keep the union's place: its default and range hint are the union's.
    for (const inner of issue.errors[matching]) reportIssue(inner, inner.path.length === 0 || !forms[matching] ? at : at.within(forms[matching], inner.path as JsonPath), report);
    return;
  }
  if (!at.schema) return;
  // A number or "inf": a quoted number gets its own advice.
  if (forms.some(form => core(form)._zod.def.type === 'number')) return wrongNumber(at, at.schema, report);
  const hint = aboutOf(at.schema).missingHint;
  mustBe(report, at.node, at.key, `${sentence(forms.map(formOf), 'or')}${hint ? ` ${hint}` : ''}`);
}

/** The forms a union's value may take. */
const unionForms = (schema: z.ZodType): z.ZodType[] => ((core(schema)._zod.def as { options?: z.ZodType[] }).options ?? []);

/** A value's form as "'key' must be ..." says it (a union's each form): "a string", "a list of strings". */
function formOf(schema: z.ZodType): string {
  const inner = core(schema);
  switch (inner._zod.def.type) {
    case 'string':
      return 'a string';
    case 'number':
      return (inner as z.ZodNumber).isInt ? 'a whole number' : 'a number';
    case 'boolean':
      return 'true or false';
    case 'literal':
      return (inner as z.ZodLiteral).values.size === 1 ? JSON.stringify([...(inner as z.ZodLiteral).values][0]) : 'one of its values';
    case 'array':
    case 'tuple':
      return listShape(schema);
    case 'enum':
      return `one of ${(inner as z.ZodEnum).options.join(', ')}`;
    default:
      return inner._zod.def.type === 'object' ? 'an object' : `a ${inner._zod.def.type}`;
  }
}

/** An object of a family without a usable `type`. */
function unknownKind(at: Place, report: Reporter): void {
  const family = at.schema && familyOf(at.schema);
  const obj = at.node;
  if (!family || obj.kind !== 'object') return;
  const typeNode = get(obj, 'type');
  if (!typeNode) {
    const message = `'${at.key}' needs a "type": one of ${family.kinds.join(', ')}`;
    // The kind named under another key ("Type", "kind", "name"): said at that key, with the rename.
    const named = obj.props.find(p => p.value.kind === 'string' && (TYPE_KEY_ALIASES.includes(p.key.toLowerCase()) || suggest(p.key, ['type']) === 'type'));
    if (named) return report.key(named, obj, `unknown key '${named.key}': ${message} (did you mean 'type'?)`, 'error', { title: "Change to 'type'", text: '"type"' });
    return report.missing(obj, message);
  }
  unknownChoice(typeNode, family.label, family.kinds, family.refusedKinds, 'type', report);
}
