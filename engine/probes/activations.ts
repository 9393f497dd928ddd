import { DISTRIBUTION_PERCENTILES, PROBE_PERCENTILES, type Histogram, type ValueStats } from './record';
import type { ProbeScratch } from './scratch';
import {
  copyFiniteSample,
  deadColumns,
  histogram,
  percentilesInPlace,
  saturatedCount,
  valueStats,
  type SaturationKind,
} from './stats';

/**
 * Both sets of levels an activation reports, selected in one multi-select (a third cheaper than
 * two), and where each set's levels sit in it.
 */
const LEVELS = [...new Set([...PROBE_PERCENTILES, ...DISTRIBUTION_PERCENTILES])].sort((a, b) => a - b);
const PROBE_AT = PROBE_PERCENTILES.map((q) => LEVELS.indexOf(q));
const DISTRIBUTION_AT = DISTRIBUTION_PERCENTILES.map((q) => LEVELS.indexOf(q));

export interface ActivationOptions {
  bins: number;
  /** Count dead units (columns all zero over the rows): for ReLU outputs. */
  dead?: boolean;
  /** Count saturated values, as tanh or sigmoid outputs. */
  saturation?: SaturationKind;
  /** Saturation level (see saturatedCount); default 0.97. */
  saturationLevel?: number;
}

export interface ActivationSummary extends ValueStats {
  percentiles: number[];
  /** At DISTRIBUTION_PERCENTILES; absent when no value is finite. */
  distribution?: number[];
  histogram: Histogram;
  dead?: number;
  dead_fraction?: number;
  saturated_fraction?: number;
}

/**
 * Statistics of a layer's output over a batch: the first rows × features values of `values`
 * (row-major, the layer's own buffer, which is only read). Percentiles are exact (quickselect on a
 * copy in scratch.values; over a sample for large layers, see copyFiniteSample); the histogram spans the 1st–99th percentiles (values outside are in
 * under/over). Works in the scratch's buffers; allocates only the summary.
 */
export function summarizeActivations(
  values: Float32Array,
  rows: number,
  features: number,
  options: ActivationOptions,
  scratch: ProbeScratch,
): ActivationSummary {
  const n = rows * features;
  if (values.length < n) throw new RangeError(`summarizeActivations: ${rows}×${features} values expected, the buffer holds ${values.length}`);
  const stats = valueStats(values, n);
  const work = scratch.valuesFor(n);
  const finite = copyFiniteSample(values, n, work, scratch.samplePositions(n), stats.count > 0 ? stats : undefined);
  const levels = percentilesInPlace(work, finite, LEVELS, new Array<number>(LEVELS.length));
  const percentiles = PROBE_AT.map((i) => levels[i]);
  const lo = finite > 0 ? percentiles[0] : 0;
  const hi = finite > 0 ? percentiles[percentiles.length - 1] : 0;
  const summary: ActivationSummary = { ...stats, percentiles, histogram: histogram(values, n, lo, hi, options.bins) };
  if (finite > 0) summary.distribution = DISTRIBUTION_AT.map((i) => levels[i]);
  if (options.dead) {
    const dead = deadColumns(values, rows, features, scratch.columnsFor(features));
    summary.dead = dead;
    summary.dead_fraction = features > 0 ? dead / features : 0;
  }
  if (options.saturation !== undefined) {
    const saturated = saturatedCount(values, n, options.saturation, options.saturationLevel ?? 0.97);
    summary.saturated_fraction = n > 0 ? saturated / n : 0;
  }
  return summary;
}
