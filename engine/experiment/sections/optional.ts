/** The optional top-level sections written as a typed object or `null` (none): schedule, momentum_schedule. */
import type { Slot } from '../slots';
import type { SrcValue } from '../source';
import type { TypedRead, TypedReader } from '../typed';

export interface OptionalRead {
  /** The section is set (not absent, not null). */
  present: boolean;
  read?: TypedRead;
  /** Present and without error. */
  spec?: Record<string, unknown> & { type: string };
}

export function validateOptional(node: SrcValue | undefined, slot: Slot, key: string, reader: TypedReader): OptionalRead {
  if (!node || node.kind === 'null') return { present: false };
  const read = reader.read(slot, node, key);
  return { present: true, read, spec: read?.spec };
}
