/**
 * Distributions over time (TensorBoard's "distributions"): for a layer's activations or output
 * gradients, or a weight matrix, nine series of the digest — one per level of
 * DISTRIBUTION_PERCENTILES — read as nested bands per bucket of steps. Each bucket of a series
 * holds every probe of its steps: the band's outer edges are the lowest minimum and the highest
 * maximum over them, the inner levels their mean (a level's average over the probes the bucket
 * merged). No DOM, no chart.js.
 */
import { DISTRIBUTION_PERCENTILES } from '../engine/probes/record';
import { DISTRIBUTION_PREFIXES, distributionKey, type DistributionPrefix } from '../engine/series/recordSeries';
import type { SeriesSet } from '../engine/series/seriesSet';
import type { SeriesSummary } from '../engine/series/summary';

export { DISTRIBUTION_PERCENTILES, DISTRIBUTION_PREFIXES, type DistributionPrefix };

/** What each kind of distribution is of, as a chart's heading says it. */
export const DISTRIBUTION_TITLES: Record<DistributionPrefix, string> = {
  act_dist: 'Activations',
  grad_dist: 'Gradients ∂loss/∂output',
  weight_dist: 'Weights',
};

/** One distribution the digest holds: its kind and what it is of (a layer index or a parameter name). */
export interface DistributionSource {
  prefix: DistributionPrefix;
  of: string;
  /** "[1] ReLU", "[0] Linear(2 → 64) weight". */
  label: string;
}

/** The bands of one distribution over a range of steps: one column per bucket. */
export interface DistributionBands {
  /** Each column's step (the middle of its bucket's steps that hold values). */
  x: number[];
  /** levels[k][i]: level k (DISTRIBUTION_PERCENTILES[k]) at column i, ascending in k. */
  levels: number[][];
}

/** Every distribution the digest holds, activations first, each kind in the order first seen. */
export function distributionSources(series: SeriesSet): DistributionSource[] {
  const found = new Map<string, DistributionSource>();
  for (const key of series.keys()) {
    const slash = key.indexOf('/');
    const prefix = key.slice(0, slash) as DistributionPrefix;
    if (!(DISTRIBUTION_PREFIXES as readonly string[]).includes(prefix)) continue;
    const of = key.slice(slash + 1, key.lastIndexOf('/'));
    const id = `${prefix}/${of}`;
    if (!found.has(id)) found.set(id, { prefix, of, label: series.label(key) ?? of });
  }
  const order = (s: DistributionSource): number => DISTRIBUTION_PREFIXES.indexOf(s.prefix);
  return [...found.values()].sort((a, b) => order(a) - order(b));
}

/**
 * The bands of a distribution over [from, to]; undefined while any of its levels is missing. A
 * column where some level has no finite value (a probe whose values were all NaN) is left out.
 */
export function distributionBands(series: SeriesSet, source: Pick<DistributionSource, 'prefix' | 'of'>, from = 0, to = Infinity): DistributionBands | undefined {
  const summaries: SeriesSummary[] = [];
  for (let k = 0; k < DISTRIBUTION_PERCENTILES.length; k++) {
    const s = series.get(distributionKey(source.prefix, source.of, k));
    if (!s) return undefined;
    summaries.push(s);
  }
  // Every level got a point at the same steps, so their buckets are aligned: walk the median's.
  const bands: DistributionBands = { x: [], levels: summaries.map(() => []) };
  const last = summaries.length - 1;
  summaries[0].forEachIn(from, to, (_d, _at, x0) => {
    const i = summaries[0].indexOf(x0);
    const column: number[] = [];
    for (let k = 0; k <= last; k++) {
      const b = summaries[k].bucket(i);
      if (!b || b.count === 0) return;
      column.push(k === 0 ? b.min : k === last ? b.max : b.mean);
    }
    const b = summaries[0].bucket(i)!;
    bands.x.push((b.xFirst + b.xLast) / 2);
    column.forEach((v, k) => bands.levels[k].push(v));
  });
  return bands;
}

/** The band pairs drawn, outermost first: [lower level, upper level] (min–max, 7–93 %, 16–84 %, 31–69 %). */
export function bandPairs(levels = DISTRIBUTION_PERCENTILES.length): [number, number][] {
  const pairs: [number, number][] = [];
  for (let k = 0; k < Math.floor(levels / 2); k++) pairs.push([k, levels - 1 - k]);
  return pairs;
}

/** The finite range of the bands (for an axis), undefined when empty. */
export function bandsRange(bands: DistributionBands): { min: number; max: number } | undefined {
  if (bands.x.length === 0) return undefined;
  return { min: Math.min(...bands.levels[0]), max: Math.max(...bands.levels[bands.levels.length - 1]) };
}

