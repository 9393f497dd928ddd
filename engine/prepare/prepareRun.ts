/**
 * Everything a run needs from disk before it starts, the same for the command line and the
 * extension: the data files and the checkpoint to load (resolved relative to the experiment file,
 * kept inside the workspace, checked against the size limits, read, and gunzipped when they are
 * gzip files), and where the checkpoint is saved. A problem comes back at the key that named the file.
 */
import fs from 'node:fs/promises';
import type { JsonPath } from '../core/errors';
import { LIMITS } from '../core/limits';
import { dataFiles } from '../data/kinds';
import type { ExperimentSpec } from '../experiment/sections';
import { decompressed } from './decompress';
import { resolveInputFile, resolveOutputFile, type FileRole, type WorkspaceRoot } from './workspaceFiles';

export interface PreparedRun {
  /** The data files' bytes, by the path the experiment writes. */
  files: Record<string, Uint8Array>;
  /** The bytes of `checkpoint.load`. */
  checkpoint?: Uint8Array;
  /** Where `checkpoint.save` writes (absolute). */
  checkpointPath?: string;
}

export type Preparation = { ok: true; run: PreparedRun } | { ok: false; message: string; path: JsonPath };

const CHECKPOINT_LOAD: FileRole = { key: 'load', noun: 'checkpoint' };
const CHECKPOINT_SAVE: FileRole = { key: 'save', noun: 'checkpoint' };

export async function prepareRun(spec: ExperimentSpec, experimentFile: string, root: WorkspaceRoot): Promise<Preparation> {
  const run: PreparedRun = { files: {} };
  for (const { key, path: written } of dataFiles(spec.data)) {
    const read = await readInside(experimentFile, written, root, { key, noun: 'data file' }, LIMITS.fileBytes);
    if ('error' in read) return { ok: false, message: read.error, path: ['data', key] };
    const unpacked = await decompressed(written, read.bytes);
    if ('error' in unpacked) return { ok: false, message: `${key} ${unpacked.error}`, path: ['data', key] };
    run.files[written] = unpacked.bytes;
  }
  const checkpoint = spec.checkpoint;
  if (checkpoint?.load !== undefined) {
    const read = await readInside(experimentFile, checkpoint.load, root, CHECKPOINT_LOAD, LIMITS.checkpointBytes);
    if ('error' in read) return { ok: false, message: read.error, path: ['checkpoint', 'load'] };
    run.checkpoint = read.bytes;
  }
  if (checkpoint?.save !== undefined) {
    const where = resolveOutputFile(experimentFile, checkpoint.save, root, CHECKPOINT_SAVE);
    if ('error' in where) return { ok: false, message: where.error, path: ['checkpoint', 'save'] };
    run.checkpointPath = where.path;
  }
  return { ok: true, run };
}

/** A file named in the experiment, inside the root, no larger than `limit`: its bytes. */
async function readInside(
  experimentFile: string,
  written: string,
  root: WorkspaceRoot,
  role: FileRole,
  limit: number,
): Promise<{ bytes: Uint8Array } | { error: string }> {
  const where = resolveInputFile(experimentFile, written, root, role);
  if ('error' in where) return where;
  const { size } = await fs.stat(where.path);
  if (size > limit) {
    const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    return { error: `'${written}' is ${mb(size)}; Trainscope reads ${role.noun}s up to ${mb(limit)}` };
  }
  const buffer = await fs.readFile(where.path);
  return { bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) };
}
