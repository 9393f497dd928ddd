/**
 * series.bin: the run's digest (engine/series/digest.ts) — every series summarized in bounded
 * buckets, the latest records and the findings — kept beside metrics.bin so a run of any length
 * reopens by reading a few hundred kilobytes. Rewritten whole every few seconds while the run goes
 * and when it ends, through a temporary file (a reader never sees half of it). It says how many
 * bytes of metrics.bin it covers: a reader adds what was appended after (a run that died between
 * two rewrites loses nothing).
 *
 *   u32 magic "TSS1" · u32 body length · u32 CRC-32 of the body · body
 *   body: u32 JSON length · JSON header (UTF-8) · the pieces of every series, f64 little-endian,
 *         in the header's order (`pieces` numbers each)
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { DigestDelta } from '../series/digest';
import type { PackedSeries } from '../series/seriesSet';

export const SERIES_FILE = 'series.bin';
const MAGIC = 0x31535354; // "TSS1"

interface Header extends Omit<DigestDelta, 'series'> {
  format: 1;
  /** Bytes of metrics.bin the digest covers. */
  covers: number;
  series: { key: string; label?: string; pieces: number }[];
}

export function encodeSeriesFile(digest: DigestDelta, covers: number): Buffer {
  const { series, ...rest } = digest;
  const header: Header = { format: 1, covers, ...rest, series: series.map((s) => ({ key: s.key, ...(s.label !== undefined ? { label: s.label } : {}), pieces: s.pieces.length })) };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const numbers = series.reduce((n, s) => n + s.pieces.length, 0);
  const body = Buffer.alloc(4 + json.length + numbers * 8);
  body.writeUInt32LE(json.length, 0);
  json.copy(body, 4);
  let at = 4 + json.length;
  for (const s of series) {
    for (let i = 0; i < s.pieces.length; i++, at += 8) body.writeDoubleLE(s.pieces[i], at);
  }
  const head = Buffer.alloc(12);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(body.length, 4);
  head.writeUInt32LE(zlib.crc32(body), 8);
  return Buffer.concat([head, body]);
}

/** The digest and how many bytes of metrics.bin it covers; undefined when the file is missing or damaged. */
export function decodeSeriesFile(data: Uint8Array): { digest: DigestDelta; covers: number } | undefined {
  if (data.length < 16) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const length = view.getUint32(4, true);
  if (view.getUint32(0, true) !== MAGIC || 12 + length > data.length) return undefined;
  const body = data.subarray(12, 12 + length);
  if (zlib.crc32(body) !== view.getUint32(8, true)) return undefined;
  const jsonLength = view.getUint32(12, true);
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(body.buffer, body.byteOffset + 4, jsonLength).toString('utf8')) as Header;
  } catch {
    return undefined;
  }
  if (header.format !== 1 || !Array.isArray(header.series)) return undefined;
  let at = 12 + 4 + jsonLength;
  const series: PackedSeries[] = header.series.map((s) => {
    const pieces = new Float64Array(s.pieces);
    for (let i = 0; i < s.pieces; i++, at += 8) pieces[i] = view.getFloat64(at, true);
    const out: PackedSeries = { key: s.key, pieces };
    if (s.label !== undefined) out.label = s.label;
    return out;
  });
  const { format: _format, covers, series: _series, ...rest } = header;
  return { digest: { ...rest, series }, covers };
}

export function writeSeriesFile(dir: string, digest: DigestDelta, covers: number): void {
  const file = path.join(dir, SERIES_FILE);
  const temp = `${file}.tmp`;
  fs.writeFileSync(temp, encodeSeriesFile(digest, covers));
  fs.renameSync(temp, file);
}

export function readSeriesFile(dir: string): { digest: DigestDelta; covers: number } | undefined {
  let data: Buffer;
  try {
    data = fs.readFileSync(path.join(dir, SERIES_FILE));
  } catch {
    return undefined;
  }
  return decodeSeriesFile(data);
}
