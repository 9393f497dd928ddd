/**
 * Walks an experiment's source tree alongside the schemas that describe it: which schema a value
 * at a path answers to (a family's kind is picked by the value's `type`). The shorthands, the
 * messages and the rules all rely on it.
 */
import type * as z from 'zod';
import type { JsonPath } from '../core/errors';
import { core, familyOf, kindOptions, own } from '../core/options';
import { childNode, get, type SrcValue } from './source';

/** The kind a family's object names, when its `type` is a string. */
export function typeOf(node: SrcValue | undefined): string | undefined {
  const type = node?.kind === 'object' ? get(node, 'type') : undefined;
  return type?.kind === 'string' ? (type.value as string) : undefined;
}

/**
 * The object schema of `node` under `schema`: the object itself, or the options of the family's
 * kind `node` names. Without a `type` (a variant's partial override), `anyKind` picks the first
 * kind that has that key.
 */
export function objectSchema(schema: z.ZodType, node: SrcValue | undefined, anyKind?: string): z.ZodObject | undefined {
  const [family, inner] = [familyOf(schema), core(schema)];
  if (!family) return inner._zod.def.type === 'object' ? (inner as z.ZodObject) : undefined;
  const type = typeOf(node);
  if (type !== undefined) return family.kinds.includes(type) ? kindOptions(schema, type) : undefined;
  return anyKind === undefined ? undefined : family.kinds.map(kind => kindOptions(schema, kind)).find(options => options && anyKind in options.shape);
}

/** The schema of the value one step below `schema`, at `segment` (a key, or a list index). */
export function childSchema(schema: z.ZodType, node: SrcValue | undefined, segment: string | number): z.ZodType | undefined {
  if (typeof segment === 'string') return own(objectSchema(schema, node, segment)?.shape as Record<string, z.ZodType> | undefined, segment);
  const def = core(schema)._zod.def as { type: string; element?: z.ZodType; items?: z.ZodType[] };
  return def.type === 'array' ? def.element : def.type === 'tuple' ? def.items?.[segment] : undefined;
}

/** The schema at `path` below `schema` (whose value is `node`), with the schema of each step. */
export function schemasAlong(schema: z.ZodType, node: SrcValue, path: JsonPath): (z.ZodType | undefined)[] {
  const out: (z.ZodType | undefined)[] = [schema];
  let n: SrcValue | undefined = node;
  for (const segment of path) {
    const parent = out.at(-1);
    out.push(parent && childSchema(parent, n, segment));
    n = n && childNode(n, segment);
  }
  return out;
}
