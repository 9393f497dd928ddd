import { describe, expect, it } from 'vitest';
import { PieceEmitter } from '../../../engine/series/pieces';
import { F, FIELDS, NONFINITE_NAN, NONFINITE_NEG, NONFINITE_POS, SeriesSummary, widthFor } from '../../../engine/series/summary';
import { epochLoss, lossWithNonFinite, spikyLoss, type FixturePoint } from '../../fixtures/series/series';

function summaryOf(points: readonly FixturePoint[], capacity: number): SeriesSummary {
  const s = new SeriesSummary(capacity);
  for (const p of points) s.add(p.x, p.y);
  return s;
}

/** The buckets of `points` at `width`, computed the obvious way. */
function bruteBuckets(points: readonly FixturePoint[], width: number): Map<number, { min: number; max: number; sum: number; count: number; first: number; last: number; nonfinite: number }> {
  const out = new Map<number, { min: number; max: number; sum: number; count: number; first: number; last: number; nonfinite: number }>();
  for (const p of points) {
    const i = Math.floor(p.x / width);
    const b = out.get(i) ?? { min: Infinity, max: -Infinity, sum: 0, count: 0, first: NaN, last: NaN, nonfinite: 0 };
    if (Number.isFinite(p.y)) {
      b.min = Math.min(b.min, p.y);
      b.max = Math.max(b.max, p.y);
      b.sum += p.y;
      if (b.count === 0) b.first = p.y;
      b.last = p.y;
      b.count++;
    } else {
      b.nonfinite++;
    }
    out.set(i, b);
  }
  return out;
}

describe('SeriesSummary', () => {
  it('keeps every bucket\'s minimum and maximum exactly (every spike survives), at a bounded width', () => {
    const { points, spikes } = spikyLoss(200_000);
    const s = summaryOf(points, 2048);
    expect(s.width).toBe(widthFor(200_000, 2048));
    expect(s.width).toBe(128);
    const brute = bruteBuckets(points, s.width);
    for (const [i, b] of brute) {
      const v = s.bucket(i)!;
      expect(v.min).toBe(b.min);
      expect(v.max).toBe(b.max);
      expect(v.count).toBe(b.count);
      expect(v.first).toBe(b.first);
      expect(v.last).toBe(b.last);
      expect(v.mean).toBeCloseTo(b.sum / b.count, 12);
    }
    expect(spikes.length).toBeGreaterThan(20);
    for (const spike of spikes) {
      const v = s.bucket(s.indexOf(spike.x))!;
      expect(v.max).toBeGreaterThanOrEqual(spike.y);
      if (v.max === spike.y) expect(v.xMax).toBe(spike.x);
    }
    expect(s.range()!.max).toBe(Math.max(...spikes.map(p => p.y)));
  });

  it('stays within its capacity whatever the length (a million points)', () => {
    const s = new SeriesSummary(2048);
    for (let x = 1; x <= 1_000_000; x++) s.add(x, Math.sin(x));
    expect(s.length).toBeLessThanOrEqual(2048);
    expect(s.bytes).toBeLessThanOrEqual(2048 * FIELDS * 8);
    expect(s.width).toBe(512);
    expect(s.maxX).toBe(1_000_000);
  });

  it('keeps NaN and ±Infinity apart: counted, located, of which kind; the minimum and maximum stay finite', () => {
    const { points, nan, posInf, negInf } = lossWithNonFinite(5000);
    const s = summaryOf(points, 256);
    const finite = points.filter(p => Number.isFinite(p.y));
    expect(s.range()).toEqual({ min: Math.min(...finite.map(p => p.y)), max: Math.max(...finite.map(p => p.y)), minPositive: expect.any(Number) });
    const at = (x: number) => s.bucket(s.indexOf(x))!;
    expect(at(nan)).toMatchObject({ nonfinite: 1, nonfiniteKinds: NONFINITE_NAN, xNonfinite: nan });
    expect(at(posInf)).toMatchObject({ nonfinite: 1, nonfiniteKinds: NONFINITE_POS, xNonfinite: posInf });
    expect(at(negInf)).toMatchObject({ nonfinite: 1, nonfiniteKinds: NONFINITE_NEG, xNonfinite: negInf });
    expect(Number.isFinite(at(nan).min) && Number.isFinite(at(nan).max)).toBe(true);
  });

  it('a series of only non-finite values is still there', () => {
    const s = new SeriesSummary(16);
    s.add(5, NaN);
    expect(s.isEmpty).toBe(false);
    expect(s.bucket(5)).toMatchObject({ count: 0, nonfinite: 1, xNonfinite: 5 });
    expect(s.range()).toBeUndefined();
  });

  it('sparse points (one per epoch) leave empty buckets empty', () => {
    const points = epochLoss(100, 60);
    const s = summaryOf(points, 1024);
    expect(s.width).toBe(8);
    let filled = 0;
    for (let i = 0; i < s.length; i++) if (s.bucket(i)) filled++;
    expect(filled).toBe(100);
  });
});

describe('pieces', () => {
  /** Every piece of `points`, sent in deltas of `perDelta` points. */
  function sendAll(points: readonly FixturePoint[], capacity: number, perDelta: number): Float64Array[] {
    const emitter = new PieceEmitter(capacity);
    const deltas: Float64Array[] = [];
    points.forEach((p, i) => {
      emitter.add(p.x, p.y);
      if ((i + 1) % perDelta === 0) deltas.push(emitter.take());
    });
    deltas.push(emitter.take());
    return deltas;
  }

  function received(deltas: Float64Array[], capacity: number): SeriesSummary {
    const r = new SeriesSummary(capacity);
    for (const d of deltas) for (let at = 0; at < d.length; at += FIELDS) r.ingest(d, at);
    return r;
  }

  function expectSame(a: SeriesSummary, b: SeriesSummary): void {
    expect(a.width).toBe(b.width);
    const pa = a.packed();
    const pb = b.packed();
    expect(pa.length).toBe(pb.length);
    for (let at = 0; at < pa.length; at += FIELDS) {
      for (let k = 0; k < FIELDS; k++) {
        if (k === F.SUM) expect(pa[at + k]).toBeCloseTo(pb[at + k], 9);
        else expect(pa[at + k]).toBe(pb[at + k]);
      }
    }
  }

  it('a receiver that merges every piece holds what adding every point gives (same capacity)', () => {
    const { points } = lossWithNonFinite(30_000);
    for (const perDelta of [1, 7, 333, 5000]) {
      expectSame(received(sendAll(points, 1024, perDelta), 1024), summaryOf(points, 1024));
    }
  });

  it('a coarser receiver (smaller capacity) holds what adding every point to it gives', () => {
    const { points } = spikyLoss(50_000, 3);
    expectSame(received(sendAll(points, 2048, 250), 300), summaryOf(points, 300));
  });

  it('a finer receiver coarsens to the pieces it gets, so no piece straddles its buckets', () => {
    const { points } = spikyLoss(20_000, 5);
    const deltas = sendAll(points, 64, 100);
    expectSame(received(deltas, 4096), summaryOf(points, 64));
  });

  it('a flush carries at most a bucket\'s worth of pieces per bucket crossed, not one per point', () => {
    const emitter = new PieceEmitter(2048);
    for (let x = 1; x <= 1_000_000; x++) emitter.add(x, 1);
    emitter.take();
    for (let x = 1_000_001; x <= 1_003_000; x++) emitter.add(x, 1);
    const pieces = emitter.take().length / FIELDS;
    expect(pieces).toBeLessThanOrEqual(Math.ceil(3000 / 512) + 1);
  });
});
