/**
 * Reading a run folder back: its digest (what the views draw, without holding its records), all
 * of its records (for tests and small runs), or one step range in more detail (a zoomed chart).
 * Reads both formats: metrics.bin (+ series.bin) and the metrics.jsonl of runs recorded before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RunDigest } from '../series/digest';
import { recordPoints, seriesGroup } from '../series/recordSeries';
import { FIELDS } from '../series/summary';
import { SeriesWindow } from '../series/window';
import type { MetricRecord } from '../train/events';
import { ChunkIndex } from './chunkIndex';
import { RECORDS_FILE, type ChunkInfo } from './recordFile';
import { readSeriesFile } from './seriesFile';

/** The line-per-record file of runs recorded before metrics.bin. */
export const LEGACY_METRICS_FILE = 'metrics.jsonl';

export interface DigestRead {
  digest: RunDigest;
  /** Bytes at the end of the records file that were not a whole record (cut off mid-write). */
  torn: number;
  format: 'bin' | 'jsonl' | 'none';
}

/** The run's digest: from series.bin plus what metrics.bin holds after it, or built from metrics.jsonl. */
export function readDigest(dir: string): DigestRead {
  const digest = new RunDigest();
  const bin = path.join(dir, RECORDS_FILE);
  if (fs.existsSync(bin)) {
    // The saved digest is continued with the chunks written after it (none when the run ended
    // cleanly): only those are read. (It always ends where a flush ended: at a chunk boundary.) A
    // records file shorter than it covers is not the one it was made from: rebuild from the records.
    const saved = readSeriesFile(dir);
    const usable = saved !== undefined && saved.covers <= fs.statSync(bin).size;
    const index = new ChunkIndex(bin, usable ? saved.covers : 0).update();
    if (usable) digest.apply(saved.digest);
    index.read(() => true, (r) => digest.addRecord(r));
    return { digest, torn: index.torn, format: 'bin' };
  }
  const legacy = path.join(dir, LEGACY_METRICS_FILE);
  if (fs.existsSync(legacy)) {
    const torn = forEachLegacyRecord(legacy, (r) => digest.addRecord(r));
    return { digest, torn, format: 'jsonl' };
  }
  return { digest, torn: 0, format: 'none' };
}

/** Every record of the run, in order (a torn end skipped). Holds them all: for tests, tools and small runs. */
export function readRecords(dir: string): MetricRecord[] {
  const records: MetricRecord[] = [];
  const bin = path.join(dir, RECORDS_FILE);
  if (fs.existsSync(bin)) {
    new ChunkIndex(bin).update().read(() => true, (r) => records.push(r));
  } else if (fs.existsSync(path.join(dir, LEGACY_METRICS_FILE))) {
    forEachLegacyRecord(path.join(dir, LEGACY_METRICS_FILE), (r) => records.push(r));
  }
  return records;
}

/**
 * The series `keys` between steps `from` and `to` at buckets of `width` steps (a power of two),
 * read from the raw records: what a chart zoomed into that range draws. `index` may be kept
 * between calls (it only reads what was appended since). Legacy runs are read whole.
 */
export function readDetail(
  dir: string,
  keys: readonly string[],
  from: number,
  to: number,
  width: number,
  index?: ChunkIndex,
): Map<string, SeriesWindow> {
  const { windows, visit, needSteps, needOthers } = detailSetup(keys, from, to, width);
  const bin = path.join(dir, RECORDS_FILE);
  if (fs.existsSync(bin)) {
    const chunks = (index ?? new ChunkIndex(bin)).update();
    const overlaps = (c: ChunkInfo): boolean => c.lastStep >= from && c.firstStep <= to && (c.kind === 'steps' ? needSteps : needOthers);
    chunks.read(overlaps, visit);
  } else if (fs.existsSync(path.join(dir, LEGACY_METRICS_FILE))) {
    forEachLegacyRecord(path.join(dir, LEGACY_METRICS_FILE), visit);
  }
  return windows;
}

/**
 * readDetail a few milliseconds at a time (see ChunkIndex.readInSlices), for a process that must
 * stay responsive; undefined when cancelled.
 */
export async function readDetailInSlices(
  dir: string,
  keys: readonly string[],
  from: number,
  to: number,
  width: number,
  index: ChunkIndex,
  options: { pause: () => Promise<void>; cancelled?: () => boolean },
): Promise<Map<string, SeriesWindow> | undefined> {
  const { windows, visit, needSteps, needOthers } = detailSetup(keys, from, to, width);
  if (!fs.existsSync(path.join(dir, RECORDS_FILE))) return readDetail(dir, keys, from, to, width);
  index.update();
  const overlaps = (c: ChunkInfo): boolean => c.lastStep >= from && c.firstStep <= to && (c.kind === 'steps' ? needSteps : needOthers);
  return (await index.readInSlices(overlaps, visit, options)) ? windows : undefined;
}

/** Buckets in use over every window of a detail answer. */
export function detailSize(windows: Map<string, SeriesWindow>): number {
  let n = 0;
  for (const w of windows.values()) n += w.packed().length;
  return n / FIELDS;
}

function detailSetup(keys: readonly string[], from: number, to: number, width: number) {
  const capacity = Math.ceil((to - from) / width) + 2;
  const windows = new Map<string, SeriesWindow>(keys.map((k) => [k, new SeriesWindow(from, width, capacity)]));
  const needSteps = keys.some((k) => seriesGroup(k) === 'step');
  // (A nan-loss finding's mark on `loss` comes from the whole-run digest, which every view keeps.)
  const needOthers = keys.some((k) => seriesGroup(k) !== 'step');
  const sink = {
    point: (key: string, x: number, y: number) => windows.get(key)?.add(x, y),
  };
  const visit = (r: MetricRecord): void => {
    if (r.step >= from && r.step <= to) recordPoints(r, sink);
  };
  return { windows, visit, needSteps, needOthers };
}

/** The records kinds metrics.jsonl holds; a line of another kind is skipped. */
const LEGACY_KINDS: ReadonlySet<string> = new Set(['step', 'epoch', 'probe', 'finding']);

/**
 * Calls `visit` with each record of a metrics.jsonl, reading it a megabyte at a time (a run of a
 * million steps is hundreds of megabytes). Blank, cut-off or garbled lines are skipped. Returns the
 * bytes of a last line cut off mid-write.
 */
export function forEachLegacyRecord(file: string, visit: (record: MetricRecord) => void): number {
  const fd = fs.openSync(file, 'r');
  const block = Buffer.alloc(1 << 20);
  let rest = '';
  let torn = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, block, 0, block.length, null);
      if (n === 0) break;
      const text = rest + block.toString('utf8', 0, n);
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) parseLegacyLine(line, visit);
    }
    if (rest.trim() !== '' && !parseLegacyLine(rest, visit)) torn = Buffer.byteLength(rest);
  } finally {
    fs.closeSync(fd);
  }
  return torn;
}

/** Parses one metrics.jsonl line; returns whether it was a record. */
export function parseLegacyLine(line: string, visit: (record: MetricRecord) => void): boolean {
  if (line.trim() === '') return false;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const { kind, step } = value as { kind?: unknown; step?: unknown };
    if (typeof kind !== 'string' || !LEGACY_KINDS.has(kind) || typeof step !== 'number') return false;
    visit(value as MetricRecord);
    return true;
  } catch {
    return false;
  }
}
