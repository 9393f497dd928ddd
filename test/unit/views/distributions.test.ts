import { describe, expect, it } from 'vitest';
import { bandPairs, distributionBands, distributionSources } from '../../../contract/distributions';
import { distributionKey } from '../../../engine/series/recordSeries';
import { SeriesSet } from '../../../engine/series/seriesSet';

/** Feeds a distribution the way probes do: nine levels at each probe step. */
function feed(series: SeriesSet, key: (k: number) => string, step: number, levels: number[]): void {
  levels.forEach((v, k) => series.add(key(k), step, v));
}

describe('distribution bands', () => {
  it('list the distributions of the digest, activations first', () => {
    const s = new SeriesSet();
    feed(s, (k) => distributionKey('weight_dist', '0.weight', k), 1, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    feed(s, (k) => distributionKey('act_dist', 1, k), 1, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    s.add('dead/1', 1, 3);
    expect(distributionSources(s).map((d) => [d.prefix, d.of])).toEqual([
      ['act_dist', '1'],
      ['weight_dist', '0.weight'],
    ]);
  });

  it('give one column per probe while the buckets hold one, and after merging: the extremes of min and max, the mean of the inner levels', () => {
    const s = new SeriesSet();
    const key = (k: number) => distributionKey('act_dist', 0, k);
    const probes = 300; // more than the 256 buckets: buckets merge pairs of probes
    for (let p = 0; p < probes; p++) feed(s, key, p * 10, [-p, p, p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, 100 + p]);
    const bands = distributionBands(s, { prefix: 'act_dist', of: '0' })!;
    expect(bands.levels).toHaveLength(9);
    expect(bands.x.length).toBeLessThanOrEqual(256);
    expect(bands.x.length).toBeGreaterThan(100);
    // The first column holds probes 0 and 1 (steps 0 and 10; width 16).
    expect(bands.levels[0][0]).toBe(-1);
    expect(bands.levels[8][0]).toBe(101);
    expect(bands.levels[4][0]).toBe(3.5);
    expect(bands.x[0]).toBe(5);
    // Levels stay ordered in every column.
    for (let i = 0; i < bands.x.length; i++) for (let k = 1; k < 9; k++) expect(bands.levels[k][i]).toBeGreaterThanOrEqual(bands.levels[k - 1][i]);
    // A step range.
    const part = distributionBands(s, { prefix: 'act_dist', of: '0' }, 1000, 1500)!;
    expect(Math.min(...part.x)).toBeGreaterThanOrEqual(990);
    expect(Math.max(...part.x)).toBeLessThanOrEqual(1510);
  });

  it('are undefined while a level is missing', () => {
    const s = new SeriesSet();
    s.add(distributionKey('act_dist', 0, 0), 1, 0);
    expect(distributionBands(s, { prefix: 'act_dist', of: '0' })).toBeUndefined();
  });

  it('pair levels from the outside in', () => {
    expect(bandPairs()).toEqual([
      [0, 8],
      [1, 7],
      [2, 6],
      [3, 5],
    ]);
  });
});
