/**
 * A distribution as the "distributions over time" charts draw it: exact percentiles at
 * DISTRIBUTION_PERCENTILES (numpy's default 'linear' definition, as `percentiles`) of the finite
 * values. Exact rather than read off the histogram: activations are binned over their 1st–99th
 * percentiles, so the histogram cannot give the minimum and maximum, and a bin's width would blur
 * the inner levels of a narrow layer. The work is one copy and one multi-select over the values;
 * from SAMPLE_FROM values up, over a fixed uniform sample of them plus the exact minimum and
 * maximum (stats.ts's copyFiniteSample), so that wide layers cost no more than narrow ones.
 */
import { DISTRIBUTION_PERCENTILES } from './record';
import type { ProbeScratch } from './scratch';
import { copyFiniteSample, percentilesInPlace } from './stats';

/**
 * The distribution of the finite values among values[0..n), or undefined when none is finite.
 * Reads `values` only; works in scratch.values. `range`: their finite minimum and maximum, when
 * the caller has them (and some value is finite).
 */
export function distributionOf(values: Float32Array, n: number, scratch: ProbeScratch, range?: { min: number; max: number }): number[] | undefined {
  const work = scratch.valuesFor(n);
  const finite = copyFiniteSample(values, n, work, scratch.samplePositions(n), range);
  return distributionOfWork(work, finite);
}

/**
 * The distribution of work[0..finite), which holds finite values only (it may be reordered, e.g. by
 * an earlier percentile selection, and is reordered again). Undefined when finite = 0.
 */
export function distributionOfWork(work: Float32Array, finite: number): number[] | undefined {
  if (finite === 0) return undefined;
  return percentilesInPlace(work, finite, DISTRIBUTION_PERCENTILES, new Array<number>(DISTRIBUTION_PERCENTILES.length));
}
