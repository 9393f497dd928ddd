/**
 * Everything a run needs from disk before it starts, the same for the command line and the
 * extension: the data files and the checkpoint to load (checked by checkRunFiles: resolved relative
 * to the experiment file, kept inside the workspace, within the size limits; then read, and
 * gunzipped when they are gzip files), and where the checkpoint is saved. Problems come back at the
 * keys that named the files — all of them, so that one attempt shows every file to fix.
 */
import fs from 'node:fs/promises';
import type { JsonPath } from '../core/errors';
import type { ExperimentSpec } from '../experiment/sections';
import { checkRunFiles, type FileProblem } from './checkFiles';
import { decompressed } from './decompress';
import type { WorkspaceRoot } from './workspaceFiles';

export type { FileProblem } from './checkFiles';

export interface PreparedRun {
  /** The data files' bytes, by the path the experiment writes. */
  files: Record<string, Uint8Array>;
  /** The bytes of `checkpoint.load`. */
  checkpoint?: Uint8Array;
  /** Where `checkpoint.save` writes (absolute). */
  checkpointPath?: string;
}

/**
 * A failed preparation lists every problem (`problems`, in the order of the keys: data files, then
 * the checkpoint's); `message` and `path` are the first, for a caller that shows one.
 */
export type Preparation = { ok: true; run: PreparedRun } | { ok: false; message: string; path: JsonPath; problems: FileProblem[] };

export async function prepareRun(spec: ExperimentSpec, experimentFile: string, root: WorkspaceRoot): Promise<Preparation> {
  const checked = checkRunFiles(spec, experimentFile, root);
  if (checked.problems.length > 0) return failed(checked.problems);
  const run: PreparedRun = { files: {}, ...(checked.checkpointPath !== undefined && { checkpointPath: checked.checkpointPath }) };
  const problems: FileProblem[] = [];
  for (const input of checked.inputs) {
    let bytes: Uint8Array;
    try {
      const buffer = await fs.readFile(input.absolute);
      bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (e) {
      // Checked a moment ago; it may have been removed or made unreadable since.
      const noun = input.role === 'data' ? 'data file' : 'checkpoint';
      problems.push({ message: `cannot read ${noun} '${input.written}': ${(e as Error).message}`, path: input.path });
      continue;
    }
    if (input.role === 'checkpoint') {
      run.checkpoint = bytes;
      continue;
    }
    const unpacked = await decompressed(input.written, bytes);
    if ('error' in unpacked) problems.push({ message: `${input.path.at(-1)} ${unpacked.error}`, path: input.path });
    else run.files[input.written] = unpacked.bytes;
  }
  return problems.length > 0 ? failed(problems) : { ok: true, run };
}

function failed(problems: FileProblem[]): Preparation {
  return { ok: false, ...problems[0], problems };
}
