/**
 * Where a run from the command line is kept: where VS Code shows the runs of the workspace the
 * experiment is in — its `trainscope.runsDirectory` setting (in .vscode/settings.json), else
 * .trainscope/runs under the workspace root.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'jsonc-parser/lib/esm/main.js';

export const DEFAULT_RUNS_DIR = path.join('.trainscope', 'runs');

export function runsDirectory(workspaceRoot: string): string {
  let configured: unknown;
  try {
    const settings = parse(fs.readFileSync(path.join(workspaceRoot, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown> | undefined;
    configured = settings?.['trainscope.runsDirectory'];
  } catch {
    // No settings file (or an unreadable one): the default, as VS Code would use.
  }
  return path.resolve(workspaceRoot, typeof configured === 'string' && configured.trim() !== '' ? configured : DEFAULT_RUNS_DIR);
}
