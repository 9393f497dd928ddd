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

  constructor(readonly file: string) {}

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
    const wanted = this.chunks.filter((c) => c.offset >= fromOffset && keep(c));
    if (wanted.length === 0) return;
    const fd = fs.openSync(this.file, 'r');
    try {
      let steps: MetricRecord[] = [];
      for (const chunk of wanted) {
        const buffer = Buffer.alloc(chunk.length);
        fs.readSync(fd, buffer, 0, chunk.length, chunk.offset);
        const { bodies } = scanChunks(buffer, chunk.offset);
        if (bodies.length === 0) continue; // changed under us: skip it
        const records = decodeChunk(bodies[0]);
        if (chunk.kind === 'steps') {
          steps.push(...records);
        } else {
          mergeByStep(steps, records, visit);
          steps = [];
        }
      }
      mergeByStep(steps, [], visit);
    } finally {
      fs.closeSync(fd);
    }
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
