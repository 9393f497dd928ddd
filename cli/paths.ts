/**
 * File paths on the command line: how to show them (relative to the cwd, like compilers do, so
 * terminals and editors can jump to `file:line:column`), and where an experiment's data files may
 * come from (inside its workspace root, never above it).
 */
import fs from 'node:fs';
import path from 'node:path';

/** A path for messages: relative to the cwd when inside it, else absolute. */
export function displayPath(cwd: string, absolute: string): string {
  const rel = path.relative(cwd, absolute);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absolute;
}

export interface WorkspaceRoot {
  dir: string;
  /** Why this folder, for messages. */
  reason: string;
}

/**
 * The root a command-line run treats as its workspace: the nearest folder at or above the
 * experiment file holding package.json or .git; failing that, the cwd if the file is inside it;
 * failing that, the experiment file's own folder.
 */
export function findWorkspaceRoot(experimentFile: string, cwd: string): WorkspaceRoot {
  const start = path.dirname(experimentFile);
  for (let dir = start; ; dir = path.dirname(dir)) {
    for (const marker of ['package.json', '.git']) {
      if (fs.existsSync(path.join(dir, marker))) {
        return { dir, reason: `the nearest folder above the experiment file with ${marker}` };
      }
    }
    if (path.dirname(dir) === dir) break;
  }
  if (isInside(cwd, experimentFile)) return { dir: cwd, reason: 'the current directory (no package.json or .git above the experiment file)' };
  return { dir: start, reason: "the experiment file's folder (no package.json or .git above it)" };
}

export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves a data file's path (as written in the experiment, relative to its folder) and checks
 * that it stays inside the workspace root — also after following symbolic links.
 */
export function resolveDataFile(experimentFile: string, dataPath: string, root: WorkspaceRoot): { path: string } | { error: string } {
  if (path.isAbsolute(dataPath) || /^[a-zA-Z]:/.test(dataPath)) {
    return { error: `'path' must be relative to the experiment file's folder, not absolute ('${dataPath}')` };
  }
  const resolved = path.resolve(path.dirname(experimentFile), dataPath);
  const outside = `'${dataPath}' is outside the workspace root ${root.dir} (${root.reason}); data files must be inside it`;
  if (!isInside(root.dir, resolved)) return { error: outside };
  let real: string;
  try {
    real = fs.realpathSync(resolved);
  } catch {
    return { error: `data file '${dataPath}' not found (looked for ${resolved})` };
  }
  if (!isInside(fs.realpathSync(root.dir), real)) return { error: `${outside} (it links to ${real})` };
  if (!fs.statSync(real).isFile()) return { error: `'${dataPath}' is not a file` };
  return { path: resolved };
}
