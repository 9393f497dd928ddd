import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** Larger files would take the editor's memory hostage; the engine is made for small models. */
export const MAX_DATA_FILE_BYTES = 100e6;

/** The folder where runs of experiments in `folder` are kept (setting `trainscope.runsDirectory`). */
export function runsDirectory(folder: vscode.WorkspaceFolder): string {
  const configured = vscode.workspace.getConfiguration('trainscope', folder.uri).get<string>('runsDirectory') || '.trainscope/runs';
  return path.resolve(folder.uri.fsPath, configured);
}

/** Every runs directory of the open workspace (one per folder). */
export function allRunsDirectories(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map(runsDirectory);
}

/**
 * Resolves a data path written in an experiment file (relative to that file) and checks that it
 * stays inside the workspace folder, following symbolic links: an experiment must not read files
 * from elsewhere on the machine. Returns the absolute path, or a reason to refuse it.
 */
export function resolveDataPath(
  experimentFile: string,
  folder: vscode.WorkspaceFolder,
  written: string,
): { path: string } | { error: string } {
  if (path.isAbsolute(written) || /^[a-zA-Z]:[\\/]/.test(written)) {
    return { error: `data path '${written}' must be relative to the experiment file, not absolute` };
  }
  const resolved = path.resolve(path.dirname(experimentFile), written);
  const root = realpathOr(folder.uri.fsPath);
  if (!fs.existsSync(resolved)) {
    return { error: `data file '${written}' does not exist (looked for ${vscode.workspace.asRelativePath(resolved)})` };
  }
  const real = realpathOr(resolved);
  if (real !== root && !real.startsWith(root + path.sep)) {
    return { error: `data path '${written}' leads outside the workspace folder; experiments may only read files inside it` };
  }
  const stat = fs.statSync(real);
  if (!stat.isFile()) {
    return { error: `data path '${written}' is not a file` };
  }
  if (stat.size > MAX_DATA_FILE_BYTES) {
    return { error: `data file '${written}' is ${(stat.size / 1e6).toFixed(0)} MB; Trainscope trains in memory and accepts files up to ${MAX_DATA_FILE_BYTES / 1e6} MB` };
  }
  return { path: real };
}

function realpathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * Resolves a path the experiment writes to (a checkpoint), relative to the experiment file, and
 * checks that it stays inside the workspace folder (its existing parent is followed through links).
 */
export function resolveWritePath(experimentFile: string, folder: vscode.WorkspaceFolder, written: string): { path: string } | { error: string } {
  if (path.isAbsolute(written) || /^[a-zA-Z]:[\\/]/.test(written)) {
    return { error: `checkpoint path '${written}' must be relative to the experiment file, not absolute` };
  }
  const resolved = path.resolve(path.dirname(experimentFile), written);
  const root = realpathOr(folder.uri.fsPath);
  let existing = path.dirname(resolved);
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
    existing = path.dirname(existing);
  }
  const real = path.join(realpathOr(existing), path.relative(existing, resolved));
  if (!real.startsWith(root + path.sep)) {
    return { error: `checkpoint path '${written}' leads outside the workspace folder; runs may only write inside it` };
  }
  return { path: real };
}
