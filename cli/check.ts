/** `trainscope validate` and `trainscope variants`. */
import { EXIT, type CliIO } from './io';
import { findWorkspaceRoot } from '../engine/prepare/workspaceFiles';
import { loadExperiment, printProblems, problemPosition } from './experimentFile';
import { fashionMnistHint } from './fashionMnistHint';
import { runFileProblems } from './fileProblems';

/**
 * Every problem `run` would stop at before training, for the base and every variant: the file's
 * own, and those of the files it names (the run preparation's checks, without reading the files).
 */
export function validateCommand(io: CliIO, file: string, json: boolean): number {
  const loaded = loadExperiment(io, file);
  if (!loaded) return EXIT.badInput;
  const { parsed, shown } = loaded;
  const root = findWorkspaceRoot(loaded.file, io.cwd);
  // In file order; the sort is stable, so the file's own problems come first at one place.
  const problems = [...parsed.problems, ...runFileProblems(parsed, loaded.file, root)].sort((a, b) => a.offset - b.offset);
  const errors = problems.filter(p => p.severity === 'error').length;
  const warnings = problems.filter(p => p.severity === 'warning').length;
  if (json) {
    io.stdout(JSON.stringify({ file: shown, problems: problems.map(p => ({ file: shown, ...p, ...problemPosition(parsed, p) })) }, null, 2) + '\n');
    return errors > 0 ? EXIT.badInput : EXIT.ok;
  }
  printProblems(io, shown, parsed, problems);
  if (io.fashionMnist !== undefined) {
    const runs = [undefined, ...parsed.variants.map(v => v.name)].map(v => parsed.resolve(v)?.spec ?? parsed.namedFiles(v));
    io.stderr(fashionMnistHint(runs, loaded.file, root, io.cwd, io.fashionMnist));
  }
  const variants = parsed.variants.length;
  const what = `the experiment${variants > 0 ? ` and ${variants} variant${variants === 1 ? '' : 's'}` : ''}`;
  if (errors > 0) {
    io.stderr(`${shown}: ${errors} error${errors === 1 ? '' : 's'}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}\n`);
    return EXIT.badInput;
  }
  io.stdout(`${shown}: ok — ${what}${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}\n`);
  return EXIT.ok;
}

export function variantsCommand(io: CliIO, file: string, json: boolean): number {
  const loaded = loadExperiment(io, file);
  if (!loaded) return EXIT.badInput;
  const { parsed, shown } = loaded;
  const names = parsed.variants.map(v => v.name);
  if (json) io.stdout(JSON.stringify(names) + '\n');
  else for (const name of names) io.stdout(`${name}\n`);
  if (!json && names.length === 0) io.stderr(`${shown} has no variants\n`);
  return EXIT.ok;
}
