/**
 * metrics.bin: every record of a run, compactly, appended as training goes.
 *
 * The file is a sequence of chunks, each written with one write call:
 *
 *   u32 magic "TSC1" · u32 body length · u32 CRC-32 of the body · body
 *   body: u8 kind · 3 reserved bytes · f64 first step · f64 last step · u32 record count · content
 *     kind 1 (steps): consecutive step records as columns. u16 column count, then per column:
 *       u8 name length, name (ASCII: "epoch", "loss", "lr", ...), u8 encoding, data:
 *         0 = count × f64;  1 = runs: u32 n, then n × (f64 value, u32 length)
 *       (the learning rate, momentum and epoch change rarely: a run of them is one value)
 *     kind 2 (records): every other record (epochs, probes, findings), JSON lines, deflated.
 *
 * A million steps of loss + constant lr take ~8 MB; probes (every 50 steps) ~1.3 KB each after
 * compression. All little-endian. A reader stops at the first chunk that is cut off or whose CRC
 * does not match — the end of a run killed mid-write — and reports how many bytes it skipped; the
 * chunks before it are whole. Records come back in the order they were made: within a step, the
 * step record first, then the others in their order.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import type { MetricRecord, StepRecord } from '../train/events';

export const RECORDS_FILE = 'metrics.bin';

const MAGIC = 0x31435354; // "TSC1" read little-endian
const HEADER = 12;
const BODY_HEADER = 24;
const KIND_STEPS = 1;
const KIND_RECORDS = 2;
const ENCODING_RAW = 0;
const ENCODING_RUNS = 1;

/** The optional numeric fields of a step record, stored as columns when present. */
const STEP_COLUMNS = ['epoch', 'loss', 'lr', 'momentum', 'grad_norm', 'penalty', 'function_evaluations'] as const;
type StepColumn = (typeof STEP_COLUMNS)[number];

/** A chunk's place in the file and what it holds, for reading a step range without the rest. */
export interface ChunkInfo {
  offset: number;
  /** Header + body. */
  length: number;
  kind: 'steps' | 'records';
  firstStep: number;
  lastStep: number;
  count: number;
}

// ---- writing -----------------------------------------------------------------------------------

/** Encodes records as chunks: runs of consecutive steps with the same fields as one steps chunk each, the rest as one records chunk. */
export function encodeChunks(records: readonly MetricRecord[]): Buffer {
  const parts: Buffer[] = [];
  let steps: StepRecord[] = [];
  const others: MetricRecord[] = [];
  const flushSteps = (): void => {
    if (steps.length > 0) parts.push(frame(stepsBody(steps)));
    steps = [];
  };
  for (const r of records) {
    if (r.kind === 'step') {
      const prev = steps[steps.length - 1];
      if (prev && (r.step !== prev.step + 1 || fieldsOf(r) !== fieldsOf(prev))) flushSteps();
      steps.push(r);
    } else {
      others.push(r);
    }
  }
  flushSteps();
  if (others.length > 0) parts.push(frame(recordsBody(others)));
  return Buffer.concat(parts);
}

/** Appends chunks to metrics.bin, each flush one write (so a crash leaves whole chunks and at most one torn one). */
export class RecordFileWriter {
  private fd: number;
  private bytes: number;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'a');
    this.bytes = fs.fstatSync(this.fd).size;
  }

  /** Bytes in the file. */
  get size(): number {
    return this.bytes;
  }

  append(records: readonly MetricRecord[]): void {
    if (records.length === 0) return;
    const data = encodeChunks(records);
    let written = 0;
    while (written < data.length) written += fs.writeSync(this.fd, data, written, data.length - written);
    this.bytes += data.length;
  }

  close(): void {
    if (this.fd >= 0) {
      fs.closeSync(this.fd);
      this.fd = -1;
    }
  }
}

function fieldsOf(r: StepRecord): string {
  let mask = '';
  for (const c of STEP_COLUMNS) mask += r[c] === undefined ? '0' : '1';
  return mask;
}

function stepsBody(steps: readonly StepRecord[]): Buffer {
  const columns = STEP_COLUMNS.filter((c) => steps[0][c] !== undefined);
  const encoded = columns.map((name) => encodeColumn(name, steps.map((s) => s[name] as number)));
  const head = Buffer.alloc(BODY_HEADER + 4);
  writeBodyHeader(head, KIND_STEPS, steps[0].step, steps[steps.length - 1].step, steps.length);
  head.writeUInt16LE(columns.length, BODY_HEADER);
  return Buffer.concat([head, ...encoded]);
}

function encodeColumn(name: StepColumn, values: readonly number[]): Buffer {
  let runs = 1;
  for (let i = 1; i < values.length; i++) if (!Object.is(values[i], values[i - 1])) runs++;
  const useRuns = runs * 12 + 4 < values.length * 8;
  const head = Buffer.alloc(2 + name.length);
  head.writeUInt8(name.length, 0);
  head.write(name, 1, 'latin1');
  head.writeUInt8(useRuns ? ENCODING_RUNS : ENCODING_RAW, 1 + name.length);
  if (!useRuns) {
    const data = Buffer.alloc(values.length * 8);
    values.forEach((v, i) => data.writeDoubleLE(v, i * 8));
    return Buffer.concat([head, data]);
  }
  const data = Buffer.alloc(4 + runs * 12);
  data.writeUInt32LE(runs, 0);
  let at = 4;
  let start = 0;
  for (let i = 1; i <= values.length; i++) {
    if (i === values.length || !Object.is(values[i], values[start])) {
      data.writeDoubleLE(values[start], at);
      data.writeUInt32LE(i - start, at + 8);
      at += 12;
      start = i;
    }
  }
  return Buffer.concat([head, data]);
}

function recordsBody(records: readonly MetricRecord[]): Buffer {
  const head = Buffer.alloc(BODY_HEADER);
  const steps = records.map((r) => r.step);
  writeBodyHeader(head, KIND_RECORDS, Math.min(...steps), Math.max(...steps), records.length);
  const json = records.map((r) => JSON.stringify(r)).join('\n');
  return Buffer.concat([head, zlib.deflateRawSync(json)]);
}

function writeBodyHeader(b: Buffer, kind: number, first: number, last: number, count: number): void {
  b.writeUInt8(kind, 0);
  b.writeDoubleLE(first, 4);
  b.writeDoubleLE(last, 12);
  b.writeUInt32LE(count, 20);
}

function frame(body: Buffer): Buffer {
  const head = Buffer.alloc(HEADER);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(body.length, 4);
  head.writeUInt32LE(zlib.crc32(body), 8);
  return Buffer.concat([head, body]);
}

// ---- reading -----------------------------------------------------------------------------------

/** Where reading stopped: `end` = bytes of whole chunks; `torn` = bytes after them that are not a whole chunk. */
export interface ReadEnd {
  end: number;
  torn: number;
}

/**
 * The chunks of `data` (a whole file or a part starting at a chunk, at file offset `base`), up to
 * the first torn or corrupt one.
 */
export function scanChunks(data: Uint8Array, base = 0): { chunks: ChunkInfo[]; bodies: Uint8Array[] } & ReadEnd {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const chunks: ChunkInfo[] = [];
  const bodies: Uint8Array[] = [];
  let at = 0;
  while (at + HEADER <= data.length) {
    if (view.getUint32(at, true) !== MAGIC) break;
    const length = view.getUint32(at + 4, true);
    if (length < BODY_HEADER || at + HEADER + length > data.length) break;
    const body = data.subarray(at + HEADER, at + HEADER + length);
    if (zlib.crc32(body) !== view.getUint32(at + 8, true)) break;
    const kind = body[0];
    if (kind !== KIND_STEPS && kind !== KIND_RECORDS) break;
    const bv = new DataView(body.buffer, body.byteOffset, body.byteLength);
    chunks.push({
      offset: base + at,
      length: HEADER + length,
      kind: kind === KIND_STEPS ? 'steps' : 'records',
      firstStep: bv.getFloat64(4, true),
      lastStep: bv.getFloat64(12, true),
      count: bv.getUint32(20, true),
    });
    bodies.push(body);
    at += HEADER + length;
  }
  return { chunks, bodies, end: base + at, torn: data.length - at };
}

/** The records of one chunk body, in order. */
export function decodeChunk(body: Uint8Array): MetricRecord[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const count = view.getUint32(20, true);
  if (body[0] === KIND_RECORDS) {
    const text = zlib.inflateRawSync(body.subarray(BODY_HEADER)).toString('utf8');
    return text === '' ? [] : text.split('\n').map((line) => JSON.parse(line) as MetricRecord);
  }
  const first = view.getFloat64(4, true);
  const columns = view.getUint16(BODY_HEADER, true);
  const records: StepRecord[] = [];
  for (let i = 0; i < count; i++) records.push({ kind: 'step', step: first + i, epoch: 0, loss: 0, lr: 0 });
  let at = BODY_HEADER + 4;
  for (let c = 0; c < columns; c++) {
    const nameLength = body[at];
    const name = Buffer.from(body.buffer, body.byteOffset + at + 1, nameLength).toString('latin1') as StepColumn;
    const encoding = body[at + 1 + nameLength];
    at += 2 + nameLength;
    const set = (i: number, v: number): void => {
      (records[i] as unknown as Record<string, number>)[name] = v;
    };
    if (encoding === ENCODING_RAW) {
      for (let i = 0; i < count; i++) set(i, view.getFloat64(at + i * 8, true));
      at += count * 8;
    } else {
      const runs = view.getUint32(at, true);
      at += 4;
      let i = 0;
      for (let r = 0; r < runs; r++) {
        const value = view.getFloat64(at, true);
        const length = view.getUint32(at + 8, true);
        at += 12;
        for (let k = 0; k < length && i < count; k++) set(i++, value);
      }
    }
  }
  return records;
}

/**
 * Calls `visit` with every record of the chunks, in the order they were made (chunks are written
 * a flush at a time: the steps first, then the records that follow them; within a step the step
 * record comes first). `keep` may skip chunks by their info (e.g. outside a step range).
 */
export function forEachRecord(
  data: Uint8Array,
  visit: (record: MetricRecord) => void,
  keep: (chunk: ChunkInfo) => boolean = () => true,
  base = 0,
): ReadEnd {
  const { chunks, bodies, end, torn } = scanChunks(data, base);
  let steps: StepRecord[] = [];
  let others: MetricRecord[] = [];
  const drain = (): void => {
    // Merge by step: a step record before any other record of the same step.
    let i = 0;
    for (const r of others) {
      while (i < steps.length && steps[i].step <= r.step) visit(steps[i++]);
      visit(r);
    }
    while (i < steps.length) visit(steps[i++]);
    steps = [];
    others = [];
  };
  chunks.forEach((chunk, k) => {
    if (!keep(chunk)) return;
    const records = decodeChunk(bodies[k]);
    if (chunk.kind === 'steps') {
      // A new flush starts when steps follow a records chunk.
      if (others.length > 0) drain();
      steps.push(...(records as StepRecord[]));
    } else {
      others.push(...records);
      drain();
    }
  });
  drain();
  return { end, torn };
}
