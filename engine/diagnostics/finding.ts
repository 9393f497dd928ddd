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

/** What a rule reports; the Diagnostician adds which rule, how severe, and when. */
export interface FindingDraft {
  /** What it is about when a rule can fire for several things (a layer, a parameter). */
  target?: string;
  /** Plain words: what was seen, with numbers, and the course notes' guidance. */
  message: string;
  /** The experiment key to blame. */
  path: JsonPath;
  fix?: QuickFix;
  /** The numbers the rule compared (for tooltips, logs and tests). */
  evidence?: Record<string, number>;
}

export interface Finding extends FindingDraft {
  rule: string;
  severity: Severity;
  /** The step the rule fired at (0 when it fired before any step). */
  step: number;
  epoch: number;
}

/** One line for the command line and logs: "warning: <message>". */
export function formatFinding(finding: Pick<Finding, 'severity' | 'message'>): string {
  return `${finding.severity}: ${finding.message}`;
}
