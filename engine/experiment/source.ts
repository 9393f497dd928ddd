/**
 * The experiment file as a tree of values that remember where they were written. Variants are
 * merged from these nodes (merge.ts), so a problem of a resolved variant is reported where its value
 * was written — in the variant or in the base.
 */
import type { Node } from 'jsonc-parser/lib/esm/main.js';
import type { JsonPath } from '../core/errors';

interface SrcCommon {
  offset: number;
  length: number;
  /** Where the value physically is in the file. */
  path: JsonPath;
  /** The property key holding this value (absent for array items and the root). */
  keyOffset?: number;
  keyLength?: number;
  /** Expanded from a string shorthand ("optimizer": "adam"); offset/length are the string's. */
  shorthand?: boolean;
}

export interface SrcProp {
  key: string;
  keyOffset: number;
  keyLength: number;
  value: SrcValue;
}

export interface SrcObject extends SrcCommon {
  kind: 'object';
  props: SrcProp[];
}

export type SrcValue =
  | SrcObject
  | (SrcCommon & { kind: 'array'; items: SrcValue[] })
  | (SrcCommon & { kind: 'string' | 'number' | 'boolean' | 'null'; value: string | number | boolean | null });

/**
 * Converts jsonc-parser's tree. Properties without a value (mid-typing) are dropped — the parser
 * has already reported them. A repeated key keeps its last value, as JSON.parse does, and the
 * repetition is added to `duplicates`.
 */
export function toSource(node: Node, path: JsonPath, duplicates: SrcProp[]): SrcValue {
  const at = { offset: node.offset, length: node.length, path };
  if (node.type === 'array') return { kind: 'array', items: (node.children ?? []).map((child, i) => toSource(child, [...path, i], duplicates)), ...at };
  // 'property' never appears as a value.
  if (node.type !== 'object') return { kind: node.type === 'property' ? 'null' : node.type, value: node.value ?? null, ...at };
  // A Map keeps the order keys were written in, a repeated key moved to its last place.
  const props = new Map<string, SrcProp>();
  for (const [keyNode, valueNode] of (node.children ?? []).map(p => p.children ?? [])) {
    if (!valueNode || typeof keyNode.value !== 'string') continue;
    const { value: key, offset: keyOffset, length: keyLength } = keyNode;
    const entry = { key, keyOffset, keyLength, value: { ...toSource(valueNode, [...path, key], duplicates), keyOffset, keyLength } };
    if (props.delete(key)) duplicates.push(entry);
    props.set(key, entry);
  }
  return { kind: 'object', props: [...props.values()], ...at };
}

export function get(obj: SrcObject, key: string): SrcValue | undefined {
  return obj.props.find(p => p.key === key)?.value;
}

/** The value at a path, or the nearest existing ancestor. */
export function nearest(root: SrcValue, path: JsonPath): SrcValue {
  return walkTo(root, path).node;
}

/**
 * The value at a path (or its nearest existing ancestor), and where its key is written: for a
 * list item or the root, where the value is.
 */
export function walkTo(root: SrcValue, path: JsonPath): { node: SrcValue; keyOffset: number } {
  let [node, keyOffset] = [root, root.offset];
  for (const segment of path) {
    const prop = node.kind === 'object' ? node.props.find(p => p.key === segment) : undefined;
    const next = prop ? prop.value : childNode(node, segment);
    if (!next) break;
    [node, keyOffset] = [next, prop ? prop.keyOffset : next.offset];
  }
  return { node, keyOffset };
}

export function childNode(node: SrcValue, segment: string | number): SrcValue | undefined {
  if (node.kind === 'object' && typeof segment === 'string') return get(node, segment);
  return node.kind === 'array' && typeof segment === 'number' ? node.items[segment] : undefined;
}

/** A plain JavaScript value. */
export function plain(node: SrcValue): unknown {
  if (node.kind === 'object') return Object.fromEntries(node.props.map(p => [p.key, plain(p.value)]));
  return node.kind === 'array' ? node.items.map(plain) : node.value;
}

/** Maps offsets to 1-based line and column (UTF-16 code units, as editors count). */
export class LineIndex {
  private readonly starts = [0];

  constructor(text: string) {
    for (const m of text.matchAll(/\r\n?|\n/g)) this.starts.push(m.index + m[0].length);
  }

  position(offset: number): { line: number; column: number } {
    let [lo, hi] = [0, this.starts.length - 1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}
