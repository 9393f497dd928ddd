/**
 * What `trainscope run` would refuse in the files an experiment names — the run preparation's own
 * checks (inside the workspace, symbolic links followed; existing; within the size limits; nothing
 * read) — for the base and every variant that resolves, as problems of the experiment file. A file
 * the base and its variants share is reported once, as the parser reports the base's problems once.
 */
import type { JsonPath } from '../engine/core/errors';
import type { ParsedExperiment, Problem } from '../engine/experiment/parse';
import { checkRunFiles, type FileProblem } from '../engine/prepare/checkFiles';
import type { WorkspaceRoot } from '../engine/prepare/workspaceFiles';

export function runFileProblems(parsed: ParsedExperiment, experimentFile: string, root: WorkspaceRoot): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const variant of [undefined, ...parsed.variants.map(v => v.name)]) {
    // A run that does not resolve has its problems reported already, and would not be prepared.
    const resolved = parsed.resolve(variant);
    if (!resolved) continue;
    for (const f of checkRunFiles(resolved.spec, experimentFile, root).problems) {
      // The base's problem, met again in a variant that keeps the base's path: already said.
      const at = parsed.locate(f.path, variant);
      if (seen.has(problemKey(at, f.message))) continue;
      const p = asProblem(parsed, f, variant);
      if (!seen.has(problemKey(p, p.message))) problems.push(p);
      seen.add(problemKey(p, p.message));
    }
  }
  return problems;
}

const problemKey = (at: { offset: number; length: number }, message: string): string => `${at.offset}:${at.length}:${message}`;

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
