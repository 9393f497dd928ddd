/**
 * Where the files an experiment names may be: relative to the experiment file, inside its
 * workspace root — also after following symbolic links — never above it. An experiment must not
 * read or write files elsewhere on the machine.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface WorkspaceRoot {
  dir: string;
  /** Why this folder, for messages ("the workspace folder", "the nearest folder ... with .git"). */
  reason: string;
}

/**
 * The root a run outside VS Code treats as its workspace: the nearest folder at or above the
 * experiment file holding .vscode, package.json or .git; failing that, the cwd if the file is
 * inside it; failing that, the experiment file's own folder.
 */
export function findWorkspaceRoot(experimentFile: string, cwd: string): WorkspaceRoot {
  const start = path.dirname(experimentFile);
  for (let dir = start; ; dir = path.dirname(dir)) {
    for (const marker of ['.vscode', 'package.json', '.git']) {
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

/** What kind of file a key names, for messages: the data's `path`, a checkpoint's `load` or `save`. */
export interface FileRole {
  /** The key in the experiment file ('path', 'load', 'save'). */
  key: string;
  /** "data file", "checkpoint". */
  noun: string;
}

/** An existing file named in the experiment (a data file, a checkpoint to load), inside the root. */
export function resolveInputFile(experimentFile: string, relPath: string, root: WorkspaceRoot, role: FileRole): { path: string } | { error: string } {
  const where = insideRoot(experimentFile, relPath, root, role);
  if ('error' in where) return where;
  let real: string;
  try {
    real = fs.realpathSync(where.path);
  } catch {
    return { error: `${role.noun} '${relPath}' not found (looked for ${where.path})` };
  }
  if (!isInside(fs.realpathSync(root.dir), real)) return { error: `${outside(relPath, root, role)} (it links to ${real})` };
  const notFile = notAFile(relPath, real, role);
  if (notFile) return { error: notFile };
  return { path: where.path };
}

/**
 * A file the run writes (a checkpoint to save), inside the root: its folder may not exist yet (it
 * is created), but the nearest existing folder above it — and the file, if it exists — must not
 * lead out of the root through a symbolic link.
 */
export function resolveOutputFile(experimentFile: string, relPath: string, root: WorkspaceRoot, role: FileRole): { path: string } | { error: string } {
  const where = insideRoot(experimentFile, relPath, root, role);
  if ('error' in where) return where;
  const realRoot = fs.realpathSync(root.dir);
  // lstat, not exists: a dangling link must not pass for a missing file (writing would follow it).
  let existing = where.path;
  while (!isThere(existing)) existing = path.dirname(existing);
  let real: string;
  try {
    real = fs.realpathSync(existing);
  } catch {
    return { error: `'${relPath}' cannot be written: ${existing} is a broken symbolic link` };
  }
  if (!isInside(realRoot, real)) return { error: `${outside(relPath, root, role)} (it links to ${real})` };
  if (existing === where.path) {
    const notFile = notAFile(relPath, real, role);
    if (notFile) return { error: notFile };
  }
  if (existing !== where.path && !fs.statSync(real).isDirectory()) return { error: `'${relPath}' cannot be created: ${real} is not a folder` };
  return { path: where.path };
}

/** What is wrong with `real` as the file `relPath` names, if it is not a regular file. */
function notAFile(relPath: string, real: string, role: FileRole): string | undefined {
  const stats = fs.statSync(real);
  if (stats.isDirectory()) return `${role.noun} '${relPath}' is a folder, not a file; name a file in it`;
  return stats.isFile() ? undefined : `${role.noun} '${relPath}' is not a regular file (${real})`;
}

/** Whether anything (a file, a folder, a link, even a dangling one) is at `file`. */
function isThere(file: string): boolean {
  try {
    return fs.lstatSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch (e) {
    // Below a file ('data.csv/w.safetensors'): nothing there; the file above is what is in the way.
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw e;
  }
}

function insideRoot(experimentFile: string, relPath: string, root: WorkspaceRoot, role: FileRole): { path: string } | { error: string } {
  if (relPath.includes('\0')) {
    return { error: `${role.noun} '${relPath.replaceAll('\0', '\\u0000')}' contains a NUL character (\\u0000), which no file name can hold; remove it` };
  }
  if (path.isAbsolute(relPath) || /^[a-zA-Z]:/.test(relPath)) {
    return { error: `'${role.key}' must be relative to the experiment file's folder, not absolute ('${relPath}')` };
  }
  const resolved = path.resolve(path.dirname(experimentFile), relPath);
  if (!isInside(root.dir, resolved)) return { error: outside(relPath, root, role) };
  return { path: resolved };
}

function outside(relPath: string, root: WorkspaceRoot, role: FileRole): string {
  return `'${relPath}' is outside the workspace root ${root.dir} (${root.reason}); ${role.noun}s must be inside it`;
}
