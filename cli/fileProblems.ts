/**
 * What `trainscope run` would refuse in the files an experiment names — the run preparation's own
 * checks (inside the workspace, symbolic links followed; existing; within the size limits; nothing
 * read) — for the base and every variant, as problems of the experiment file. A run with errors
 * elsewhere still has the files its valid sections name checked, so that every problem is said at
 * once; a path the parser already refuses (an absolute one) is not refused twice. A file the base
 * and its variants share is reported once, as the parser reports the base's problems once.
 */
import type { JsonPath } from '../engine/core/errors';
import type { ParsedExperiment, Problem } from '../engine/experiment/parse';
import { checkRunFiles, type FileProblem } from '../engine/prepare/checkFiles';
import type { WorkspaceRoot } from '../engine/prepare/workspaceFiles';

export function runFileProblems(parsed: ParsedExperiment, experimentFile: string, root: WorkspaceRoot): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const variant of [undefined, ...parsed.variants.map(v => v.name)]) {
    const files = parsed.resolve(variant)?.spec ?? parsed.namedFiles(variant);
    if (!files) continue;
    for (const f of checkRunFiles(files, experimentFile, root).problems) {
      // The base's problem, met again in a variant that keeps the base's path: already said.
      const at = parsed.locate(f.path, variant);
      if (seen.has(problemKey(at, f.message)) || refused(parsed, at)) continue;
      const p = asProblem(parsed, f, variant);
      if (!seen.has(problemKey(p, p.message))) problems.push(p);
      seen.add(problemKey(p, p.message));
    }
  }
  return problems;
}

const problemKey = (at: { offset: number; length: number }, message: string): string => `${at.offset}:${at.length}:${message}`;

/** Whether the parser already has an error at this path's value (an absolute path, refused by the format). */
const refused = (parsed: ParsedExperiment, at: { offset: number; length: number }): boolean =>
  parsed.problems.some(p => p.severity === 'error' && p.offset === at.offset && p.length === at.length);

/**
 * A file's problem where its path is written: in the variant's overrides, or in the base (then,
 * for a variant, saying which: the base itself may not be the run that fails).
 */
function asProblem(parsed: ParsedExperiment, f: FileProblem, variant: string | undefined): Problem {
  const { offset, length, line, column } = parsed.locate(f.path, variant);
  // Fields in the parser's order: `validate --json` lists both kinds alike.
  const problem = (message: string, path: JsonPath): Problem => ({ message, severity: 'error', path, offset, length, line, column, ...(variant !== undefined && { variant }) });
  if (variant === undefined) return problem(f.message, f.path);
  const overrides: JsonPath = ['variants', variant];
  const node = parsed.locate(overrides);
  return offset >= node.offset && offset < node.offset + node.length ? problem(f.message, [...overrides, ...f.path]) : problem(`in variant '${variant}': ${f.message}`, f.path);
}
