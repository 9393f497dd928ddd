/** Reading and parsing the experiment file named on the command line. */
import fs from 'node:fs';
import path from 'node:path';
import { parseExperiment, type ParsedExperiment, type Problem } from '../engine/experiment/parse';
import { formatProblem } from './format';
import type { CliIO } from './io';
import { displayPath } from './displayPath';

export interface LoadedExperiment {
  /** Absolute path. */
  file: string;
  /** As shown in messages (relative to the cwd when inside it). */
  shown: string;
  parsed: ParsedExperiment;
}

/** Reads and parses; on a read error prints it and returns undefined. */
export function loadExperiment(io: CliIO, file: string): LoadedExperiment | undefined {
  const absolute = path.resolve(io.cwd, file);
  const shown = displayPath(io.cwd, absolute);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr(`error: cannot read ${shown}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}\n`);
    return undefined;
  }
  return { file: absolute, shown, parsed: parseExperiment(text, absolute) };
}

/** The problems that concern the base experiment and, if given, that one variant. */
export function problemsFor(parsed: ParsedExperiment, variant: string | undefined): Problem[] {
  return parsed.problems.filter(p => p.variant === undefined || p.variant === variant);
}

/**
 * Where the command line says a problem is: at the key it concerns (the editor underlines the value
 * itself); syntax errors, which have no key, where they are.
 */
export function problemPosition(parsed: ParsedExperiment, p: Problem): { line: number; column: number } {
  return parsed.problemKey(p);
}

export function printProblems(io: CliIO, shown: string, parsed: ParsedExperiment, problems: Problem[]): void {
  for (const p of problems) io.stderr(formatProblem(shown, p, problemPosition(parsed, p)));
}
