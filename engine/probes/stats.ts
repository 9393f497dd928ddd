/**
 * The probe's arithmetic over Float32Array buffers with explicit sizes. Nothing here allocates
 * anything that grows with the data: sums run in double precision, work arrays come from the
 * caller (ProbeScratch), and results are constant-size objects.
 */
import type { Histogram, RangeStats, ValueStats } from './record';

/** Mean, population std, min, max of the finite values among values[0..n), and the non-finite count. */
export function valueStats(values: Float32Array, n: number): ValueStats {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // v - v is NaN exactly for NaN and ±Infinity: one test for both.
    if (v - v !== 0) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return { count: 0, nonfinite: n, mean: 0, std: 0, min: 0, max: 0 };
  const mean = sum / count;
  // Second pass about the mean: no cancellation when the mean dwarfs the spread (saturated sigmoids).
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v !== 0) continue;
    const d = v - mean;
    squares += d * d;
  }
  return { count, nonfinite: n - count, mean, std: Math.sqrt(squares / count), min, max };
}

/** Σv² over the finite values among values[0..n), and how many were not finite. */
export function sumOfSquares(values: Float32Array, n: number = values.length): { squares: number; nonfinite: number } {
  let squares = 0;
  let nonfinite = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v !== 0) nonfinite++;
    else squares += v * v;
  }
  return { squares, nonfinite };
}

/** One pass over a parameter tensor: Σv², min and max of the finite values, and the non-finite count. */
export function tensorSummary(values: Float32Array, n: number = values.length): { squares: number; min: number; max: number; nonfinite: number } {
  let squares = 0;
  let nonfinite = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v !== 0) {
      nonfinite++;
      continue;
    }
    squares += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return { squares: 0, min: 0, max: 0, nonfinite };
  return { squares, min, max, nonfinite };
}

/**
 * One pass over a step: tensorSummary of `before`, and Σ(after − before)² with the non-finite
 * values in `after`.
 */
export function weightsAndStep(
  before: Float32Array,
  after: Float32Array,
  n: number = before.length,
): { weights: { squares: number; min: number; max: number; nonfinite: number }; step: { squares: number; nonfinite: number } } {
  let squares = 0;
  let nonfinite = 0;
  let min = Infinity;
  let max = -Infinity;
  let stepSquares = 0;
  let stepNonfinite = 0;
  for (let i = 0; i < n; i++) {
    const w = before[i];
    const v = after[i];
    if (v - v !== 0) stepNonfinite++;
    const d = v - w;
    stepSquares += d * d;
    if (w - w !== 0) {
      nonfinite++;
      continue;
    }
    squares += w * w;
    if (w < min) min = w;
    if (w > max) max = w;
  }
  const weights = min > max ? { squares: 0, min: 0, max: 0, nonfinite } : { squares, min, max, nonfinite };
  return { weights, step: { squares: stepSquares, nonfinite: stepNonfinite } };
}

/** ‖values[0..n)‖₂ over the finite values (double-precision sum: no float32 overflow). */
export function norm(values: Float32Array, n: number = values.length): number {
  return Math.sqrt(sumOfSquares(values, n).squares);
}

/** ‖after − before‖₂ over the first n values (a non-finite difference makes it non-finite). */
export function differenceNorm(before: Float32Array, after: Float32Array, n: number = before.length): number {
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = after[i] - before[i];
    squares += d * d;
  }
  return Math.sqrt(squares);
}

/**
 * The course's update/weight ratio ‖after − before‖ / ‖before‖ ("want ~1e-3"). NaN when
 * ‖before‖ = 0 (a zero-initialized bias has no scale to compare the step with).
 */
export function updateRatio(before: Float32Array, after: Float32Array, n: number = before.length): number {
  if (after.length < n || before.length < n) throw new RangeError(`updateRatio: the buffers hold fewer than ${n} values`);
  const scale = norm(before, n);
  if (scale === 0) return NaN;
  return differenceNorm(before, after, n) / scale;
}

/** Copies the finite values of values[0..n) to the front of `into`; returns how many were copied. */
export function copyFinite(values: Float32Array, n: number, into: Float32Array): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v === 0) into[m++] = v;
  }
  return m;
}

/**
 * From this many values up, percentiles are taken over a uniform sample of PERCENTILE_SAMPLE of
 * them plus the exact minimum and maximum: a probe then costs the same however wide the layer,
 * and a percentile's rank is off by about √(q(1 − q)/1024) ≤ 1.6 % (0.8 % at the 7th and 93rd) —
 * less than a band chart's line width; the dead and saturated counts stay exact. Smaller tensors
 * keep exact percentiles. (Selecting over every value of a 2,048-value layer was half of a small
 * network's probe.)
 */
export const PERCENTILE_SAMPLE = 1024;
export const SAMPLE_FROM = 2 * PERCENTILE_SAMPLE;

/**
 * Positions of a uniform sample (with replacement, ascending: reads stay in order) of [0, n) of
 * PERCENTILE_SAMPLE entries, from a fixed xorshift sequence: the same positions for the same n, so
 * a run's probes stay deterministic.
 */
export function samplePositions(n: number): Int32Array {
  const positions = new Int32Array(PERCENTILE_SAMPLE);
  let x = (0x9e3779b9 ^ n) | 1;
  for (let i = 0; i < positions.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    positions[i] = Math.floor(((x >>> 0) / 4294967296) * n);
  }
  return positions.sort();
}

/**
 * What percentiles of values[0..n) are taken over, copied to the front of `into`: every finite
 * value, or with `positions` (see samplePositions) the finite values at those positions followed
 * by the exact finite minimum and maximum (the 0th and 100th percentiles stay exact). Returns how
 * many were copied. `range`: the finite minimum and maximum when the caller has them (one pass fewer).
 */
export function copyFiniteSample(
  values: Float32Array,
  n: number,
  into: Float32Array,
  positions: Int32Array | undefined,
  range?: { min: number; max: number },
): number {
  if (positions === undefined) return copyFinite(values, n, into);
  let min = range?.min ?? Infinity;
  let max = range?.max ?? -Infinity;
  if (range === undefined) {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v - v !== 0) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min > max) return 0;
  let m = 0;
  for (let i = 0; i < positions.length; i++) {
    const v = values[positions[i]];
    if (v - v === 0) into[m++] = v;
  }
  into[m++] = min;
  into[m++] = max;
  return m;
}

/**
 * Exact percentiles of work[0..n) with numpy's default ('linear') definition — the value at
 * position q/100·(n − 1) of the sorted values, interpolated between its neighbours — which is
 * also torch.quantile's. `levels` must ascend. Reorders `work`: a multi-select places every order
 * statistic needed (each level's two neighbours) by selecting the middle one and recursing into
 * the two sides, about 4 passes over n for 7 levels; the three-way partition makes the many equal
 * zeros of a ReLU layer cheap. Writes into `out` from index 0.
 */
export function percentilesInPlace(work: Float32Array, n: number, levels: readonly number[], out: number[]): number[] {
  if (n === 0) {
    for (let l = 0; l < levels.length; l++) out[l] = 0;
    return out;
  }
  // The ranks to place: floor and floor + 1 of every level's position, ascending, without repeats.
  const ranks: number[] = [];
  for (const q of levels) {
    const k = Math.floor((q / 100) * (n - 1));
    if (ranks[ranks.length - 1] !== k) ranks.push(k);
    if (k + 1 < n && ranks[ranks.length - 1] !== k + 1) ranks.push(k + 1);
  }
  multiselect(work, 0, n - 1, ranks, 0, ranks.length - 1);
  for (let l = 0; l < levels.length; l++) {
    const position = (levels[l] / 100) * (n - 1);
    const k = Math.floor(position);
    const fraction = position - k;
    out[l] = fraction > 0 && k + 1 < n ? work[k] + fraction * (work[k + 1] - work[k]) : work[k];
  }
  return out;
}

/** Places a[ranks[i]] for every i in [from, to] (ranks ascending, all within [left, right]). */
function multiselect(a: Float32Array, left: number, right: number, ranks: readonly number[], from: number, to: number): void {
  if (from > to || left >= right) return;
  const mid = (from + to) >>> 1;
  const k = ranks[mid];
  quickselect(a, left, right, k);
  multiselect(a, left, k - 1, ranks, from, mid - 1);
  multiselect(a, k + 1, right, ranks, mid + 1, to);
}

/**
 * Rearranges a[left..right] so that a[k] holds the value it would have if sorted, with nothing
 * larger before it and nothing smaller after it. Hoare partitioning around a median of three:
 * equal values are swapped past each other, so runs of equal values (ReLU zeros) split evenly.
 */
export function quickselect(a: Float32Array, left: number, right: number, k: number): void {
  while (right > left) {
    const mid = (left + right) >>> 1;
    const pivot = medianOfThree(a[left], a[mid], a[right]);
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    // Now [left, j] ≤ pivot ≤ [i, right], and every slot strictly between j and i equals pivot.
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

/**
 * Bins the finite values among values[0..n) into `bins` equal bins over [lo, hi] (see Histogram).
 * Returns a fresh record (its counts array is the record's own).
 */
export function histogram(values: Float32Array, n: number, lo: number, hi: number, bins: number): Histogram {
  const counts = new Int32Array(bins);
  let under = 0;
  let over = 0;
  const width = hi - lo;
  const scale = width > 0 ? bins / width : 0;
  const last = bins - 1;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v !== 0) continue;
    if (v < lo) under++;
    else if (v > hi) over++;
    else {
      // v ≥ lo here, so truncation is floor.
      const bin = ((v - lo) * scale) | 0;
      counts[bin > last ? last : bin]++;
    }
  }
  return { lo, hi, counts: Array.from(counts), under, over };
}

/**
 * Units (columns) of a rows × features row-major matrix that are exactly zero in every row: a
 * ReLU unit that outputs zero for the whole batch is dead for it. `alive` is a work array of at
 * least `features` entries. A NaN counts as alive (it is not an inactive unit). 0 when rows = 0.
 */
export function deadColumns(values: Float32Array, rows: number, features: number, alive: Uint8Array): number {
  if (rows === 0) return 0;
  alive.fill(0, 0, features);
  let remaining = features;
  for (let r = 0; r < rows && remaining > 0; r++) {
    const offset = r * features;
    for (let j = 0; j < features; j++) {
      if (alive[j] === 0 && values[offset + j] !== 0) {
        alive[j] = 1;
        remaining--;
      }
    }
  }
  return remaining;
}

/** How saturation is judged: tanh saturates at ±1, sigmoid at 0 and 1. */
export type SaturationKind = 'tanh' | 'sigmoid';

/**
 * Values of values[0..n) in a saturated region: tanh |y| > level; sigmoid y > level or
 * y < 1 − level (level 0.97: where the derivative has fallen below ~6 % of its peak for tanh, ~12 %
 * for sigmoid, so almost no gradient passes).
 */
export function saturatedCount(values: Float32Array, n: number, kind: SaturationKind, levelValue: number): number {
  // Compared in float32, so a stored 0.97 is not "above 0.97".
  const level = Math.fround(levelValue);
  let count = 0;
  if (kind === 'tanh') {
    for (let i = 0; i < n; i++) if (Math.abs(values[i]) > level) count++;
  } else {
    const low = Math.fround(1 - levelValue);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v > level || v < low) count++;
    }
  }
  return count;
}

/** Mean, min and max of a small vector (batch norm running statistics). */
export function rangeStats(values: Float32Array): RangeStats {
  const s = valueStats(values, values.length);
  return { mean: s.mean, min: s.min, max: s.max };
}
