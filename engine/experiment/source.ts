/**
 * The experiment file as a tree of values that remember where they came from. Built once from
 * jsonc-parser's tree; variants are merged from these nodes (merge.ts), so every value of a
 * resolved variant still knows its own offset in the file, and a problem is reported where the
 * value was written — in the variant or in the base.
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

export interface SrcArray extends SrcCommon {
  kind: 'array';
  items: SrcValue[];
}

export interface SrcScalar extends SrcCommon {
  kind: 'string' | 'number' | 'boolean' | 'null';
  value: string | number | boolean | null;
}

export type SrcValue = SrcObject | SrcArray | SrcScalar;

export interface DuplicateKey {
  key: string;
  keyOffset: number;
  keyLength: number;
  path: JsonPath;
}

/**
 * Converts jsonc-parser's tree. Properties without a value (mid-typing) are dropped — the parser
 * has already reported them. A repeated key keeps its last value, as JSON.parse does, and is
 * reported through `duplicates`.
 */
export function toSource(node: Node, path: JsonPath, duplicates: DuplicateKey[]): SrcValue {
  switch (node.type) {
    case 'object': {
      const props: SrcProp[] = [];
      for (const prop of node.children ?? []) {
        const keyNode = prop.children?.[0];
        const valueNode = prop.children?.[1];
        if (!keyNode || !valueNode || typeof keyNode.value !== 'string') continue;
        const key: string = keyNode.value;
        const value = toSource(valueNode, [...path, key], duplicates);
        value.keyOffset = keyNode.offset;
        value.keyLength = keyNode.length;
        const entry: SrcProp = { key, keyOffset: keyNode.offset, keyLength: keyNode.length, value };
        const earlier = props.findIndex(p => p.key === key);
        if (earlier >= 0) {
          duplicates.push({ key, keyOffset: keyNode.offset, keyLength: keyNode.length, path: [...path, key] });
          props.splice(earlier, 1);
        }
        props.push(entry);
      }
      return { kind: 'object', props, offset: node.offset, length: node.length, path };
    }
    case 'array':
      return {
        kind: 'array',
        items: (node.children ?? []).map((child, i) => toSource(child, [...path, i], duplicates)),
        offset: node.offset,
        length: node.length,
        path,
      };
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return { kind: node.type, value: node.value ?? null, offset: node.offset, length: node.length, path };
    default:
      // 'property' never appears as a value.
      return { kind: 'null', value: null, offset: node.offset, length: node.length, path };
  }
}

export function prop(obj: SrcObject, key: string): SrcProp | undefined {
  for (const p of obj.props) if (p.key === key) return p;
  return undefined;
}

export function get(obj: SrcObject, key: string): SrcValue | undefined {
  return prop(obj, key)?.value;
}

/** The value at a path, or the nearest existing ancestor. */
export function nearest(root: SrcValue, path: JsonPath): SrcValue {
  let node = root;
  for (const segment of path) {
    let next: SrcValue | undefined;
    if (node.kind === 'object' && typeof segment === 'string') next = get(node, segment);
    else if (node.kind === 'array' && typeof segment === 'number') next = node.items[segment];
    if (!next) break;
    node = next;
  }
  return node;
}

/**
 * Where the key of `path` is written: the nearest node that exists, and when that node is a
 * property's value, the offset of the property's key (a list item: its own offset).
 */
export function nearestKeyOffset(root: SrcValue, path: JsonPath): number {
  let node = root;
  let offset = root.offset;
  for (const segment of path) {
    if (node.kind === 'object' && typeof segment === 'string') {
      const prop = node.props.find(p => p.key === segment);
      if (!prop) break;
      node = prop.value;
      offset = prop.keyOffset;
    } else if (node.kind === 'array' && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment];
      offset = node.offset;
    } else {
      break;
    }
  }
  return offset;
}

/** Maps offsets to 1-based line and column (UTF-16 code units, as editors count). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        this.starts.push(i + 1);
      }
    }
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

/** A plain JavaScript value (for messages and tests). */
export function plain(node: SrcValue): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(node.props.map(p => [p.key, plain(p.value)]));
    case 'array':
      return node.items.map(plain);
    default:
      return node.value;
  }
}
