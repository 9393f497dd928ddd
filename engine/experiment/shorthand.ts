/**
 * Shorthands, expanded before variants are merged (so `"optimizer": "sgd"` in the base and
 * `{ "lr": 0.5 }` in a variant combine), each expanded node still pointing at what was written:
 *
 * - where an object with a `type` is expected, its type alone ("loss": "mse", "optimizer": "adam",
 *   a layer "relu" or "dropout", "schedule": "cosine_annealing", lookahead's inner "optimizer":
 *   "sgd", a schedule inside sequential, "bias": "zeros");
 * - `"init": "xavier_uniform"` means the weight initializer (the bias keeps its default);
 * - training's optional parts: a number for their one required key ("clip_grad_norm": 1.0 →
 *   { "max_norm": 1.0 }), `true` for their defaults ("ema": true → {}).
 */
import { TRAINING_FIELDS, type Field } from './defaults';
import { slotNamed, SLOTS, type Slot } from './slots';
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

/**
 * A typed object of `slot` with its nested typed keys expanded. In a variant's override the kind
 * may be left out (it is the base's): a key is then expanded as any kind of the slot has it.
 */
export function expandSlot(node: SrcValue, slot: Slot): SrcValue {
  const typed = expandTyped(node);
  if (typed.kind !== 'object' || typed.shorthand) return typed;
  const typeNode = get(typed, 'type');
  const kind = typeNode?.kind === 'string' ? (typeNode.value as string) : undefined;
  const fieldOf = (key: string): Field | undefined => {
    if (kind !== undefined && slot.tables[kind]) return slot.tables[kind][key];
    for (const table of Object.values(slot.tables)) if (table[key]) return table[key];
    return undefined;
  };
  return mapProps(typed, p => {
    const field = fieldOf(p.key);
    if (!field) return p.value;
    switch (field.kind) {
      case 'typed':
        return expandSlot(p.value, slotNamed(field.slot));
      case 'typed_list':
        return p.value.kind === 'array' ? { ...p.value, items: p.value.items.map(item => expandSlot(item, slotNamed(field.slot))) } : p.value;
      case 'init':
        return expandInit(p.value);
      default:
        return p.value;
    }
  });
}

/** `training`'s optional parts: a number for the one key it stands for, `true` for the defaults. */
function expandTraining(node: SrcValue): SrcValue {
  if (node.kind !== 'object') return node;
  return mapProps(node, p => {
    const field = TRAINING_FIELDS[p.key];
    if (field?.kind !== 'object') return p.value;
    if (p.value.kind === 'number' && field.numberShorthand !== undefined) return wrap(p.value, field.numberShorthand, p.value);
    if (p.value.kind === 'boolean' && p.value.value === true && field.trueShorthand) return emptyAt(p.value);
    return p.value;
  });
}

/** Expands every shorthand slot of an experiment's root object or of a variant's overrides. */
export function expandShorthands(root: SrcObject): SrcObject {
  return mapProps(root, p => {
    switch (p.key) {
      case 'data':
      case 'loss':
      case 'optimizer':
      case 'schedule':
      case 'momentum_schedule':
        return expandSlot(p.value, SLOTS[p.key]);
      case 'init':
        return expandInit(p.value);
      case 'model':
        return p.value.kind === 'array' ? { ...p.value, items: p.value.items.map(item => expandSlot(item, SLOTS.layer)) } : p.value;
      case 'training':
        return expandTraining(p.value);
      default:
        return p.value;
    }
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
