/**
 * String shorthands: where an object with a `type` is expected, its type alone may be written
 * ("loss": "mse", "optimizer": "adam", a layer "relu", "bias": "zeros"); `"init": "xavier_uniform"`
 * means the weight initializer (the bias keeps its default). They are expanded before variants
 * are merged, so `"optimizer": "sgd"` in the base and `{ "lr": 0.5 }` in a variant combine, and the
 * expanded `type` still points at the string that was written.
 */
import { get, type SrcObject, type SrcProp, type SrcValue } from './source';

/** `"adam"` → `{ "type": "adam" }`, located at the string. */
export function expandTyped(node: SrcValue): SrcValue {
  if (node.kind !== 'string') return node;
  return wrap(node, 'type', node);
}

/** `"xavier_uniform"` → `{ "weight": { "type": "xavier_uniform" } }`; objects get their parts expanded. */
export function expandInit(node: SrcValue): SrcValue {
  if (node.kind === 'string') return wrap(node, 'weight', expandTyped(node));
  if (node.kind !== 'object') return node;
  return mapProps(node, p => (p.key === 'weight' || p.key === 'bias' ? expandTyped(p.value) : p.value));
}

function expandLayer(node: SrcValue): SrcValue {
  const layer = expandTyped(node);
  if (layer.kind !== 'object' || layer.shorthand || !get(layer, 'init')) return layer;
  return mapProps(layer, p => (p.key === 'init' ? expandInit(p.value) : p.value));
}

/** Expands every shorthand slot of an experiment's root object or of a variant's overrides. */
export function expandShorthands(root: SrcObject): SrcObject {
  return mapProps(root, p => {
    switch (p.key) {
      case 'data':
      case 'loss':
      case 'optimizer':
        return expandTyped(p.value);
      case 'init':
        return expandInit(p.value);
      case 'model':
        return p.value.kind === 'array' ? { ...p.value, items: p.value.items.map(expandLayer) } : p.value;
      default:
        return p.value;
    }
  });
}

function wrap(at: SrcValue, key: string, value: SrcValue): SrcObject {
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
