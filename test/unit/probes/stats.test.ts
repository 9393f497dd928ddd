import { describe, expect, it } from 'vitest';
import { Random } from '../../../engine/core/random';
import {
  copyFinite,
  deadColumns,
  differenceNorm,
  histogram,
  norm,
  percentilesInPlace,
  saturatedCount,
  sumOfSquares,
  updateRatio,
  valueStats,
} from '../../../engine/probes/stats';
import { PROBE_PERCENTILES } from '../../../engine/probes/record';

/** numpy.percentile(values, q) with the default 'linear' method, by sorting. */
function referencePercentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (q / 100) * (sorted.length - 1);
  const k = Math.floor(position);
  const fraction = position - k;
  return k + 1 < sorted.length ? sorted[k] + fraction * (sorted[k + 1] - sorted[k]) : sorted[k];
}

describe('valueStats', () => {
  it('summarizes the finite values and counts the others', () => {
    const v = new Float32Array([1, 2, 3, 4, NaN, Infinity, -Infinity, 99]);
    // only the first 7 values are in range
    const s = valueStats(v, 7);
    expect(s.count).toBe(4);
    expect(s.nonfinite).toBe(3);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(1.25), 12); // population std, as numpy
    expect(s.min).toBe(1);
    expect(s.max).toBe(4);
  });

  it('keeps precision when the mean dwarfs the spread (saturated sigmoid)', () => {
    const v = new Float32Array(1000);
    for (let i = 0; i < v.length; i++) v[i] = i % 2 === 0 ? 0.9990000128746033 : 0.9991000294685364;
    const s = valueStats(v, v.length);
    expect(s.std).toBeCloseTo((0.9991000294685364 - 0.9990000128746033) / 2, 9);
  });

  it('reports zeros when nothing is finite', () => {
    expect(valueStats(new Float32Array([NaN, NaN]), 2)).toEqual({ count: 0, nonfinite: 2, mean: 0, std: 0, min: 0, max: 0 });
  });
});

describe('norms and the update/weight ratio', () => {
  it('computes ‖x‖ over finite values in double precision', () => {
    expect(norm(new Float32Array([3, 4]))).toBe(5);
    expect(sumOfSquares(new Float32Array([3, NaN, 4]))).toEqual({ squares: 25, nonfinite: 1 });
    // float32 squares would overflow; the double sum does not
    const big = Math.fround(3e38);
    expect(norm(new Float32Array([big, big])) / (Math.SQRT2 * big)).toBeCloseTo(1, 12);
  });

  it('is ‖after − before‖ / ‖before‖', () => {
    const before = new Float32Array([3, 4]);
    const after = new Float32Array([3, 4.5]);
    expect(differenceNorm(before, after)).toBe(0.5);
    expect(updateRatio(before, after)).toBeCloseTo(0.1, 12);
  });

  it('is NaN when the tensor was all zeros (no scale to compare with)', () => {
    expect(updateRatio(new Float32Array(3), new Float32Array([0.1, 0, 0]))).toBeNaN();
  });

  it('rejects buffers shorter than the size', () => {
    expect(() => updateRatio(new Float32Array(2), new Float32Array(1), 2)).toThrow(RangeError);
  });
});

describe('percentilesInPlace', () => {
  it('matches numpy\'s linear interpolation on a hand example', () => {
    const work = new Float32Array([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);
    const out = percentilesInPlace(work, 10, PROBE_PERCENTILES, []);
    // position q/100·9 between sorted 1..10
    expect(out[0]).toBeCloseTo(1.09, 5); // p1
    expect(out[1]).toBeCloseTo(1.45, 5); // p5
    expect(out[2]).toBeCloseTo(3.25, 5); // p25
    expect(out[3]).toBeCloseTo(5.5, 5); // p50
    expect(out[4]).toBeCloseTo(7.75, 5); // p75
    expect(out[5]).toBeCloseTo(9.55, 5); // p95
    expect(out[6]).toBeCloseTo(9.91, 5); // p99
  });

  it('is exact against sorting on random data, with many duplicate zeros (ReLU outputs)', () => {
    const rng = new Random(7);
    for (const n of [1, 2, 3, 17, 1000, 4097]) {
      const values: number[] = [];
      for (let i = 0; i < n; i++) values.push(Math.fround(i % 3 === 0 ? 0 : Math.max(0, rng.normal())));
      const work = Float32Array.from(values);
      const out = percentilesInPlace(work, n, PROBE_PERCENTILES, []);
      PROBE_PERCENTILES.forEach((q, l) => expect(out[l]).toBeCloseTo(referencePercentile(values, q), 6));
    }
  });

  it('is exact for every size up to 300, with few distinct values', () => {
    const rng = new Random(3);
    for (let n = 1; n <= 300; n++) {
      const values = Array.from({ length: n }, () => Math.floor(rng.uniform() * 5) - 2);
      const out = percentilesInPlace(Float32Array.from(values), n, PROBE_PERCENTILES, []);
      PROBE_PERCENTILES.forEach((q, l) => expect(out[l]).toBeCloseTo(referencePercentile(values, q), 9));
    }
  });

  it('gives zeros for no values', () => {
    expect(percentilesInPlace(new Float32Array(4), 0, [50, 99], [])).toEqual([0, 0]);
  });

  it('copyFinite drops NaN and infinities before selection', () => {
    const into = new Float32Array(5);
    expect(copyFinite(new Float32Array([1, NaN, 2, Infinity, 3]), 5, into)).toBe(3);
    expect([...into.subarray(0, 3)]).toEqual([1, 2, 3]);
  });
});

describe('histogram', () => {
  it('counts fixed bins over [lo, hi], the last bin including hi, and out-of-range values apart', () => {
    const v = new Float32Array([0, 0.5, 1, 1.5, 2, -1, 3, NaN, 0.49]);
    const h = histogram(v, v.length, 0, 2, 4);
    expect(h).toEqual({ lo: 0, hi: 2, counts: [2, 1, 1, 2], under: 1, over: 1 });
  });

  it('puts every value equal to a degenerate range in bin 0', () => {
    const h = histogram(new Float32Array([0, 0, 0, 1]), 4, 0, 0, 3);
    expect(h).toEqual({ lo: 0, hi: 0, counts: [3, 0, 0], under: 0, over: 1 });
  });
});

describe('deadColumns', () => {
  it('counts columns that are zero in every row', () => {
    // 3 rows × 4 features; columns 1 and 3 never fire
    const v = new Float32Array([0.5, 0, 0, 0, 0, 0, 2, 0, 1, 0, 0, 0]);
    const alive = new Uint8Array(4);
    expect(deadColumns(v, 3, 4, alive)).toBe(2);
    // only the first row: columns 1, 2, 3 are zero there
    expect(deadColumns(v, 1, 4, alive)).toBe(3);
    expect(deadColumns(v, 0, 4, alive)).toBe(0);
    // a NaN or a negative value is not an inactive ReLU unit
    expect(deadColumns(new Float32Array([NaN, -1, 0, 0]), 2, 2, alive)).toBe(0);
  });
});

describe('saturatedCount', () => {
  it('tanh: |y| > level', () => {
    expect(saturatedCount(new Float32Array([0.98, -0.99, 0.5, 0.97, -0.97]), 5, 'tanh', 0.97)).toBe(2);
  });

  it('sigmoid: y > level or y < 1 − level', () => {
    expect(saturatedCount(new Float32Array([0.01, 0.99, 0.5, 0.04, 0.96]), 5, 'sigmoid', 0.97)).toBe(2);
  });
});
