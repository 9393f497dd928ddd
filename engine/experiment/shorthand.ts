/**
 * Shorthands, expanded before variants are merged (so `"optimizer": "sgd"` in the base and
 * `{ "lr": 0.5 }` in a variant combine), each expanded node still pointing at what was written.
 * Where they apply is read from the schemas:
 *
 * - where a family's object is expected, its type alone ("loss": "mse", a layer "relu",
 *   "schedule": "cosine_annealing", lookahead's inner "optimizer": "sgd", "bias": "zeros");
 * - an initializer pair's string is the weights' initializer (`"init": "xavier_uniform"`);
 * - an optional part of the loop: a number for its one key ("clip_grad_norm": 1.0 → { "max_norm":
 *   1.0 }), `true` for its defaults ("ema": true → {}), `false` for off (null).
 */
import type * as z from 'zod';
import { aboutOf, familyOf } from '../core/options';
import { SECTIONS } from './sections';
import type { SrcObject, SrcProp, SrcValue } from './source';
import { childSchema } from './walk';

/** Expands every shorthand of an experiment's root object or of a variant's overrides. */
export function expandShorthands(root: SrcObject): SrcObject {
  return mapProps(root, p => {
    const schema = (SECTIONS as Record<string, z.ZodType>)[p.key];
    return schema ? expand(schema, p.value) : p.value;
  });
}

function expand(schema: z.ZodType, node: SrcValue): SrcValue {
  const about = aboutOf(schema);
  if (node.kind === 'string' && familyOf(schema)) return wrap(node, 'type', node);
  if (node.kind === 'string' && about.initPair) return wrap(node, 'weight', wrap(node, 'type', node));
  if (node.kind === 'number' && about.numberShorthand !== undefined) return wrap(node, about.numberShorthand, node);
  if (node.kind === 'boolean' && about.trueShorthand) return node.value ? emptyAt(node) : { ...node, kind: 'null', value: null };
  if (node.kind === 'array') {
    let changed = false;
    const items = node.items.map((item, i) => {
      const element = childSchema(schema, node, i);
      const expanded = element ? expand(element, item) : item;
      changed ||= expanded !== item;
      return expanded;
    });
    return changed ? { ...node, items } : node;
  }
  if (node.kind !== 'object' || node.shorthand) return node;
  return mapProps(node, p => {
    const child = childSchema(schema, node, p.key);
    return child ? expand(child, p.value) : p.value;
  });
}

/** An object `{ key: value }` standing where `at` was written (a shorthand). */
export function wrap(at: SrcValue, key: string, value: SrcValue): SrcObject {
  return {
    kind: 'object',
    props: [{ key, keyOffset: at.offset, keyLength: at.length, value }],
    offset: at.offset,
    length: at.length,
    path: at.path,
    keyOffset: at.keyOffset,
    keyLength: at.keyLength,
    shorthand: true,
  };
}

/** An object with no keys standing where `at` was written ("ema": true → {}). */
export function emptyAt(at: SrcValue): SrcObject {
  return { ...wrap(at, '', at), props: [] };
}

function mapProps(obj: SrcObject, f: (p: SrcProp) => SrcValue): SrcObject {
  let changed = false;
  const props = obj.props.map(p => {
    const value = f(p);
    if (value === p.value) return p;
    changed = true;
    return { ...p, value };
  });
  return changed ? { ...obj, props } : obj;
}
