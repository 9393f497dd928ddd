/**
 * How a variant overrides its base: objects merge key by key, recursively; arrays and scalars
 * replace; and an object whose `type` differs from the base's replaces it wholesale, so switching
 * `sgd` → `adam` does not inherit `momentum`. The merge works on source nodes, so each value of the
 * result keeps the offset of the place it was written.
 */
import { get, type SrcObject, type SrcProp, type SrcValue } from './source';

export function mergeValue(base: SrcValue | undefined, over: SrcValue): SrcValue {
  if (!base || base.kind !== 'object' || over.kind !== 'object') return over;
  if (typeChanges(base, over)) return over;
  return mergeObjects(base, over);
}

/**
 * The merged object takes the override's location: a key missing from the result is then
 * reported at the variant's object, which is what the variant's author is editing.
 */
export function mergeObjects(base: SrcObject, over: SrcObject): SrcObject {
  const props: SrcProp[] = base.props.map(p => {
    const replacement = over.props.find(o => o.key === p.key);
    if (!replacement) return p;
    return { ...replacement, value: mergeValue(p.value, replacement.value) };
  });
  for (const o of over.props) {
    if (!base.props.some(p => p.key === o.key)) props.push(o);
  }
  return { ...over, props };
}

function typeChanges(base: SrcObject, over: SrcObject): boolean {
  const overType = get(over, 'type');
  const baseType = get(base, 'type');
  if (!overType || !baseType) return false;
  return scalar(baseType) !== scalar(overType);
}

function scalar(node: SrcValue): unknown {
  return node.kind === 'object' || node.kind === 'array' ? node : node.value;
}
