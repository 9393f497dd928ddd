/**
 * What `trainscope run` would refuse in the files an experiment names — the run preparation's own
 * checks (inside the workspace, symbolic links followed; existing; within the size limits; nothing
 * read) — for the base and every variant, as problems of the experiment file. A run with errors
 * elsewhere still has the files its valid sections name checked, so that every problem is said at
 * once; a path the parser already refuses (an absolute one) is not refused twice. A file the base
 * and its variants share is reported once, as the parser reports the base's problems once.
 */
import type { ParsedExperiment, Problem } from '../engine/experiment/parse';
import { RunProblems } from '../engine/experiment/problems';
import { checkRunFiles, type FileProblem } from '../engine/prepare/checkFiles';
import type { WorkspaceRoot } from '../engine/prepare/workspaceFiles';

type Range = { offset: number; length: number };

export function runFileProblems(parsed: ParsedExperiment, experimentFile: string, root: WorkspaceRoot): Problem[] {
  const problems = new RunProblems();
  for (const variant of [undefined, ...parsed.variants.map(v => v.name)]) {
    const files = parsed.resolve(variant)?.spec ?? parsed.namedFiles(variant);
    if (!files) continue;
    const overrides = variant === undefined ? undefined : parsed.locate(['variants', variant]);
    const found = checkRunFiles(files, experimentFile, root).problems.map(f => asProblem(parsed, f, variant));
    problems.add(found.filter(p => !refused(parsed, p)), variant, overrides);
  }
  return problems.list;
}

/** Whether the parser already has an error at this value (an absolute path, refused by the format). */
const refused = (parsed: ParsedExperiment, at: Range): boolean =>
  parsed.problems.some(p => p.severity === 'error' && p.offset === at.offset && p.length === at.length);

/** A file's problem where its path is written: in the variant's overrides, or in the base. */
function asProblem(parsed: ParsedExperiment, f: FileProblem, variant: string | undefined): Problem {
  const { offset, length, line, column } = parsed.locate(f.path, variant);
  // Fields in the parser's order: `validate --json` lists both kinds alike.
  return { message: f.message, severity: 'error', path: parsed.writtenPath(f.path, variant), offset, length, line, column };
}
