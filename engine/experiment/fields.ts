/**
 * Checks an object's keys against a field table (defaults.ts): types, ranges, closed sets, unknown
 * keys (with a suggestion), required keys; fills in defaults. Every problem is reported, and a key
 * with a bad value yields `undefined` so the caller can carry on and find more.
 */
import type { Field, FieldTable, NumberField } from './defaults';
import type { Reporter } from './problems';
import { get, type SrcObject, type SrcValue } from './source';
import { didYouMean } from './suggest';

export type FieldValue = number | boolean | string | [number, number] | undefined;

export interface ReadOptions {
  /** Keys handled by the caller (e.g. `type`, a layer's `init`); not unknown, not read here. */
  handled?: readonly string[];
  /** "optimizer 'sgd'", "training", ... for messages. */
  what: string;
  /** Other kinds' tables, so a key of the wrong kind gets "belongs to adam" instead of a guess. */
  siblings?: Readonly<Record<string, FieldTable>>;
}

export function readFields(
  obj: SrcObject,
  table: FieldTable,
  report: Reporter,
  options: ReadOptions,
): Record<string, FieldValue> {
  const handled = options.handled ?? [];
  const out: Record<string, FieldValue> = {};
  for (const p of obj.props) {
    if (handled.includes(p.key)) continue;
    const field = table[p.key];
    if (!field) {
      report.key(p, obj, unknownKeyMessage(p.key, table, handled, options));
      continue;
    }
    out[p.key] = checkField(p.key, field, p.value, report);
  }
  for (const [key, field] of Object.entries(table)) {
    if (get(obj, key)) continue;
    if ('required' in field && field.required) {
      report.missing(obj, `${options.what} needs '${key}'${requiredHint(key, options.what)}`);
      out[key] = undefined;
    } else {
      out[key] = 'default' in field ? copyDefault(field.default) : undefined;
    }
  }
  return out;
}

function unknownKeyMessage(key: string, table: FieldTable, handled: readonly string[], options: ReadOptions): string {
  const choices = [...Object.keys(table), ...handled.filter(h => h !== 'type')];
  for (const [kind, other] of Object.entries(options.siblings ?? {})) {
    if (other[key] && !table[key]) {
      return `'${key}' is not an option of ${options.what}; it belongs to '${kind}'`;
    }
  }
  const expected = choices.length > 0 ? `; expected one of: ${choices.join(', ')}` : ` (${options.what} has no options)`;
  return `unknown key '${key}' in ${options.what}${expected}${didYouMean(key, choices, true)}`;
}

function requiredHint(key: string, what: string): string {
  if (key === 'lr' && what.includes('sgd')) {
    return ' (the learning rate: torch.optim.SGD has no default; e.g. "lr": 0.1)';
  }
  if (key === 'value') return ' (the constant to fill with, e.g. "value": 0.01)';
  if (key === 'path') return ' (the CSV file, relative to this experiment file)';
  if (key === 'target') return ' (the header name of the column to predict)';
  return '';
}

/** Defaults are shared table entries: hand out copies of arrays. */
function copyDefault(value: unknown): FieldValue {
  return Array.isArray(value) ? ([value[0], value[1]] as [number, number]) : (value as FieldValue);
}

export function checkField(key: string, field: Field, node: SrcValue, report: Reporter): FieldValue {
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
    case 'pair': {
      if (node.kind !== 'array' || node.items.length !== 2) {
        report.value(node, `'${key}' must be a pair of numbers like [${field.default.join(', ')}], not ${describe(node)}`);
        return undefined;
      }
      const values: number[] = [];
      node.items.forEach((item, i) => {
        const v = checkNumber(`${key}[${i}]`, { kind: 'number', minimum: field.minimum, maximum: field.maximum, exclusiveMaximum: true }, item, report);
        if (v !== undefined) values.push(v);
      });
      return values.length === 2 ? [values[0], values[1]] : undefined;
    }
  }
}

/** A string from a closed set: "unknown nonlinearity 'rellu'; expected one of: ... (did you mean 'relu'?)". */
export function checkChoice(what: string, choices: readonly string[], node: SrcValue, report: Reporter): string | undefined {
  if (node.kind !== 'string') {
    report.value(node, `'${what}' must be one of: ${choices.join(', ')}; not ${describe(node)}`);
    return undefined;
  }
  const value = node.value as string;
  if (!choices.includes(value)) {
    report.value(node, `unknown ${what} '${value}'; expected one of: ${choices.join(', ')}${didYouMean(value, choices)}`);
    return undefined;
  }
  return value;
}

function checkNumber(key: string, field: NumberField, node: SrcValue, report: Reporter): number | undefined {
  if (node.kind !== 'number') {
    const quoted = node.kind === 'string' && (node.value as string).trim() !== '' && Number.isFinite(Number(node.value));
    report.value(
      node,
      quoted
        ? `'${key}' must be a number, not a string: write ${(node.value as string).trim()} without quotes`
        : `'${key}' must be a number, not ${describe(node)}`,
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
  if (field.minimum !== undefined) {
    if (field.exclusiveMinimum ? v <= field.minimum : v < field.minimum) {
      report.value(node, `'${key}' must be ${field.exclusiveMinimum ? 'greater than' : 'at least'} ${field.minimum}, not ${v}`);
      return undefined;
    }
  }
  if (field.maximum !== undefined) {
    if (field.exclusiveMaximum ? v >= field.maximum : v > field.maximum) {
      const reason = field.limitReason ? ` (${field.limitReason})` : '';
      report.value(
        node,
        field.limitReason
          ? `'${key}' is ${v}, above the limit of ${field.maximum}${reason}`
          : `'${key}' must be ${field.exclusiveMaximum ? 'less than' : 'at most'} ${field.maximum}, not ${v}`,
      );
      return undefined;
    }
  }
  return v;
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
