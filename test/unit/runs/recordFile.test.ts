/**
 * metrics.bin and series.bin: records come back as they went in, a torn or damaged end is skipped,
 * a run that died between two rewrites of series.bin loses nothing, and a step range can be read
 * without the rest.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Random } from '../../../engine/core/random';
import { RunDigest } from '../../../engine/series/digest';
import { F } from '../../../engine/series/summary';
import { ChunkIndex } from '../../../engine/runs/chunkIndex';
import { encodeChunks, RECORDS_FILE, RecordFileWriter } from '../../../engine/runs/recordFile';
import { readDetail, readDigest, readRecords } from '../../../engine/runs/runReader';
import { RunRecorder } from '../../../engine/runs/runRecorder';
import type { MetricRecord, StepRecord } from '../../../engine/train/events';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-records-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Steps first..last of a run at batch 8: noisy loss, constant lr, momentum; an epoch every 60 steps and a finding. */
function records(first: number, last: number, seed = 1): MetricRecord[] {
  const rng = new Random(seed);
  const out: MetricRecord[] = [];
  for (let step = first; step <= last; step++) {
    const epoch = Math.ceil(step / 60);
    out.push({ kind: 'step', step, epoch, loss: Math.exp(rng.normal()), lr: 0.1, momentum: 0.9 });
    if (step % 60 === 0) out.push({ kind: 'epoch', epoch, step, train_loss: 0.5 + rng.uniform(), lr: 0.1, elapsed_ms: step / 10, val_loss: 0.6 });
    if (step === 137) out.push({ kind: 'finding', rule: 'loss-flat', severity: 'warning', step, epoch, headline: 'the loss is flat', message: 'flat', path: ['optimizer', 'lr'] });
  }
  return out;
}

function write(records: readonly MetricRecord[], perFlush: number): string {
  const w = new RecordFileWriter(path.join(dir, RECORDS_FILE));
  for (let i = 0; i < records.length; i += perFlush) w.append(records.slice(i, i + perFlush));
  w.close();
  return path.join(dir, RECORDS_FILE);
}

describe('metrics.bin', () => {
  it('gives back every record, in order, whatever the flushes and columns', () => {
    const rs = records(1, 1000);
    // A step with extra fields and a gap in the steps start new chunks.
    rs.push({ kind: 'step', step: 1001, epoch: 17, loss: 0.3, lr: 0.05, momentum: 0.9, grad_norm: 4.5, penalty: 0.01 });
    rs.push({ kind: 'step', step: 1005, epoch: 17, loss: Number.MAX_VALUE, lr: 1e-300 });
    for (const perFlush of [1, 7, 250, 5000]) {
      fs.rmSync(path.join(dir, RECORDS_FILE), { force: true });
      write(rs, perFlush);
      expect(readRecords(dir)).toEqual(rs);
    }
  });

  it('stores a step of loss, constant lr and momentum in about 8 bytes', () => {
    const steps = records(1, 100_000).filter((r): r is StepRecord => r.kind === 'step');
    const bytes = encodeChunks(steps).length;
    expect(bytes / steps.length).toBeLessThan(8.5);
    // Flushed 30 times a second at 6,000 steps/s: chunks of 200 steps.
    let flushed = 0;
    for (let i = 0; i < steps.length; i += 200) flushed += encodeChunks(steps.slice(i, i + 200)).length;
    expect(flushed / steps.length).toBeLessThan(9);
  });

  it('skips a torn last chunk, cut anywhere, and garbage after the last whole chunk', () => {
    const rs = records(1, 300);
    const file = write(rs, 100);
    const whole = fs.readFileSync(file);
    const index = new ChunkIndex(file).update();
    const last = index.chunks[index.chunks.length - 1];
    for (const cut of [last.offset + 1, last.offset + 11, last.offset + 30, whole.length - 1]) {
      fs.writeFileSync(file, whole.subarray(0, cut));
      const got = readRecords(dir);
      expect(got.length).toBeLessThan(rs.length);
      expect(got).toEqual(rs.slice(0, got.length));
      expect(new ChunkIndex(file).update().torn).toBe(cut - last.offset);
    }
    fs.writeFileSync(file, Buffer.concat([whole, Buffer.alloc(4096)]));
    expect(readRecords(dir)).toEqual(rs);
  });

  it('a chunk whose bytes were damaged ends the reading there (its CRC does not match)', () => {
    const rs = records(1, 300);
    const file = write(rs, 100);
    const bytes = fs.readFileSync(file);
    const index = new ChunkIndex(file).update();
    const second = index.chunks[2];
    bytes[second.offset + 40] ^= 0xff;
    fs.writeFileSync(file, bytes);
    const got = readRecords(dir);
    expect(got.every(r => r.step < second.firstStep || r.step <= index.chunks[1].lastStep)).toBe(true);
    expect(got).toEqual(rs.slice(0, got.length));
  });

  it('the chunk index follows a file that grows while it is read', () => {
    const file = path.join(dir, RECORDS_FILE);
    const w = new RecordFileWriter(file);
    const index = new ChunkIndex(file);
    w.append(records(1, 50));
    expect(index.update().chunks.length).toBeGreaterThan(0);
    const n = index.chunks.length;
    w.append(records(51, 100));
    expect(index.update().chunks.length).toBeGreaterThan(n);
    expect(index.torn).toBe(0);
    w.close();
  });
});

describe('series.bin and the digest', () => {
  it('the digest read back equals the one built from every record', () => {
    const rs = records(1, 20_000);
    const rec = new RunRecorder(dir, { seriesEveryMs: 0 });
    for (let i = 0; i < rs.length; i += 333) {
      rec.add(rs.slice(i, i + 333));
      rec.flush();
    }
    rec.close();
    const expected = new RunDigest();
    rs.forEach(r => expected.addRecord(r));
    const { digest, torn, format } = readDigest(dir);
    expect(format).toBe('bin');
    expect(torn).toBe(0);
    expect(digest.snapshot()).toEqual(expected.snapshot());
  });

  it('a run that died after its last series.bin loses nothing: the reader adds what metrics.bin holds after it', () => {
    const rs = records(1, 5000);
    let t = 0;
    const rec = new RunRecorder(dir, { seriesEveryMs: 1000, now: () => t });
    for (let i = 0; i < rs.length; i += 100) {
      rec.add(rs.slice(i, i + 100));
      t += 100; // series.bin every 10 flushes
      rec.flush();
    }
    // No close(): the process died. Its last flushes are only in metrics.bin.
    const expected = new RunDigest();
    rs.forEach(r => expected.addRecord(r));
    const got = readDigest(dir).digest;
    expect(got.counts).toEqual(expected.counts);
    expect(got.lastStep).toEqual(expected.lastStep);
    const a = got.series.get('loss')!.packed();
    const b = expected.series.get('loss')!.packed();
    expect(a.length).toBe(b.length);
    for (let k = 0; k < a.length; k++) {
      if (k % 15 === F.SUM) expect(a[k]).toBeCloseTo(b[k], 9);
      else expect(a[k]).toBe(b[k]);
    }
  });

  it('a damaged series.bin is ignored: the digest is built from metrics.bin', () => {
    const rs = records(1, 2000);
    const rec = new RunRecorder(dir);
    rec.add(rs);
    rec.close();
    fs.writeFileSync(path.join(dir, 'series.bin'), 'garbage');
    expect(readDigest(dir).digest.counts.steps).toBe(2000);
  });
});

describe('detail of a step range', () => {
  it('reads the range at the width asked, from the chunks that hold it', () => {
    const rs = records(1, 50_000);
    write(rs, 200);
    const windows = readDetail(dir, ['loss', 'val_loss'], 20_000, 20_999, 4);
    const loss = windows.get('loss')!;
    const raw = rs.filter((r): r is StepRecord => r.kind === 'step' && r.step >= 20_000 && r.step <= 20_999);
    let count = 0;
    let max = -Infinity;
    loss.forEachIn(20_000, 20_999, (d, at) => {
      count += d[at + F.COUNT];
      max = Math.max(max, d[at + F.MAX]);
    });
    expect(count).toBe(raw.length);
    expect(max).toBe(Math.max(...raw.map(r => r.loss)));
    let epochs = 0;
    windows.get('val_loss')!.forEachIn(20_000, 20_999, (d, at) => {
      epochs += d[at + F.COUNT];
    });
    expect(epochs).toBe(rs.filter(r => r.kind === 'epoch' && r.step >= 20_000 && r.step <= 20_999).length);
  });
});
