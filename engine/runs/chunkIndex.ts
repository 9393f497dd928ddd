/**
 * Where each chunk of a metrics.bin is, read from the chunks' headers only and kept up to date as
 * the file grows (the training worker appends while the host reads). Reading a step range then
 * reads just the chunks that hold it.
 */
import fs from 'node:fs';
import { decodeChunk, scanChunks, type ChunkInfo } from './recordFile';
import type { MetricRecord } from '../train/events';

/** How much is read at once while indexing (chunks are far smaller; a larger one is read whole). */
const BLOCK = 1 << 20;

export class ChunkIndex {
  readonly chunks: ChunkInfo[] = [];
  /** Bytes of whole chunks indexed. */
  private indexed = 0;
  /** Bytes after them that are not (yet) a whole chunk: a write in progress, or a run cut off mid-write. */
  torn = 0;

  /** `from`: a chunk boundary to start indexing at (what is before it is not read at all). */
  constructor(
    readonly file: string,
    from = 0,
  ) {
    this.indexed = from;
  }

  get end(): number {
    return this.indexed;
  }

  /** Indexes the chunks appended since the last call. */
  update(): this {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return this;
    }
    try {
      const size = fs.fstatSync(fd).size;
      let block = BLOCK;
      while (this.indexed < size) {
        const remaining = size - this.indexed;
        const length = Math.min(block, remaining);
        const buffer = Buffer.alloc(length);
        fs.readSync(fd, buffer, 0, length, this.indexed);
        const { chunks, end } = scanChunks(buffer, this.indexed);
        if (chunks.length > 0) {
          this.chunks.push(...chunks);
          this.indexed = end;
          block = BLOCK;
          continue;
        }
        // No whole chunk in the block: the torn end, or one chunk larger than the block.
        const needed = length >= 12 ? 12 + buffer.readUInt32LE(4) : Infinity;
        if (length === remaining || needed > remaining || needed <= length) break;
        block = needed;
      }
      this.torn = size - this.indexed;
    } finally {
      fs.closeSync(fd);
    }
    return this;
  }

  /** The records of the chunks `keep` accepts, in the order they were made. */
  read(keep: (chunk: ChunkInfo) => boolean, visit: (record: MetricRecord) => void, fromOffset = 0): void {
    const reader = this.reader(keep, visit, fromOffset);
    while (reader.next()) {
      // reads one chunk per call
    }
  }

  /**
   * The same, a few milliseconds at a time: between slices it awaits `pause` (the extension host
   * yields to its event loop) and stops early when `cancelled` says so. Resolves to whether it
   * read everything.
   */
  async readInSlices(
    keep: (chunk: ChunkInfo) => boolean,
    visit: (record: MetricRecord) => void,
    options: { sliceMs?: number; pause: () => Promise<void>; cancelled?: () => boolean },
  ): Promise<boolean> {
    const reader = this.reader(keep, visit, 0);
    const sliceMs = options.sliceMs ?? 8;
    let more = true;
    while (more) {
      const start = Date.now();
      while ((more = reader.next()) && Date.now() - start < sliceMs) {
        // one chunk per call
      }
      if (more) {
        await options.pause();
        if (options.cancelled?.()) {
          reader.close();
          return false;
        }
      }
    }
    return true;
  }

  /** Reads the wanted chunks one per `next()` (false when done; the file is then closed). */
  private reader(keep: (chunk: ChunkInfo) => boolean, visit: (record: MetricRecord) => void, fromOffset: number): { next(): boolean; close(): void } {
    const wanted = this.chunks.filter((c) => c.offset >= fromOffset && keep(c));
    let fd = wanted.length > 0 ? fs.openSync(this.file, 'r') : -1;
    let k = 0;
    let steps: MetricRecord[] = [];
    const close = (): void => {
      if (fd >= 0) fs.closeSync(fd);
      fd = -1;
    };
    return {
      close,
      next: () => {
        if (k >= wanted.length) {
          mergeByStep(steps, [], visit);
          steps = [];
          close();
          return false;
        }
        const chunk = wanted[k++];
        try {
          const buffer = Buffer.alloc(chunk.length);
          fs.readSync(fd, buffer, 0, chunk.length, chunk.offset);
          const { bodies } = scanChunks(buffer, chunk.offset);
          if (bodies.length === 0) return true; // changed under us: skip it
          const records = decodeChunk(bodies[0]);
          if (chunk.kind === 'steps') {
            steps.push(...records);
          } else {
            mergeByStep(steps, records, visit);
            steps = [];
          }
        } catch (e) {
          close();
          throw e;
        }
        return true;
      },
    };
  }
}

/** A flush's step records and other records in the order they were made (see recordFile.ts). */
function mergeByStep(steps: readonly MetricRecord[], others: readonly MetricRecord[], visit: (record: MetricRecord) => void): void {
  let i = 0;
  for (const r of others) {
    while (i < steps.length && steps[i].step <= r.step) visit(steps[i++]);
    visit(r);
  }
  while (i < steps.length) visit(steps[i++]);
}
