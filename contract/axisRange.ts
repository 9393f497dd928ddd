/**
 * Automatic y ranges that show what matters. A logarithmic axis spans whole decades around the
 * values, but never more than `maxDecades`: a gradient norm of 1e-43 (a dead layer's, float32's
 * smallest) next to norms of 1e-2 would otherwise squeeze every curve into a line; values below
 * the floor are drawn at it (and the crosshair still reports them exactly).
 */

export interface AxisRange {
  min: number;
  max: number;
  /** Some values lie below `min` and are drawn at it. */
  clipped: boolean;
}

export const MAX_LOG_DECADES = 8;

/** Decade bounds for positive values from `minPositive` to `max`. */
export function logRange(minPositive: number, max: number, maxDecades = MAX_LOG_DECADES): AxisRange | undefined {
  if (!(max > 0) || !Number.isFinite(max)) return undefined;
  const low = Number.isFinite(minPositive) && minPositive > 0 ? minPositive : max;
  let hiExp = Math.ceil(Math.log10(max) - 1e-9);
  let loExp = Math.floor(Math.log10(low) + 1e-9);
  if (hiExp === loExp) {
    // A constant: one decade around it.
    hiExp += 1;
    loExp -= 1;
  }
  let clipped = false;
  if (hiExp - loExp > maxDecades) {
    loExp = hiExp - maxDecades;
    clipped = true;
  }
  return { min: 10 ** loExp, max: 10 ** hiExp, clipped };
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
