/**
 * Reads one typed object of a slot (slots.ts): its `type` from the slot's kinds (with a suggestion
 * for a misspelt or torch-named kind), its keys from that kind's table (a key of another kind says
 * where it belongs), the objects nested in it (lookahead's inner optimizer, sequential's
 * schedulers, a layer's `init`), and the rules across its keys (rules/). Problems inside a nested
 * object are reported inside it.
 */
import { checkChoice, describe, readFields, type NestedReader } from './fields';
import type { Reporter } from './problems';
import { KIND_RULES } from './rules';
import { slotNamed, type Slot } from './slots';
import { get, type SrcObject, type SrcValue } from './source';

export interface TypedRead {
  kind: string;
  obj: SrcObject;
  /** What was read (defaults filled in, bad values left out), also when something was wrong. */
  values: Record<string, unknown>;
  /** `{ type, ...values }` when the object had no error; undefined otherwise. */
  spec?: Record<string, unknown> & { type: string };
}

export interface TypedReaderOptions {
  /** Reads a layer's own `init` (it inherits from the experiment's, which only the caller knows). */
  init?(node: SrcValue): unknown;
}

export class TypedReader {
  constructor(
    private readonly report: Reporter,
    private readonly options: TypedReaderOptions = {},
  ) {}

  /** An object of `slot` (its string shorthand already expanded); undefined when its type is unusable. */
  read(slot: Slot, node: SrcValue, where: string): TypedRead | undefined {
    const report = this.report;
    if (node.kind !== 'object') {
      report.value(node, `'${where}' must be an object with a "type" (or just the type, e.g. "${slot.kinds[0]}"), not ${describe(node)}`);
      return undefined;
    }
    const typeNode = get(node, 'type');
    if (!typeNode) {
      report.missing(node, `'${where}' needs a "type": one of ${slot.kinds.join(', ')}`);
      return undefined;
    }
    const refusal = typeNode.kind === 'string' ? slot.refusedKinds?.[typeNode.value as string] : undefined;
    if (refusal !== undefined) {
      report.value(typeNode, refusal);
      return undefined;
    }
    const kind = checkChoice(slot.label, slot.kinds, typeNode, report, 'type');
    if (kind === undefined) return undefined;
    const errorsBefore = report.errors;
    const siblings: Record<string, (typeof slot.tables)[string]> = {};
    for (const [other, table] of Object.entries(slot.tables)) if (other !== kind && slot.kinds.includes(other)) siblings[other] = table;
    const { values } = readFields(node, slot.tables[kind], report, {
      handled: ['type'],
      what: slot.what(kind),
      siblings,
      refused: slot.refused,
      nested: this.nested,
    });
    KIND_RULES[slot.name]?.[kind]?.({ obj: node, v: values, report });
    const read: TypedRead = { kind, obj: node, values };
    if (report.errors === errorsBefore) read.spec = { type: kind, ...values };
    return read;
  }

  private readonly nested: NestedReader = {
    typed: (key, field, node) => this.read(slotNamed(field.slot), node, key)?.spec,
    typedList: (key, field, node) => {
      if (node.kind !== 'array') {
        report(this.report, node, `'${key}' must be a list of ${slotNamed(field.slot).noun}s, not ${describe(node)}`);
        return undefined;
      }
      const min = field.minItems ?? 0;
      if (node.items.length < min) {
        report(this.report, node, `'${key}' needs at least ${min} ${slotNamed(field.slot).noun}${min === 1 ? '' : 's'}`);
        return undefined;
      }
      const specs = node.items.map((item, i) => this.read(slotNamed(field.slot), item, `${key}[${i}]`)?.spec);
      return specs.every(s => s !== undefined) ? specs : undefined;
    },
    init: (key, node) => {
      if (!this.options.init) throw new Error(`internal: no reader for '${key}'`);
      return this.options.init(node);
    },
  };
}

function report(reporter: Reporter, node: SrcValue, message: string): void {
  reporter.value(node, message);
}
