/**
 * Smoothing a noisy curve for reading its trend, as TensorBoard and W&B do: an exponential moving
 * average over the points drawn, debiased so that it starts at the data instead of at zero
 * (smoothed_i = ema_i / (1 − wⁱ)). Here the points are the summary's buckets (each by its mean), so
 * the window is "the last 1/(1−w) buckets" at whatever resolution is shown. The raw series is
 * always drawn as well: smoothing adds a line, it never replaces one.
 */
import { F } from '../engine/series/summary';
import type { BucketSource, Point, PointPool } from './decimate';

/** TensorBoard's default weight. */
export const DEFAULT_SMOOTHING = 0.6;

/** Debiased EMA of the bucket means of `source` over [from, to] (non-finite values skipped). */
export function smoothed(source: BucketSource, from: number, to: number, weight: number, pool?: PointPool): Point[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  const out: Point[] = [];
  let ema = 0;
  let n = 0;
  source.forEachIn(from - source.width, to + source.width, (d, at) => {
    const count = d[at + F.COUNT];
    if (count === 0) return;
    const mean = d[at + F.SUM] / count;
    ema = ema * w + (1 - w) * mean;
    n++;
    const debias = 1 - w ** n;
    // The bucket's point: the middle of where its values are.
    const x = (d[at + F.X_FIRST] + d[at + F.X_LAST]) / 2;
    const y = debias > 0 ? ema / debias : mean;
    out.push(pool ? pool.at(out.length, x, y) : { x, y });
  });
  return out;
}

/** Debiased EMA of plain values (what the points formula gives for one value per point). */
export function smoothValues(values: readonly number[], weight: number): number[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  let ema = 0;
  return values.map((v, i) => {
    ema = ema * w + (1 - w) * v;
    return ema / (1 - w ** (i + 1));
  });
}
