import type { LineIndex, SrcObject, SrcProp, SrcValue } from './source';
import type { JsonPath } from '../core/errors';

/** Something wrong (or suspicious) in an experiment file, at an exact place. */
export interface Problem {
  message: string;
  severity: 'error' | 'warning' | 'info';
  /** Where the blamed value physically is in the file (e.g. ["variants", "adam", "optimizer", "lr"]). */
  path: JsonPath;
  offset: number;
  length: number;
  /** 1-based, of `offset`. */
  line: number;
  column: number;
  /** Set when the problem exists only in this variant (not in the base experiment). */
  variant?: string;
  /** A fix that writes `text` in place of the problem's range (offset, length): a quick fix in the editor. */
  fix?: ProblemFix;
}

export type ProblemFix = { title: string; text: string };

type Severity = Problem['severity'];

/** Collects problems, turning source nodes into located ones. */
export class Reporter {
  readonly problems: Problem[] = [];
  errors = 0;

  constructor(private readonly lines: LineIndex) {}

  at(offset: number, length: number, path: JsonPath, message: string, severity: Severity = 'error', fix?: ProblemFix): void {
    this.problems.push({ message, severity, path, offset, length, ...this.lines.position(offset), ...(fix && { fix }) });
    if (severity === 'error') this.errors++;
  }

  /** At a value (for a shorthand, the string it was expanded from). */
  value(node: SrcValue, message: string, severity: Severity = 'error', fix?: ProblemFix): void {
    this.at(node.offset, node.length, node.path, message, severity, fix);
  }

  /** At a property's key (unknown or duplicate keys). */
  key(prop: SrcProp, parent: SrcValue, message: string, severity: Severity = 'error', fix?: ProblemFix): void {
    this.at(prop.keyOffset, prop.keyLength, [...parent.path, prop.key], message, severity, fix);
  }

  /**
   * At the first of `keys` written in `obj` (the value to blame), else where `missing` reports.
   * "bias.type" is a key of a nested object, "disabled.1" an item of a list.
   */
  blame(obj: SrcObject, keys: readonly string[], message: string, severity: Severity = 'error'): void {
    const child = (node: SrcValue | undefined, part: string): SrcValue | undefined =>
      node?.kind === 'object' ? node.props.find(p => p.key === part)?.value : node?.kind === 'array' ? node.items[Number(part)] : undefined;
    const node = keys.map(key => key.split('.').reduce(child, obj)).find(n => n !== undefined);
    if (node) this.value(node, message, severity);
    else this.missing(obj, message, severity);
  }

  /** A key the object lacks: at the key that holds the object (what the user is editing, and short), at the string of a shorthand, or at its brace. */
  missing(obj: SrcObject, message: string, severity: Severity = 'error'): void {
    if (obj.shorthand) this.value(obj, message, severity);
    else this.at(obj.keyOffset ?? obj.offset, obj.keyLength ?? 1, obj.path, message, severity);
  }
}

/**
 * The problems of a base experiment and of its variants as one list. The base's problems come back
 * in every variant: each is said once. A variant's own problem found in a value it takes from the
 * base (outside its overrides) says which variant it is.
 */
export class RunProblems {
  readonly list: Problem[] = [];
  private readonly seen = new Set<string>();

  add(problems: readonly Problem[], variant?: string, overrides?: { offset: number; length: number }): void {
    for (const p of problems) {
      const outside = overrides && (p.offset < overrides.offset || p.offset >= overrides.offset + overrides.length);
      const located = !overrides || this.seen.has(problemKey(p)) ? p : { ...p, variant, message: outside ? `in variant '${variant}': ${p.message}` : p.message };
      if (!this.seen.has(problemKey(located))) this.list.push(located);
      this.seen.add(problemKey(located));
    }
  }
}

const problemKey = (p: Problem): string => `${p.offset}:${p.length}:${p.severity}:${p.message}`;
