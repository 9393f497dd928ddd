/**
 * Checks an object's keys against a field table (fieldTypes.ts): types, ranges, closed sets,
 * lists, nested groups, unknown keys (with a suggestion), required keys; fills in defaults. Every
 * problem is reported, and a key with a bad value is left out of the result (and `ok` is false), so
 * the caller can carry on and find more. Typed objects nested in a field (lookahead's inner
 * optimizer, a sequence of schedules, a layer's `init`) are read by the caller's `nested` reader.
 */
import type {
  EnumListField,
  Field,
  FieldTable,
  IntegerListField,
  NumberField,
  NumberListField,
  ObjectField,
  TypedField,
  TypedListField,
} from './fieldTypes';
import type { Reporter } from './problems';
import { emptyAt, wrap } from './shorthand';
import { get, type SrcObject, type SrcValue } from './source';
import { didYouMean, type AliasMode } from './suggest';

/** Reads the fields that hold typed objects; the validator provides it (typed.ts). */
export interface NestedReader {
  typed(key: string, field: TypedField, node: SrcValue): unknown;
  typedList(key: string, field: TypedListField, node: SrcValue): unknown[] | undefined;
  init(key: string, node: SrcValue): unknown;
}

export interface ReadOptions {
  /** Keys handled by the caller (e.g. `type`); not unknown, not read here. */
  handled?: readonly string[];
  /** "optimizer 'sgd'", "training", ... for messages. */
  what: string;
  /** Other kinds' tables, so a key of the wrong kind gets "belongs to adam" instead of a guess. */
  siblings?: Readonly<Record<string, FieldTable>>;
  /** Keys refused with a message of their own instead of "unknown key". */
  refused?: Readonly<Record<string, string>>;
  nested?: NestedReader;
}

export interface ReadResult {
  /** The values read or defaulted; a key absent without default, or with a bad value, is left out. */
  values: Record<string, unknown>;
  /** No error was reported while reading (warnings do not count). */
  ok: boolean;
}

export function readFields(obj: SrcObject, table: FieldTable, report: Reporter, options: ReadOptions): ReadResult {
  const errorsBefore = report.errors;
  const handled = options.handled ?? [];
  const values: Record<string, unknown> = {};
  for (const p of obj.props) {
    if (handled.includes(p.key)) continue;
    const field = table[p.key];
    if (!field) {
      const refusal = options.refused?.[p.key];
      report.key(p, obj, refusal ?? unknownKeyMessage(p.key, table, handled, options));
      continue;
    }
    const value = checkField(p.key, field, p.value, report, options.nested);
    if (value !== undefined) values[p.key] = value;
  }
  for (const [key, field] of Object.entries(table)) {
    if (get(obj, key)) continue;
    if ('required' in field && field.required) {
      report.missing(obj, `${options.what} needs '${key}'${requiredHint(key, options.what)}`);
    } else if ('default' in field && field.default !== undefined) {
      values[key] = copyDefault(field.default);
    }
  }
  checkListLengths(obj, table, values, report);
  return { values, ok: report.errors === errorsBefore };
}

function unknownKeyMessage(key: string, table: FieldTable, handled: readonly string[], options: ReadOptions): string {
  const choices = [...Object.keys(table), ...handled.filter(h => h !== 'type')];
  const owners = Object.entries(options.siblings ?? {})
    .filter(([, other]) => other[key] !== undefined)
    .map(([kind]) => `'${kind}'`);
  if (owners.length > 0) {
    const hint = key === 'momentum' && table.betas ? ` (its momentum is betas[0], e.g. "betas": [0.9, 0.999])` : '';
    return `'${key}' is not an option of ${options.what}${hint}; it belongs to ${listed(owners)}`;
  }
  const expected = choices.length > 0 ? `; expected one of: ${choices.join(', ')}` : ` (${options.what} has no options)`;
  return `unknown key '${key}' in ${options.what}${expected}${didYouMean(key, choices, 'key')}`;
}

/** "'a'", "'a' and 'b'", "'a', 'b' and 'c'" (at most six, then "and N others"). */
function listed(words: string[]): string {
  if (words.length > 6) return `${words.slice(0, 5).join(', ')} and ${words.length - 5} others`;
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function requiredHint(key: string, what: string): string {
  if (key === 'lr' && what.includes('sgd')) {
    return ' (the learning rate: torch.optim.SGD has no default; e.g. "lr": 0.1)';
  }
  if (key === 'value') return ' (the constant to fill with, e.g. "value": 0.01)';
  if (key === 'path') return ' (the CSV file, relative to this experiment file)';
  if (key === 'target') return ' (the header name of the column to predict)';
  if (key === 'optimizer') return ' (the optimizer it wraps, e.g. "optimizer": { "type": "adam", "lr": 0.001 })';
  return '';
}

/** Defaults are shared table entries: hand out copies of arrays. */
function copyDefault(value: unknown): unknown {
  return Array.isArray(value) ? [...value] : value;
}

export function checkField(key: string, field: Field, node: SrcValue, report: Reporter, nested?: NestedReader): unknown {
  switch (field.kind) {
    case 'number':
      return checkNumber(key, field, node, report);
    case 'boolean':
      if (node.kind !== 'boolean') {
        report.value(node, `'${key}' must be true or false, not ${describe(node)}`);
        return undefined;
      }
      return node.value as boolean;
    case 'string':
      if (node.kind !== 'string') {
        report.value(node, `'${key}' must be a string, not ${describe(node)}`);
        return undefined;
      }
      if ((node.value as string).trim() === '') {
        report.value(node, `'${key}' must not be empty`);
        return undefined;
      }
      return node.value as string;
    case 'enum':
      return checkChoice(key, field.values, node, report);
    case 'enum_list':
      return checkEnumList(key, field, node, report);
    case 'pair': {
      if (node.kind !== 'array' || node.items.length !== 2) {
        report.value(node, `'${key}' must be a pair of numbers like [${field.default.join(', ')}], not ${describe(node)}`);
        return undefined;
      }
      const item: NumberField = {
        kind: 'number',
        minimum: field.minimum,
        maximum: field.maximum,
        exclusiveMaximum: true,
        rangeHint: field.rangeHint,
      };
      const values = node.items.map((n, i) => checkNumber(`${key}[${i}]`, item, n, report));
      return values.every(v => v !== undefined) ? values : undefined;
    }
    case 'integer_list':
      return checkIntegerList(key, field, node, report);
    case 'number_list':
      return checkNumberList(key, field, node, report);
    case 'object':
      return checkObject(key, field, node, report, nested);
    case 'typed':
      return needNested(nested, key).typed(key, field, node);
    case 'typed_list':
      return needNested(nested, key).typedList(key, field, node);
    case 'init':
      return needNested(nested, key).init(key, node);
  }
}

function needNested(nested: NestedReader | undefined, key: string): NestedReader {
  if (!nested) throw new Error(`internal: '${key}' holds typed objects, but no reader for them was given`);
  return nested;
}

/** A string from a closed set: "unknown nonlinearity 'rellu'; expected one of: ... (did you mean 'relu'?)". */
export function checkChoice(
  what: string,
  choices: readonly string[],
  node: SrcValue,
  report: Reporter,
  aliases: AliasMode = false,
): string | undefined {
  if (node.kind !== 'string') {
    report.value(node, `'${what}' must be one of: ${choices.join(', ')}; not ${describe(node)}`);
    return undefined;
  }
  const value = node.value as string;
  if (!choices.includes(value)) {
    report.value(node, `unknown ${what} '${value}'; expected one of: ${choices.join(', ')}${didYouMean(value, choices, aliases)}`);
    return undefined;
  }
  return value;
}

function checkNumber(key: string, field: NumberField, node: SrcValue, report: Reporter): number | null | undefined {
  if (node.kind === 'null' && field.nullable) return null;
  if (node.kind === 'string' && field.infinity && /^\s*\+?inf(inity)?\s*$/i.test(node.value as string)) return Infinity;
  if (node.kind !== 'number') {
    const quoted = node.kind === 'string' && (node.value as string).trim() !== '' && Number.isFinite(Number(node.value));
    const also = [field.nullable ? 'null' : '', field.infinity ? '"inf"' : ''].filter(s => s !== '');
    report.value(
      node,
      quoted
        ? `'${key}' must be a number, not a string: write ${(node.value as string).trim()} without quotes`
        : `'${key}' must be a number${also.length > 0 ? ` or ${also.join(' or ')}` : ''}, not ${describe(node)}`,
    );
    return undefined;
  }
  const v = node.value as number;
  if (!Number.isFinite(v)) {
    report.value(node, `'${key}' must be a finite number`);
    return undefined;
  }
  if (field.fixed !== undefined && v !== field.fixed) {
    report.value(node, `'${key}' can only be ${field.fixed} here, not ${v}`);
    return undefined;
  }
  if (field.integer && !Number.isInteger(v)) {
    report.value(node, `'${key}' must be a whole number, not ${v}`);
    return undefined;
  }
  const hint = field.rangeHint ? ` (${field.rangeHint})` : '';
  if (field.minimum !== undefined) {
    if (field.exclusiveMinimum ? v <= field.minimum : v < field.minimum) {
      report.value(node, `'${key}' must be ${field.exclusiveMinimum ? 'greater than' : 'at least'} ${field.minimum}, not ${v}${hint}`);
      return undefined;
    }
  }
  if (field.maximum !== undefined) {
    if (field.exclusiveMaximum ? v >= field.maximum : v > field.maximum) {
      report.value(
        node,
        field.limitReason
          ? `'${key}' is ${v}, above the limit of ${field.maximum} (${field.limitReason})`
          : `'${key}' must be ${field.exclusiveMaximum ? 'less than' : 'at most'} ${field.maximum}, not ${v}${hint}`,
      );
      return undefined;
    }
  }
  return v;
}

function checkIntegerList(key: string, field: IntegerListField, node: SrcValue, report: Reporter): number[] | undefined {
  if (node.kind !== 'array') {
    report.value(node, `'${key}' must be a list of whole numbers like [10, 20], not ${describe(node)}`);
    return undefined;
  }
  if (field.minItems !== undefined && node.items.length < field.minItems) {
    report.value(node, `'${key}' needs at least ${field.minItems} item${field.minItems === 1 ? '' : 's'}`);
    return undefined;
  }
  const item: NumberField = { kind: 'number', integer: true, minimum: field.minimum };
  const values = node.items.map((n, i) => checkNumber(`${key}[${i}]`, item, n, report) as number | undefined);
  if (values.some(v => v === undefined)) return undefined;
  const numbers = values as number[];
  for (let i = 1; i < numbers.length; i++) {
    const bad = field.order === 'increasing' ? numbers[i] <= numbers[i - 1] : field.order === 'nondecreasing' ? numbers[i] < numbers[i - 1] : false;
    if (bad) {
      const order = field.order === 'increasing' ? 'increasing' : 'in order (non-decreasing)';
      report.value(node.items[i], `'${key}' must be ${order}: ${numbers[i]} comes after ${numbers[i - 1]}`);
      return undefined;
    }
  }
  return numbers;
}

function checkNumberList(key: string, field: NumberListField, node: SrcValue, report: Reporter): number[] | undefined {
  if (node.kind !== 'array') {
    report.value(node, `'${key}' must be a list of numbers like [1, 2.5], not ${describe(node)}`);
    return undefined;
  }
  if (field.minItems !== undefined && node.items.length < field.minItems) {
    report.value(node, `'${key}' needs at least ${field.minItems} item${field.minItems === 1 ? '' : 's'}`);
    return undefined;
  }
  const item: NumberField = { kind: 'number', minimum: field.minimum, exclusiveMinimum: field.exclusiveMinimum };
  const values = node.items.map((n, i) => checkNumber(`${key}[${i}]`, item, n, report) as number | undefined);
  return values.every(v => v !== undefined) ? (values as number[]) : undefined;
}

/** A list of distinct choices; each unknown item is reported at itself, with a suggestion. */
function checkEnumList(key: string, field: EnumListField, node: SrcValue, report: Reporter): string[] | undefined {
  if (node.kind !== 'array') {
    report.value(node, `'${key}' must be a list like ["${field.values[0]}"], not ${describe(node)}`);
    return undefined;
  }
  const seen = new Set<string>();
  let ok = true;
  for (const item of node.items) {
    const value = checkChoice(field.itemNoun, field.values, item, report);
    if (value === undefined) {
      ok = false;
    } else if (seen.has(value)) {
      report.value(item, `'${value}' is listed twice in '${key}'`, 'warning');
    }
    if (value !== undefined) seen.add(value);
  }
  return ok ? [...seen] : undefined;
}

/** `lengthOneLessThan`: sequential's milestones are one fewer than its schedulers. */
function checkListLengths(obj: SrcObject, table: FieldTable, values: Record<string, unknown>, report: Reporter): void {
  for (const [key, field] of Object.entries(table)) {
    if (field.kind !== 'integer_list' || field.lengthOneLessThan === undefined) continue;
    const node = get(obj, key);
    const other = get(obj, field.lengthOneLessThan);
    if (!node || node.kind !== 'array' || !other || other.kind !== 'array') continue;
    if (node.items.length !== other.items.length - 1) {
      const n = other.items.length;
      report.value(
        node,
        `'${key}' needs ${n - 1} value${n - 1 === 1 ? '' : 's'} (one fewer than the ${n} ${field.lengthOneLessThan}: ` +
          `each one after the first starts at a milestone), not ${node.items.length}`,
      );
      delete values[key];
    }
  }
}

/** An optional group of keys: an object, null (off), or its shorthand. */
function checkObject(key: string, field: ObjectField, node: SrcValue, report: Reporter, nested?: NestedReader): unknown {
  if (node.kind === 'null') return undefined;
  if (node.kind === 'boolean' && field.trueShorthand) {
    if (node.value === false) return undefined;
    return readFields(emptyAt(node), field.fields, report, { what: key, nested }).values;
  }
  let obj: SrcObject;
  if (node.kind === 'number' && field.numberShorthand !== undefined) {
    obj = wrap(node, field.numberShorthand, node);
  } else if (node.kind === 'object') {
    obj = node;
  } else {
    const forms = [
      `an object like { ${Object.keys(field.fields).slice(0, 2).map(k => `"${k}": ...`).join(', ')} }`,
      field.numberShorthand ? `a number (its ${field.numberShorthand})` : '',
      field.trueShorthand ? 'true (the defaults)' : '',
      'null (off)',
    ].filter(s => s !== '');
    report.value(node, `'${key}' must be ${forms.slice(0, -1).join(', ')} or ${forms[forms.length - 1]}; not ${describe(node)}`);
    return undefined;
  }
  const { values, ok } = readFields(obj, field.fields, report, { what: key, nested });
  return ok ? values : undefined;
}

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
