import { describe, expect, it } from 'vitest';
import { logRange, linearRange, lowQuantile, spiky } from '../../../contract/axisRange';
import { PointPool, bucketAt, decimate } from '../../../contract/decimate';
import { smoothed, smoothValues } from '../../../contract/smoothing';
import { F, NONFINITE_NAN, NONFINITE_NEG, NONFINITE_POS, SeriesSummary } from '../../../engine/series/summary';
import { constantLr, epochLoss, gradNormDecades, lossWithNonFinite, spikyLoss, type FixturePoint } from '../../fixtures/series/series';

function summaryOf(points: readonly FixturePoint[], capacity: number): SeriesSummary {
  const s = new SeriesSummary(capacity);
  for (const p of points) s.add(p.x, p.y);
  return s;
}

/** Raw minimum and maximum (with x) of the points in each pixel column, columns assigned by bucket start as decimate does. */
function columnExtremes(points: readonly FixturePoint[], s: SeriesSummary, from: number, to: number, columns: number) {
  const per = (to - from) / columns;
  const out = new Map<number, { min: FixturePoint; max: FixturePoint }>();
  for (const p of points) {
    if (!Number.isFinite(p.y)) continue;
    const c = Math.floor((s.indexOf(p.x) * s.width - from) / per);
    const e = out.get(c);
    if (!e) out.set(c, { min: p, max: p });
    else {
      if (p.y < e.min.y) e.min = p;
      if (p.y > e.max.y) e.max = p;
    }
  }
  return out;
}

describe('decimate (M4 per pixel column)', () => {
  const { points, spikes } = spikyLoss(200_000);
  const s = summaryOf(points, 2048);

  it('keeps every column\'s minimum and maximum, at their steps, and every spike', () => {
    for (const [from, to, columns] of [[0, 200_000, 800], [0, 200_000, 301], [40_000, 90_000, 640], [150_000, 151_000, 500]] as const) {
      const { points: drawn } = decimate(s, from, to, columns);
      const has = (p: FixturePoint) => drawn.some(d => d.x === p.x && d.y === p.y);
      const bucketsPerColumn = (to - from) / columns / s.width;
      if (bucketsPerColumn >= 1) {
        for (const [, e] of columnExtremes(points, s, from, to, columns)) {
          expect(has(e.min)).toBe(true);
          expect(has(e.max)).toBe(true);
        }
      } else {
        // Zoomed in past the buckets: each bucket's own minimum and maximum are drawn.
        s.forEachIn(from, to, (d, at) => {
          expect(has({ x: d[at + F.X_MIN], y: d[at + F.MIN] })).toBe(true);
          expect(has({ x: d[at + F.X_MAX], y: d[at + F.MAX] })).toBe(true);
        });
      }
      expect(drawn.length).toBeLessThanOrEqual(4 * (columns + 2));
      for (let i = 1; i < drawn.length; i++) expect(drawn[i].x).toBeGreaterThanOrEqual(drawn[i - 1].x);
    }
    const all = decimate(s, 0, 200_000, 800).points;
    // Each spike is drawn, or a taller one in the same pixel column is (the pixels are the same).
    const per = 200_000 / 800;
    for (const spike of spikes) {
      const column = Math.floor((s.indexOf(spike.x) * s.width) / per);
      const tallest = Math.max(...all.filter(d => Math.floor((s.indexOf(d.x) * s.width) / per) === column).map(d => d.y));
      expect(tallest).toBeGreaterThanOrEqual(spike.y);
    }
    const ys = points.map(p => p.y);
    expect(Math.max(...all.map(p => p.y))).toBe(ys.reduce((a, b) => Math.max(a, b)));
    expect(Math.min(...all.map(p => p.y))).toBe(ys.reduce((a, b) => Math.min(a, b)));
  });

  it('thins the sparse epoch series too (no solid band of 20,000 points)', () => {
    const epochs = epochLoss(20_000, 60);
    const e = summaryOf(epochs, 1024);
    const { points: drawn } = decimate(e, 0, 20_000 * 60, 700);
    expect(drawn.length).toBeLessThanOrEqual(4 * 702);
    expect(Math.max(...drawn.map(p => p.y))).toBe(Math.max(...epochs.map(p => p.y)));
  });

  it('marks non-finite values where they are, by kind', () => {
    const { points: raw, nan, posInf, negInf } = lossWithNonFinite(5000);
    const n = summaryOf(raw, 512);
    const { nonfinite } = decimate(n, 0, 5000, 400);
    expect(nonfinite.map(m => [m.x, m.count, m.kinds])).toEqual([
      [nan, 1, NONFINITE_NAN],
      [posInf, 1, NONFINITE_POS],
      [negInf, 1, NONFINITE_NEG],
    ]);
  });

  it('raises values below a log axis floor to it', () => {
    const g = summaryOf(gradNormDecades(), 1024);
    const { points: drawn } = decimate(g, 0, 250_000, 500, 1e-9);
    expect(Math.min(...drawn.map(p => p.y))).toBe(1e-9);
  });

  it('finds the bucket under the crosshair', () => {
    const b = bucketAt(s, 12_345)!;
    expect(b.from).toBeLessThanOrEqual(12_345);
    expect(b.to).toBeGreaterThan(12_345);
    expect(b.to - b.from).toBe(s.width);
  });
});

describe('smoothing (debiased EMA)', () => {
  it('follows TensorBoard\'s formula', () => {
    const values = [1, 2, 3, 10, 0];
    const w = 0.6;
    let last = 0;
    const expected = values.map((v, i) => {
      last = last * w + (1 - w) * v;
      return last / (1 - w ** (i + 1));
    });
    expect(smoothValues(values, w)).toEqual(expected);
    expect(smoothValues(values, w)[0]).toBe(1);
  });

  it('leaves a constant unchanged and starts at the data, not at zero', () => {
    const c = summaryOf(constantLr(10_000, 0.05), 1024);
    for (const p of smoothed(c, 0, 10_000, 0.9)) expect(p.y).toBeCloseTo(0.05, 12);
  });

  it('lowers the spikes\' weight but keeps the trend', () => {
    const { points } = spikyLoss(200_000);
    const s = summaryOf(points, 2048);
    const sm = smoothed(s, 0, 200_000, 0.9);
    expect(sm.length).toBe(s.length - 1 + 1 - [...Array(s.length).keys()].filter(i => !s.bucket(i)).length);
    expect(sm[0].y).toBeGreaterThan(0.8);
    expect(sm[sm.length - 1].y).toBeLessThan(0.3);
  });
});

describe('axis ranges', () => {
  it('a log axis spans whole decades, at most 8 of them', () => {
    expect(logRange(2e-3, 0.4)).toEqual({ min: 1e-3, max: 1, clipped: false });
    expect(logRange(1e-43, 0.1)).toEqual({ min: 1e-9, max: 0.1, clipped: true });
    const constant = logRange(0.05, 0.05)!;
    expect(constant.min).toBeLessThan(0.05);
    expect(constant.max).toBeGreaterThan(0.05);
    expect(logRange(0, 0)).toBeUndefined();
    // A loss that spiked to 1e19 and then sat at 3.5e5: the bulk of it stays on the axis.
    expect(logRange(3e5, 1e19, 8, 3.5e5)).toEqual({ min: 1e5, max: 1e19, clipped: false });
    // A rare tiny value (5 % of them are above 1e-3) is still cut at 8 decades.
    expect(logRange(1e-43, 0.1, 8, 1e-3)).toEqual({ min: 1e-9, max: 0.1, clipped: true });
  });

  it('a linear axis has a little room and starts at 0 for positive values near it', () => {
    expect(linearRange(0.1, 110)!.min).toBe(0);
    expect(linearRange(0.1, 110)!.max).toBeGreaterThan(110);
    expect(linearRange(5, 6)!.min).toBeGreaterThan(4);
  });
});

describe('decimate with a point pool', () => {
  it('gives the same points, reusing the objects of the previous call', () => {
    const { points } = spikyLoss(20_000, 2);
    const s = summaryOf(points, 1024);
    const pool = new PointPool();
    const first = decimate(s, 0, 20_000, 300, undefined, pool).points.map(p => ({ ...p }));
    expect(first).toEqual(decimate(s, 0, 20_000, 300).points);
    const again = decimate(s, 5000, 9000, 300, undefined, pool).points;
    expect(again.map(p => ({ ...p }))).toEqual(decimate(s, 5000, 9000, 300).points);
    expect(again[0]).toBe(decimate(s, 0, 20_000, 300, undefined, pool).points[0]);
  });
});

describe('log axis when the values are spiky', () => {
  const pts = (ys: number[]) => ys.map((y, x) => ({ x, y }));
  it('a peak 20× the median of positive values asks for a log axis; NaN and ±Inf are marked apart and do not count', () => {
    const calm = pts([1, 1.1, 0.9, 1, 1.2, 0.8, 1, 1, 1.1, 0.9]);
    expect(spiky([calm])).toBe(false);
    expect(spiky([calm, pts([30])])).toBe(true);
    expect(spiky([calm, pts([30, NaN, Infinity, -Infinity])])).toBe(true);
    // A zero or a negative value cannot go on a log axis.
    expect(spiky([calm, pts([30, 0])])).toBe(false);
    expect(spiky([pts([1, 50])])).toBe(false); // too few values to tell
  });

  it('the low quantile of the positive finite values', () => {
    expect(lowQuantile([pts([5, 4, 3, 2, 1, 0, -1, NaN, Infinity])], 0)).toBe(1);
    expect(lowQuantile([pts([5, 4, 3, 2, 1])], 0.5)).toBe(3);
    expect(lowQuantile([pts([0, -2, NaN])], 0.05)).toBeUndefined();
  });
});
