/**
 * The files a run names, checked without reading them: each resolved relative to the experiment
 * file, kept inside the workspace (symbolic links followed), existing, and — by its size on disk —
 * within the limits. `trainscope validate` reports these problems, and the run preparation reads
 * only files that pass; every problem is found, not only the first, each at the key naming its file.
 */
import fs from 'node:fs';
import type { JsonPath } from '../core/errors';
import { LIMITS } from '../core/limits';
import { dataFiles } from '../data/kinds';
import type { NamedFiles } from '../experiment/validate';
import { resolveInputFile, resolveOutputFile, type FileRole, type WorkspaceRoot } from './workspaceFiles';

/** A problem with a file the experiment names, at the key that names it (a SpecError's path). */
export interface FileProblem {
  message: string;
  path: JsonPath;
}

/** A file the run reads: the key naming it, the path as the experiment writes it, where it is. */
export interface InputFile {
  path: JsonPath;
  written: string;
  absolute: string;
  role: 'data' | 'checkpoint';
}

export interface CheckedFiles {
  /** The data files, then the checkpoint to load, in that order: those that passed. */
  inputs: InputFile[];
  /** Where `checkpoint.save` writes (absolute), when it may. */
  checkpointPath?: string;
  /** Every file that failed, in the same order. */
  problems: FileProblem[];
}

const DATA_FILE = (key: string): FileRole => ({ key, noun: 'data file' });
const CHECKPOINT_LOAD: FileRole = { key: 'load', noun: 'checkpoint' };
const CHECKPOINT_SAVE: FileRole = { key: 'save', noun: 'checkpoint' };

/** `spec`: a run's, or the files an experiment with errors names (`ParsedExperiment.namedFiles`). */
export function checkRunFiles(spec: NamedFiles, experimentFile: string, root: WorkspaceRoot): CheckedFiles {
  const checked: CheckedFiles = { inputs: [], problems: [] };
  const input = (path: JsonPath, written: string, role: FileRole, kind: InputFile['role'], limit: number): void => {
    const where = guarded(written, role, () => inputInside(experimentFile, written, root, role, limit));
    if ('error' in where) checked.problems.push({ message: where.error, path });
    else checked.inputs.push({ path, written, absolute: where.path, role: kind });
  };
  for (const { key, path: written } of spec.data ? dataFiles(spec.data) : []) {
    // Absent only from the files of an experiment with errors: a key whose value was no path.
    if (written !== undefined) input(['data', key], written, DATA_FILE(key), 'data', LIMITS.fileBytes);
  }
  const checkpoint = spec.checkpoint;
  if (checkpoint?.load !== undefined) input(['checkpoint', 'load'], checkpoint.load, CHECKPOINT_LOAD, 'checkpoint', LIMITS.checkpointBytes);
  if (checkpoint?.save !== undefined) {
    const save = checkpoint.save;
    const where = guarded(save, CHECKPOINT_SAVE, () => resolveOutputFile(experimentFile, save, root, CHECKPOINT_SAVE));
    if ('error' in where) checked.problems.push({ message: where.error, path: ['checkpoint', 'save'] });
    else checked.checkpointPath = where.path;
  }
  return checked;
}

/** A check whose file system calls fail unexpectedly (no permission, a name too long): a problem too. */
function guarded(written: string, role: FileRole, check: () => { path: string } | { error: string }): { path: string } | { error: string } {
  try {
    return check();
  } catch (e) {
    return { error: `cannot check ${role.noun} '${written}': ${(e as Error).message}` };
  }
}

/** A file named in the experiment, inside the root, no larger than `limit` (its size from stat). */
function inputInside(experimentFile: string, written: string, root: WorkspaceRoot, role: FileRole, limit: number): { path: string } | { error: string } {
  const where = resolveInputFile(experimentFile, written, root, role);
  if ('error' in where) return where;
  const { size } = fs.statSync(where.path);
  if (size > limit) {
    // A decimal, so that a file just over the limit does not read as its size.
    const mb = (bytes: number, digits: number): string => `${(bytes / 1024 / 1024).toFixed(digits)} MB`;
    return { error: `'${written}' is ${mb(size, 1)}, more than the ${mb(limit, 0)} Trainscope reads for a ${role.noun}` };
  }
  return where;
}
