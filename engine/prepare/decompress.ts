/**
 * Data files may come gzipped (MNIST's `*-idx3-ubyte.gz`): a file that starts with gzip's magic
 * bytes is decompressed here, with Node's zlib, so the engine's readers see the file's own bytes
 * whatever its name. The decompressed size is bounded (a small file can expand enormously).
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { LIMITS } from '../core/limits';

const gunzip = promisify(zlib.gunzip);

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The bytes of a data file as its reader needs them: gunzipped if gzipped, else as they are. */
export async function decompressed(written: string, bytes: Uint8Array, limit: number = LIMITS.dataBytes): Promise<{ bytes: Uint8Array } | { error: string }> {
  if (!isGzip(bytes)) return { bytes };
  try {
    const out = await gunzip(bytes, { maxOutputLength: limit });
    return { bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
  } catch (e) {
    return { error: `'${written}': ${gzipProblem(e as NodeJS.ErrnoException, limit)}` };
  }
}

function gzipProblem(e: NodeJS.ErrnoException, limit: number): string {
  if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
    return `decompresses to more than ${Math.round(limit / 2 ** 20)} MiB, more than Trainscope reads for a data file`;
  }
  if (e.code === 'Z_BUF_ERROR') return 'the gzip data ends early (unexpected end of file): the file is cut short; copy or download it again';
  return `the gzip data is corrupt (${e.message}); copy or download the file again`;
}
