/**
 * How a variant overrides its base: objects merge key by key, recursively; arrays and scalars
 * replace; and an object whose `type` differs from the base's replaces it wholesale, so switching
 * `sgd` → `adam` does not inherit `momentum`. The merge works on source nodes, so each value of the
 * result keeps the offset of the place it was written.
 */
import { get, type SrcObject, type SrcValue } from './source';

export function mergeValue(base: SrcValue | undefined, over: SrcValue): SrcValue {
  if (base?.kind !== 'object' || over.kind !== 'object') return over;
  const [baseType, overType] = [get(base, 'type'), get(over, 'type')];
  const typeChanges = baseType && overType && ('value' in baseType ? baseType.value : baseType) !== ('value' in overType ? overType.value : overType);
  return typeChanges ? over : mergeObjects(base, over);
}

/**
 * The merged object takes the override's location: a key missing from the result is then
 * reported at the variant's object, which is what the variant's author is editing.
 */
export function mergeObjects(base: SrcObject, over: SrcObject): SrcObject {
  const merged = base.props.map(p => {
    const replacement = over.props.find(o => o.key === p.key);
    return replacement ? { ...replacement, value: mergeValue(p.value, replacement.value) } : p;
  });
  return { ...over, props: [...merged, ...over.props.filter(o => !base.props.some(p => p.key === o.key))] };
}
