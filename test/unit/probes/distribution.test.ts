import { describe, expect, it } from 'vitest';
import { Random } from '../../../engine/core/random';
import { distributionOf } from '../../../engine/probes/distribution';
import { Prober, type ProbeTarget } from '../../../engine/probes/prober';
import { DISTRIBUTION_PERCENTILES } from '../../../engine/probes/record';
import { ProbeScratch } from '../../../engine/probes/scratch';
import { SAMPLE_FROM } from '../../../engine/probes/stats';
import { SeriesSet } from '../../../engine/series/seriesSet';
import { distributionKey, isSeriesKey, seriesGroup } from '../../../engine/series/recordSeries';

/** numpy.percentile(values, q) with its default 'linear' method, from a full sort. */
function numpyPercentile(values: number[], q: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const position = (q / 100) * (sorted.length - 1);
  const k = Math.floor(position);
  const f = position - k;
  return k + 1 < sorted.length ? sorted[k] + f * (sorted[k + 1] - sorted[k]) : sorted[k];
}

const scratch = () => new ProbeScratch({ maxRows: 64, layerFeatures: [64], paramSizes: [] });

describe('distributions (percentile bands)', () => {
  it('are exact percentiles at TensorBoard levels, minimum and maximum included, as numpy computes them', () => {
    const rng = new Random(3);
    const values = Array.from({ length: 1000 }, () => Math.fround(rng.normal() * 2 + 0.5));
    const got = distributionOf(Float32Array.from(values), values.length, scratch())!;
    expect(got).toHaveLength(9);
    DISTRIBUTION_PERCENTILES.forEach((q, k) => expect(got[k]).toBeCloseTo(numpyPercentile(values, q), 5));
    expect(got[0]).toBe(Math.min(...values));
    expect(got[8]).toBe(Math.max(...values));
  });

  it('leave out non-finite values, keep ReLU zeros, and say nothing when no value is finite', () => {
    const values = [0, 0, 0, 0, 0, 0, NaN, Infinity, 1, 2, 3, -Infinity];
    const got = distributionOf(Float32Array.from(values), values.length, scratch())!;
    DISTRIBUTION_PERCENTILES.forEach((q, k) => expect(got[k]).toBeCloseTo(numpyPercentile(values, q), 6));
    expect(got[4]).toBe(0); // the median of six zeros and 1, 2, 3
    expect(distributionOf(Float32Array.from([NaN, Infinity]), 2, scratch())).toBeUndefined();
  });

  it('from SAMPLE_FROM values up, come from a fixed sample: exact extremes, inner levels within a fraction of a percent of rank', () => {
    const rng = new Random(5);
    const n = 300_000;
    // A ReLU-like layer: a third exact zeros, the rest half-normal with a long tail.
    const values = Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : Math.abs(rng.normal()) ** 2));
    const s = new ProbeScratch({ maxRows: n, layerFeatures: [1], paramSizes: [] });
    const got = distributionOf(values, n, s)!;
    const sorted = Float64Array.from(values).sort();
    expect(got[0]).toBe(sorted[0]);
    expect(got[8]).toBe(sorted[n - 1]);
    DISTRIBUTION_PERCENTILES.slice(1, -1).forEach((q, k) => {
      // The rank of the value given, against the level asked for.
      const lo = sorted.findIndex((v) => v >= got[k + 1]) / n;
      const hi = sorted.filter((v) => v <= got[k + 1]).length / n;
      expect(lo).toBeLessThanOrEqual(q / 100 + 0.01);
      expect(hi).toBeGreaterThanOrEqual(q / 100 - 0.01);
    });
    // The same values give the same distribution (a run's probes stay deterministic), and the sample's positions are made once.
    expect(distributionOf(values, n, s)).toEqual(got);
    expect(s.growths).toBe(0);
    expect(s.samplePositions(n)).toBe(s.samplePositions(n));
    expect(s.samplePositions(SAMPLE_FROM - 1)).toBeUndefined();
  });

  it('do not change the buffer they read', () => {
    const values = Float32Array.from([3, 1, 2]);
    distributionOf(values, 3, scratch());
    expect([...values]).toEqual([3, 1, 2]);
  });

  it('are recorded for activations, output gradients and weight matrices, and become nine series each', () => {
    const weight = { name: '0.weight', shape: [3, 2], data: new Float32Array([1, 2, 2, 0, 0, 1]), grad: new Float32Array(6) };
    const bias = { name: '0.bias', shape: [3], data: new Float32Array(3), grad: new Float32Array(3) };
    const t: ProbeTarget = {
      rows: 2,
      layers: [
        { name: 'Linear(2 → 3)', kind: 'linear', features: 3, output: new Float32Array([1, -2, 0.5, 3, -1, -0.5]), gradient: new Float32Array([0.1, 0.2, 0.3, -0.1, -0.2, -0.3]) },
        { name: 'ReLU', kind: 'relu', features: 3, output: new Float32Array([1, 0, 0.5, 3, 0, 0]) },
      ],
      params: [weight, bias],
    };
    const prober = new Prober({ maxRows: 2, layerFeatures: [3, 3], paramSizes: [6, 3] });
    prober.beforeStep(t.params);
    const record = prober.probe(1, 1, t, { lr: 0.1, spec: { type: 'sgd' } } as never);
    const expected = (values: number[]) => DISTRIBUTION_PERCENTILES.map((q) => numpyPercentile(values, q));
    expect(record.layers[0].distribution).toEqual(expected([1, -2, 0.5, 3, -1, -0.5]).map(Math.fround).map((v) => expect.closeTo(v, 6)));
    expect(record.layers[1].distribution![0]).toBe(0);
    expect(record.layers[1].distribution![8]).toBe(3);
    expect(record.layers[0].grad_distribution![8]).toBeCloseTo(0.3, 6);
    expect(record.layers[1].grad_distribution).toBeUndefined(); // no gradient handed in
    expect(record.params[0].distribution).toEqual(expected([1, 2, 2, 0, 0, 1]));
    expect(record.params[1].distribution).toBeUndefined(); // a bias vector

    const series = new SeriesSet();
    series.addRecord(record);
    const keys = series.keys().filter((k) => k.includes('_dist/'));
    expect(keys).toHaveLength(9 * 4); // two layers' outputs, one gradient, one weight matrix
    expect(series.get(distributionKey('act_dist', 0, 8))!.range()).toMatchObject({ min: 3, max: 3 });
    expect(series.get(distributionKey('weight_dist', '0.weight', 4))!.range()).toMatchObject({ min: 1, max: 1 });
    expect(series.label(distributionKey('act_dist', 1, 0))).toBe('[1] ReLU');
  });

  it('have keys a webview may ask detail of, in a group of their own (fewer buckets)', () => {
    expect(isSeriesKey('act_dist/2/4')).toBe(true);
    expect(isSeriesKey('weight_dist/0.weight/8')).toBe(true);
    expect(isSeriesKey('act_dist/2')).toBe(false);
    expect(isSeriesKey('act_dist/2/x')).toBe(false);
    expect(isSeriesKey('act_dist/a/b/3')).toBe(false);
    expect(seriesGroup('grad_dist/1/0')).toBe('distribution');
    expect(seriesGroup('dead/1')).toBe('probe');
  });
});
