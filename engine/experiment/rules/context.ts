/**
 * What a rule across keys sees: the object as written (to blame a key) and the values read from it
 * (defaults filled, bad values left out), and where to report.
 */
import type { Reporter, Severity } from '../problems';
import { get, type SrcObject } from '../source';

export interface RuleContext {
  obj: SrcObject;
  /** The values read (defaults filled in); a key with a bad value is absent. */
  v: Record<string, unknown>;
  report: Reporter;
}

/** A rule of one kind of one slot (e.g. optimizer 'sgd': nesterov needs momentum). */
export type KindRule = (c: RuleContext) => void;

/**
 * Reports at the first of `keys` written in `obj` (the value to blame), else at the object itself
 * (its key, or the string of a shorthand).
 */
export function blame(report: Reporter, obj: SrcObject, keys: readonly string[], message: string, severity: Severity = 'error'): void {
  for (const key of keys) {
    const node = get(obj, key);
    if (node) {
      report.value(node, message, severity);
      return;
    }
  }
  report.missing(obj, message, severity);
}

/** At the object's `type` (the string of a shorthand), else the object. */
export function blameType(report: Reporter, obj: SrcObject, message: string, severity: Severity = 'error'): void {
  blame(report, obj, ['type'], message, severity);
}

export const num = (v: Record<string, unknown>, key: string): number | undefined => (typeof v[key] === 'number' ? (v[key] as number) : undefined);
export const pair = (v: Record<string, unknown>, key: string): [number, number] | undefined =>
  Array.isArray(v[key]) && (v[key] as unknown[]).length === 2 ? (v[key] as [number, number]) : undefined;
