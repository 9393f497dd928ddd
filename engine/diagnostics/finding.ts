import type { JsonPath } from '../core/errors';

/** 'error' stops the run at the step it fired; 'warning' and 'info' only report. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * One change to the experiment file, as data (the extension applies it with jsonc-parser's
 * `modify`). Paths are into the resolved experiment, as SpecError paths are (["optimizer", "lr"],
 * ["model", 2]); a path may name a key the file does not have yet (set creates it).
 *   set:    put `value` at `path` (replacing what is there).
 *   insert: insert `value` into the array at path[:-1], before index path[-1] (jsonc-parser's
 *           isArrayInsertion).
 */
export type ExperimentEdit =
  | { kind: 'set'; path: JsonPath; value: unknown }
  | { kind: 'insert'; path: JsonPath; value: unknown };

/** A quick fix: edits applied one after another, each to the result of the previous one. */
export interface QuickFix {
  /** What the fix does, as the editor's code action title: "Divide the learning rate by 10". */
  title: string;
  edits: ExperimentEdit[];
}

/**
 * A detail of a finding elsewhere in the experiment: one layer of several with the same trouble,
 * or a consequence of the finding's cause seen later (the editor shows them as related
 * information, at their own keys).
 */
export interface RelatedNote {
  message: string;
  path: JsonPath;
  /** The step it was seen at, for a consequence seen later. */
  step?: number;
}

/** What a rule reports; the Diagnostician adds which rule, how severe, and when. */
export interface FindingDraft {
  /**
   * What it is about when a rule can fire for distinct causes ('init' and 'training' for dead
   * units; 'low' and 'high' for update ratios). Each rule + target is one finding per run.
   */
  target?: string;
  /** What was seen, in a few words ("the loss has barely moved for 200 steps"): a consequence's note. */
  headline: string;
  /** Plain words: what was seen, with numbers, and the course notes' guidance. */
  message: string;
  /**
   * The message without its advice: what a run-stopping finding says when another finding's cause
   * explains it (it then takes that cause's advice, key and fix).
   */
  observation?: string;
  /** The experiment key to blame. */
  path: JsonPath;
  fix?: QuickFix;
  /** The numbers the rule compared (for tooltips, logs and tests). */
  evidence?: Record<string, number>;
  /** The other places with the same trouble (per layer), and the consequences folded into it. */
  related?: RelatedNote[];
}

export interface Finding extends FindingDraft {
  rule: string;
  severity: Severity;
  /** The step the rule fired at (0 when it fired before any step). */
  step: number;
  epoch: number;
  /**
   * The findings this one explains, folded into it (`rule` or `rule:target`): consequences of its
   * cause that are not reported again. A finding is sent again, whole, when it grows.
   */
  explains?: string[];
}

/** One finding per rule and target: a later record with the same key is the same finding, grown. */
export function findingKey(finding: Pick<Finding, 'rule' | 'target'>): string {
  return finding.target === undefined ? finding.rule : `${finding.rule}:${finding.target}`;
}

/** `list` with `finding` in place of the one of the same key (or added at the end): a new array. */
export function withFinding<T extends Pick<Finding, 'rule' | 'target'>>(list: readonly T[], finding: T): T[] {
  const key = findingKey(finding);
  const at = list.findIndex((f) => findingKey(f) === key);
  if (at < 0) return [...list, finding];
  const out = [...list];
  out[at] = finding;
  return out;
}

/**
 * The step a finding fired at, as a suffix for where it is shown — unless its message already says
 * it (an exploding loss names the step it judged, a folded error the step of its cause).
 */
export function stepMention(finding: Pick<Finding, 'message' | 'step'>): string | undefined {
  return finding.step > 0 && !/\bstep \d/.test(finding.message) ? `step ${finding.step}` : undefined;
}

/** One line for the command line and logs: "warning: <message>". */
export function formatFinding(finding: Pick<Finding, 'severity' | 'message'>): string {
  return `${finding.severity}: ${finding.message}`;
}
