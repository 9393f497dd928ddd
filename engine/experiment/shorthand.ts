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
import { aboutOf, own } from '../core/options';
import { SECTIONS } from './sections';
import type { SrcObject, SrcValue } from './source';
import { childSchema } from './walk';

/** Expands every shorthand of an experiment's root object or of a variant's overrides. */
export function expandShorthands(root: SrcObject): SrcObject {
  return { ...root, props: root.props.map(p => ({ ...p, value: expand(own<z.ZodType>(SECTIONS, p.key), p.value) })) };
}

function expand(schema: z.ZodType | undefined, node: SrcValue): SrcValue {
  if (!schema) return node;
  const about = aboutOf(schema);
  if (node.kind === 'string' && about.family) return wrap(node, 'type', node);
  if (node.kind === 'string' && about.initPair) return wrap(node, 'weight', wrap(node, 'type', node));
  if (node.kind === 'number' && about.numberShorthand !== undefined) return wrap(node, about.numberShorthand, node);
  if (node.kind === 'boolean' && about.trueShorthand) return node.value ? { ...wrap(node, '', node), props: [] } : { ...node, kind: 'null', value: null };
  if (node.kind === 'array') return { ...node, items: node.items.map((item, i) => expand(childSchema(schema, node, i), item)) };
  if (node.kind !== 'object') return node;
  return { ...node, props: node.props.map(p => ({ ...p, value: expand(childSchema(schema, node, p.key), p.value) })) };
}

/** An object `{ key: value }` standing where `at` was written. */
function wrap(at: SrcValue, key: string, value: SrcValue): SrcObject {
  const { offset, length, path, keyOffset, keyLength } = at;
  return { kind: 'object', props: [{ key, keyOffset: offset, keyLength: length, value }], offset, length, path, keyOffset, keyLength, shorthand: true };
}
