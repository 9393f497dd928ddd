/**
 * Automatic y ranges that show what matters. A logarithmic axis spans whole decades around the
 * values, and reaches down more than `maxDecades` below the largest only for the bulk of them: a
 * gradient norm of 1e-43 (a dead layer's, float32's smallest) next to norms of 1e-2 would otherwise
 * squeeze every curve into a line, while a loss that spiked to 1e19 and then sat at 1e5 must still
 * show the 1e5. Values below the floor are drawn at it (the crosshair still reports them exactly).
 */

export interface AxisRange {
  min: number;
  max: number;
  /** Some values lie below `min` and are drawn at it. */
  clipped: boolean;
}

export const MAX_LOG_DECADES = 8;

/**
 * Decade bounds for positive values from `minPositive` to `max`. `typical`: a value the bulk of
 * them are above (e.g. their 5th percentile); the floor is never above it, however far below `max`.
 */
export function logRange(minPositive: number, max: number, maxDecades = MAX_LOG_DECADES, typical?: number): AxisRange | undefined {
  if (!(max > 0) || !Number.isFinite(max)) return undefined;
  const low = Number.isFinite(minPositive) && minPositive > 0 ? minPositive : max;
  const keep = typical !== undefined && typical > 0 ? typical : max;
  const floor = Math.max(low, Math.min(keep, max / 10 ** maxDecades));
  let hiExp = Math.ceil(Math.log10(max) - 1e-9);
  let loExp = Math.floor(Math.log10(floor) + 1e-9);
  if (hiExp === loExp) {
    // A constant: one decade around it.
    hiExp += 1;
    loExp -= 1;
  }
  return { min: 10 ** loExp, max: 10 ** hiExp, clipped: 10 ** loExp > low };
}

/** A linear range with a little room, from 0 when all values are positive and near it. */
export function linearRange(min: number, max: number): AxisRange | undefined {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return undefined;
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return { min: min - pad, max: max + pad, clipped: false };
  }
  const pad = (max - min) * 0.04;
  const low = min >= 0 && min - pad < 0 ? 0 : min - pad;
  return { min: low, max: max + pad, clipped: false };
}

/** The q-quantile of the positive finite values drawn (undefined when there are none). */
export function lowQuantile(sets: readonly (readonly { y: number }[])[], q: number): number | undefined {
  const ys = positiveValues(sets);
  if (ys === undefined) return undefined;
  return ys.sort()[Math.floor(q * (ys.length - 1))];
}

/**
 * Finite values, all positive, whose peak is more than 20 times their median (a loss that spiked,
 * a run that diverged beside runs that did not): a linear axis would flatten the rest, a log axis
 * shows them all. Non-finite values are marked apart and do not count.
 */
export function spiky(sets: readonly (readonly { y: number }[])[]): boolean {
  const ys = positiveValues(sets, true);
  if (ys === undefined || ys.length < 10) return false;
  ys.sort();
  return ys[ys.length - 1] > 20 * ys[ys.length >> 1];
}

/**
 * The points' positive finite y values in a typed array (sorted natively and numerically, without
 * boxing each value as an array of numbers and a comparator would): undefined when there are none,
 * or when `all` asks for every finite value to be positive and one is not.
 */
function positiveValues(sets: readonly (readonly { y: number }[])[], all = false): Float64Array | undefined {
  let n = 0;
  for (const points of sets) n += points.length;
  const ys = new Float64Array(n);
  let k = 0;
  for (const points of sets) {
    for (const p of points) {
      const y = p.y;
      if (y > 0 && y !== Infinity) ys[k++] = y;
      else if (all && y - y === 0) return undefined;
    }
  }
  return k === 0 ? undefined : ys.subarray(0, k);
}
