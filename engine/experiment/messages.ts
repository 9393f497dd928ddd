/**
 * Turns what the schemas reject (zod's issues) into problems a student can act on, at the exact
 * place in the file: the key and its valid range or choices, what a value of the wrong type should
 * look like, "did you mean" for a misspelt key or kind, and which kind a misplaced key belongs to.
 * What a message needs beyond the issue comes from the schema at the issue's path.
 */
import type * as z from 'zod';
import type { JsonPath } from '../core/errors';
import type { OrderIssueParams } from '../core/lists';
import { aboutOf, core, defaultOf, familyOf, hasWrapper, kindOptions, type FamilyInfo } from '../core/options';
import type { ProblemFix, Reporter } from './problems';
import { get, type SrcObject, type SrcValue } from './source';
import { didYouMean, suggestionFix } from './suggest';
import { childNode, objectSchema, schemasAlong, typeOf } from './walk';

type Issue = z.core.$ZodIssue;

/** Reports each of a section's issues at its place below `node` (the section's value). */
export function reportIssues(issues: readonly Issue[], schema: z.ZodType, node: SrcValue, key: string, report: Reporter): void {
  for (const issue of issues) reportIssue(issue, new Place(schema, node, key, issue.path as JsonPath), report);
}

/** Where an issue is: the schemas and source nodes along its path. */
class Place {
  readonly schemas: (z.ZodType | undefined)[];
  readonly nodes: (SrcValue | undefined)[];

  constructor(
    root: z.ZodType,
    rootNode: SrcValue,
    private readonly sectionKey: string,
    readonly path: JsonPath,
  ) {
    this.schemas = schemasAlong(root, rootNode, path);
    this.nodes = [rootNode];
    let n: SrcValue | undefined = rootNode;
    for (const segment of path) {
      n = n && childNode(n, segment);
      this.nodes.push(n);
    }
  }

  get schema(): z.ZodType | undefined {
    return this.schemas[this.schemas.length - 1];
  }

  /** The value's node, or the nearest one that exists (a shorthand's string, a missing key's object). */
  get node(): SrcValue {
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i];
      if (n) return n;
    }
    throw new Error('internal: an issue outside the section');
  }

  /** The place one step up. */
  get parent(): Place {
    return new Place(this.schemas[0]!, this.nodes[0]!, this.sectionKey, this.path.slice(0, -1));
  }

  /** How messages name the value: its key, "betas[0]" for a list item, the section's key at the top. */
  get key(): string {
    const last = this.path[this.path.length - 1];
    if (last === undefined) return this.sectionKey;
    if (typeof last === 'string') return last;
    return `${this.parent.key}[${last}]`;
  }
}

function reportIssue(issue: Issue, at: Place, report: Reporter): void {
  switch (issue.code) {
    case 'invalid_type':
      return at.nodes[at.nodes.length - 1] === undefined ? missingKey(at, report) : wrongType(at, report);
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
      report.value(at.node, `'${at.key}' must not be empty`);
      return;
    case 'custom': {
      const params = issue.params as OrderIssueParams | undefined;
      if (params?.order) {
        const order = params.order === 'increasing' ? 'increasing' : 'in order (non-decreasing)';
        report.value(at.node, `'${at.parent.key}' must be ${order}: ${params.value} comes after ${params.previous}`);
        return;
      }
      report.value(at.node, issue.message);
      return;
    }
    default:
      report.value(at.node, `'${at.key}': ${issue.message}`);
  }
}

// ---- keys ---------------------------------------------------------------------------------------

/** What an object is called in messages: "optimizer 'adam'", "a linear layer", or its key. */
function whatOf(at: Place): string {
  const schema = at.schema;
  const family = schema && familyOf(schema);
  const type = typeOf(at.node);
  if (family && type !== undefined) return family.what(type);
  return at.key;
}

function missingKey(at: Place, report: Reporter): void {
  const key = at.key;
  const parent = at.parent;
  const hint = at.schema ? aboutOf(at.schema).missingHint : undefined;
  report.missing(parent.node as SrcObject, `${whatOf(parent)} needs '${key}'${hint ? ` ${hint}` : ''}`);
}

function unknownKeys(keys: readonly string[], at: Place, report: Reporter): void {
  const obj = at.node;
  if (obj.kind !== 'object') return;
  const schema = at.schema;
  const options = schema && objectSchema(schema, obj);
  const shape = (options?.shape ?? {}) as Record<string, z.ZodType>;
  // Keys accepted only for compatibility (torch's implementation switches) are not offered.
  const table = Object.keys(shape).filter(k => aboutOf(shape[k]).noEffect === undefined);
  const family = schema ? familyOf(schema) : undefined;
  const own = family ? table.filter(k => k !== 'type') : table;
  const what = whatOf(at);
  for (const key of keys) {
    const prop = obj.props.find(p => p.key === key);
    if (!prop) continue;
    const refusal = family?.refusedKeys?.[key];
    const message = refusal ?? unknownKeyMessage(key, own, what, family, schema, typeOf(obj));
    // Only a plain misspelling gets the rename: a refused key or another kind's option needs more than that.
    report.key(prop, obj, message, 'error', message.includes('did you mean') ? suggestionFix(key, own, 'key') : undefined);
  }
}

function unknownKeyMessage(key: string, choices: string[], what: string, family: FamilyInfo | undefined, schema: z.ZodType | undefined, type: string | undefined): string {
  if (family && schema) {
    const owners = family.kinds.filter(k => k !== type && key in (kindOptions(schema, k)?.shape ?? {})).map(k => `'${k}'`);
    if (owners.length > 0) {
      const hint = key === 'momentum' && choices.includes('betas') ? ` (its momentum is betas[0], e.g. "betas": [0.9, 0.999])` : '';
      return `'${key}' is not an option of ${what}${hint}; it belongs to ${listed(owners)}`;
    }
  }
  const expected = choices.length > 0 ? `; expected one of: ${choices.join(', ')}` : ` (${what} has no options)`;
  return `unknown key '${key}' in ${what}${expected}${didYouMean(key, choices, 'key')}`;
}

/** "'a'", "'a' and 'b'", "'a', 'b' and 'c'" (at most six, then "and N others"). */
function listed(words: string[]): string {
  if (words.length > 6) return `${words.slice(0, 5).join(', ')} and ${words.length - 5} others`;
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

// ---- values -------------------------------------------------------------------------------------

/** "a string ('0.1')", "an object", ... */
export function describe(node: SrcValue): string {
  switch (node.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return `a string ('${node.value as string}')`;
    case 'number':
      return `the number ${node.value as number}`;
    case 'boolean':
      return `${node.value as boolean}`;
    case 'null':
      return 'null';
  }
}

/** A list of whole numbers, of numbers, of choices, a pair: what its value should look like. */
function listShape(schema: z.ZodType): string {
  const inner = core(schema);
  const def = inner._zod.def as { type: string; element?: z.ZodType; items?: z.ZodType[] };
  if (def.type === 'tuple') {
    const example = (defaultOf(schema) as number[] | undefined) ?? [];
    return `a pair of numbers like [${example.join(', ')}]`;
  }
  const element = def.element ? core(def.element) : undefined;
  const kind = element?._zod.def.type;
  if (element && familyOf(element)) return `a list of ${familyOf(element)!.noun}s`;
  if (kind === 'enum') return `a list like ["${(element as z.ZodEnum).options[0]}"]`;
  if (kind === 'number' && isInteger(element!)) return 'a list of whole numbers like [10, 20]';
  return 'a list of numbers like [1, 2.5]';
}

function isInteger(schema: z.ZodType): boolean {
  return (core(schema) as z.ZodNumber).isInt === true;
}

function wrongType(at: Place, report: Reporter): void {
  const node = at.node;
  const schema = at.schema;
  const key = at.key;
  if (!schema) {
    report.value(node, `'${key}' has the wrong type: ${describe(node)}`);
    return;
  }
  const family = familyOf(schema);
  if (family) {
    report.value(node, `'${key}' must be an object with a "type" (or just the type, e.g. "${family.kinds[0]}"), not ${describe(node)}`);
    return;
  }
  const about = aboutOf(schema);
  const inner = core(schema);
  switch (inner._zod.def.type) {
    case 'object': {
      if (about.example !== undefined) {
        report.value(node, `'${key}' must be an object like ${about.example}, not ${describe(node)}`);
      } else if (about.initPair) {
        report.value(node, `'${key}' must be an initializer name (e.g. "xavier_uniform") or an object with "weight" and/or "bias", not ${describe(node)}`);
      } else {
        const keys = Object.keys((inner as z.ZodObject).shape);
        const forms = [
          `an object like { ${keys.slice(0, 2).map(k => `"${k}": ...`).join(', ')} }`,
          about.numberShorthand ? `a number (its ${about.numberShorthand})` : '',
          about.trueShorthand ? 'true (the defaults)' : '',
          hasWrapper(schema, 'optional') ? 'null (off)' : '',
        ].filter(s => s !== '');
        const sentence = forms.length === 1 ? forms[0] : `${forms.slice(0, -1).join(', ')} or ${forms[forms.length - 1]}`;
        report.value(node, `'${key}' must be ${sentence}; not ${describe(node)}`);
      }
      return;
    }
    case 'number':
      return wrongNumber(at, schema, report);
    case 'boolean':
      report.value(node, `'${key}' must be true or false, not ${describe(node)}`);
      return;
    case 'string':
      report.value(node, `'${key}' must be a string, not ${describe(node)}`);
      return;
    case 'enum':
      return badChoice((inner as z.ZodEnum).options as string[], at, report);
    case 'array':
    case 'tuple':
      report.value(node, `'${key}' must be ${listShape(schema)}, not ${describe(node)}`);
      return;
    default:
      report.value(node, `'${key}' has the wrong type: ${describe(node)}`);
  }
}

function wrongNumber(at: Place, schema: z.ZodType, report: Reporter): void {
  const node = at.node;
  const key = at.key;
  if (node.kind === 'number' && isInteger(schema)) {
    report.value(node, `'${key}' must be a whole number, not ${node.value as number}`);
    return;
  }
  const quoted = node.kind === 'string' && (node.value as string).trim() !== '' && Number.isFinite(Number(node.value));
  if (quoted) {
    report.value(node, `'${key}' must be a number, not a string: write ${(node.value as string).trim()} without quotes`);
    return;
  }
  const also = [hasWrapper(schema, 'nullable') ? 'null' : '', aboutOf(schema).infinity ? '"inf"' : ''].filter(s => s !== '');
  report.value(node, `'${key}' must be a number${also.length > 0 ? ` or ${also.join(' or ')}` : ''}, not ${describe(node)}`);
}

function outOfRange(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, at: Place, report: Reporter): void {
  const node = at.node;
  const key = at.key;
  const schema = at.schema;
  if (issue.origin === 'string') {
    report.value(node, `'${key}' must not be empty`);
    return;
  }
  if (issue.origin === 'array') {
    if (schema && core(schema)._zod.def.type === 'tuple') {
      report.value(node, `'${key}' must be ${listShape(schema)}, not ${describe(node)}`);
      return;
    }
    const n = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
    if (at.path.length === 0 && key === 'model' && n === 1) {
      report.value(node, `the model has no layers; add at least { "type": "linear" }`);
      return;
    }
    const element = schema && (core(schema)._zod.def as { element?: z.ZodType }).element;
    const noun = (element && familyOf(element)?.noun) ?? 'item';
    report.value(node, `'${key}' needs at least ${n} ${noun}${n === 1 ? '' : 's'}`);
    return;
  }
  const about = schema ? aboutOf(schema) : {};
  // The range of a pair's items is explained by the pair.
  const hint = about.rangeHint ?? (typeof at.path[at.path.length - 1] === 'number' && at.parent.schema ? aboutOf(at.parent.schema).rangeHint : undefined);
  const v = node.kind === 'number' ? (node.value as number) : Number(issue.input);
  const suffix = hint ? ` (${hint})` : '';
  const fix = node.kind === 'number' && schema ? inRangeFix(issue, schema) : undefined;
  if (issue.code === 'too_small') {
    report.value(node, `'${key}' must be ${issue.inclusive ? 'at least' : 'greater than'} ${Number(issue.minimum)}, not ${v}${suffix}`, 'error', fix);
  } else if (about.limitReason) {
    report.value(node, `'${key}' is ${v}, above the limit of ${Number(issue.maximum)} (${about.limitReason})`, 'error', fix);
  } else {
    report.value(node, `'${key}' must be ${issue.inclusive ? 'at most' : 'less than'} ${Number(issue.maximum)}, not ${v}${suffix}`, 'error', fix);
  }
}

/**
 * The quick fix of a number out of its range: the option's default when it has one (PyTorch's
 * value, a sensible choice), else the bound it crossed when the bound itself is allowed.
 */
function inRangeFix(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, schema: z.ZodType): ProblemFix | undefined {
  const fallback = defaultOf(schema);
  if (typeof fallback === 'number' && Number.isFinite(fallback)) return { title: `Change to the default, ${fallback}`, text: String(fallback) };
  const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  if (issue.inclusive && Number.isFinite(bound)) return { title: `Change to the ${issue.code === 'too_small' ? 'minimum' : 'maximum'}, ${bound}`, text: String(bound) };
  return undefined;
}

/** A string from a closed set: "unknown nonlinearity 'rellu'; expected one of: ... (did you mean 'relu'?)". */
function badChoice(values: readonly unknown[], at: Place, report: Reporter): void {
  const node = at.node;
  const key = at.key;
  const schema = at.schema;
  const inner = schema ? core(schema) : undefined;
  if (inner?._zod.def.type === 'literal' && values.length === 1 && typeof values[0] === 'number') {
    if (node.kind === 'number') report.value(node, `'${key}' can only be ${values[0]} here, not ${node.value as number}`);
    else wrongNumber(at, schema!, report);
    return;
  }
  const choices = values.map(String);
  // An item of a list of choices is named by what one item is ("diagnostic rule").
  const list = typeof at.path[at.path.length - 1] === 'number' && at.parent.schema ? aboutOf(at.parent.schema).itemNoun : undefined;
  const what = list ?? key;
  if (node.kind !== 'string') {
    report.value(node, `'${what}' must be one of: ${choices.join(', ')}; not ${describe(node)}`);
    return;
  }
  const value = node.value as string;
  const refusal = schema ? aboutOf(schema).refusedChoices?.[value] : undefined;
  if (refusal !== undefined) {
    report.value(node, refusal);
    return;
  }
  report.value(node, `unknown ${what} '${value}'; expected one of: ${choices.join(', ')}${didYouMean(value, choices)}`, 'error', suggestionFix(value, choices));
}

// ---- unions -------------------------------------------------------------------------------------

function badUnion(issue: z.core.$ZodIssueInvalidUnion, at: Place, report: Reporter): void {
  if ((issue as { note?: string }).note === 'No matching discriminator') {
    unknownKind(at.parent, report);
    return;
  }
  // A value of several forms (a number or "inf"): the errors of the form it has, else its type.
  const node = at.node;
  const matching = issue.errors.find(branch => branch.every(i => !(i.code === 'invalid_type' && i.path.length === 0) && i.code !== 'invalid_value'));
  if (matching && node.kind !== 'string') {
    for (const inner of matching) reportIssue(inner, at, report);
    return;
  }
  if (at.schema) wrongNumber(at, at.schema, report);
}

/** An object of a family without a usable `type`. */
function unknownKind(at: Place, report: Reporter): void {
  const schema = at.schema;
  const family = schema && familyOf(schema);
  const obj = at.node;
  if (!family || obj.kind !== 'object') return;
  const where = at.key;
  const typeNode = get(obj, 'type');
  if (!typeNode) {
    report.missing(obj, `'${where}' needs a "type": one of ${family.kinds.join(', ')}`);
    return;
  }
  if (typeNode.kind !== 'string') {
    report.value(typeNode, `'${family.label}' must be one of: ${family.kinds.join(', ')}; not ${describe(typeNode)}`);
    return;
  }
  const type = typeNode.value as string;
  const refusal = family.refusedKinds?.[type];
  if (refusal !== undefined) {
    report.value(typeNode, refusal);
    return;
  }
  report.value(typeNode, `unknown ${family.label} '${type}'; expected one of: ${family.kinds.join(', ')}${didYouMean(type, family.kinds, 'type')}`, 'error', suggestionFix(type, family.kinds, 'type'));
}
