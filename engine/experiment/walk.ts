/**
 * Walks an experiment's source tree alongside the schemas that describe it: which schema a value
 * at a path answers to (a family's kind is picked by the value's `type`), and every object with
 * rules across its keys. The shorthands, the messages and the rules all rely on it.
 */
import type * as z from 'zod';
import type { JsonPath } from '../core/errors';
import { aboutOf, core, familyOf, kindOptions, type FamilyInfo, type Rules } from '../core/options';
import { get, type SrcObject, type SrcValue } from './source';

/** The kind a family's object names, when its `type` is a string. */
export function typeOf(node: SrcValue | undefined): string | undefined {
  if (node?.kind !== 'object') return undefined;
  const type = get(node, 'type');
  return type?.kind === 'string' ? (type.value as string) : undefined;
}

/**
 * The object schema of `node` under `schema`: the object itself, or the options of the family's
 * kind `node` names. Without a known `type` (a variant's partial override), `anyKind` picks the first
 * kind that has `key`.
 */
export function objectSchema(schema: z.ZodType, node: SrcValue | undefined, anyKind?: string): z.ZodObject | undefined {
  const family = familyOf(schema);
  if (family) {
    const type = typeOf(node);
    if (type !== undefined && family.kinds.includes(type)) return kindOptions(schema, type);
    if (type === undefined && anyKind !== undefined) {
      for (const kind of family.kinds) {
        const options = kindOptions(schema, kind);
        if (options && anyKind in options.shape) return options;
      }
    }
    return undefined;
  }
  const inner = core(schema);
  return inner._zod.def.type === 'object' ? (inner as z.ZodObject) : undefined;
}

/** The schema of the value one step below `schema`, at `segment` (a key, or a list index). */
export function childSchema(schema: z.ZodType, node: SrcValue | undefined, segment: string | number): z.ZodType | undefined {
  const inner = core(schema);
  const def = inner._zod.def as { type: string; element?: z.ZodType; items?: z.ZodType[] };
  if (typeof segment === 'number') {
    if (def.type === 'array') return def.element;
    if (def.type === 'tuple') return def.items?.[segment];
    return undefined;
  }
  return (objectSchema(schema, node, segment)?.shape as Record<string, z.ZodType> | undefined)?.[segment];
}

/** The schema at `path` below `schema` (whose value is `node`), with the schema of each step. */
export function schemasAlong(schema: z.ZodType, node: SrcValue, path: JsonPath): (z.ZodType | undefined)[] {
  const out: (z.ZodType | undefined)[] = [schema];
  let s: z.ZodType | undefined = schema;
  let n: SrcValue | undefined = node;
  for (const segment of path) {
    s = s && childSchema(s, n, segment);
    n = n && childNode(n, segment);
    out.push(s);
  }
  return out;
}

export function childNode(node: SrcValue, segment: string | number): SrcValue | undefined {
  if (node.kind === 'object' && typeof segment === 'string') return get(node, segment);
  if (node.kind === 'array' && typeof segment === 'number') return node.items[segment];
  return undefined;
}

/** An object, where it is, with its rules across its keys if it has any. */
export interface RuledObject {
  node: SrcObject;
  options: z.ZodObject;
  rules?: Rules<never>;
  family?: FamilyInfo;
}

/** Every object under `node` (itself included) whose schema is known, with its kind's or schema's rules. */
export function ruledObjects(schema: z.ZodType, node: SrcValue): RuledObject[] {
  const out: RuledObject[] = [];
  const visit = (s: z.ZodType, n: SrcValue): void => {
    if (n.kind === 'array') {
      n.items.forEach((item, i) => {
        const element = childSchema(s, n, i);
        if (element) visit(element, item);
      });
      return;
    }
    if (n.kind !== 'object') return;
    const options = objectSchema(s, n);
    if (!options) return;
    const family = familyOf(s);
    const rules = family ? family.rules[typeOf(n) ?? ''] : aboutOf(s).rules;
    out.push({ node: n, options, rules, family });
    for (const p of n.props) {
      const child = (options.shape as Record<string, z.ZodType>)[p.key];
      if (child) visit(child, p.value);
    }
  };
  visit(schema, node);
  return out;
}
