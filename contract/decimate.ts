/**
 * Turning a series summary into the points a line chart draws, one pixel column at a time (M4:
 * per column the first, minimum, maximum and last value, at their own x). A line through those
 * points covers exactly the pixels a line through every raw point would: every spike and every dip
 * stays, however many steps share a column. Pure (no DOM, no chart.js), shared by every view that
 * draws series — one run's dashboard or many runs overlaid.
 */
import { F, type SeriesSummary } from '../engine/series/summary';

export interface Point {
  x: number;
  y: number;
}

/** Where non-finite values are: one mark per pixel column that has any. */
export interface NonFiniteMark {
  x: number;
  /** How many values of the column are non-finite. */
  count: number;
  /** NONFINITE_NAN | NONFINITE_POS | NONFINITE_NEG (summary.ts). */
  kinds: number;
}

/** Anything that can list its buckets over an x range (a SeriesSummary does). */
export type BucketSource = Pick<SeriesSummary, 'forEachIn' | 'width'>;

export interface Decimated {
  points: Point[];
  nonfinite: NonFiniteMark[];
}

/**
 * Point objects kept from one drawing to the next: a chart redrawn a few times a second would
 * otherwise make thousands of short-lived objects each time (garbage that swells the page's heap).
 */
export class PointPool {
  private readonly points: Point[] = [];

  /** The i-th point object, set to (x, y). */
  at(i: number, x: number, y: number): Point {
    let p = this.points[i];
    if (p === undefined) {
      p = { x, y };
      this.points[i] = p;
    } else {
      p.x = x;
      p.y = y;
    }
    return p;
  }
}

/** Scratch for one column's four values (sorted by x before they are emitted). */
const cx = new Float64Array(4);
const cy = new Float64Array(4);

/**
 * The M4 points of `source` between `from` and `to` for a chart `columns` pixels wide, plus the
 * nearest bucket outside each end (so the line runs to the chart's edges). `clampLow` raises values
 * below it to it (a log axis cannot show zero or negative values; they are drawn at its floor).
 * `pool`: reuse the point objects of an earlier call (the points returned are then only valid
 * until the next call with the same pool).
 */
export function decimate(source: BucketSource, from: number, to: number, columns: number, clampLow?: number, pool?: PointPool): Decimated {
  const points: Point[] = [];
  const nonfinite: NonFiniteMark[] = [];
  const push = (x: number, y: number): void => {
    const v = clampLow !== undefined && y < clampLow ? clampLow : y;
    points.push(pool ? pool.at(points.length, x, v) : { x, y: v });
  };
  const span = Math.max(to - from, 1e-9);
  const perColumn = span / Math.max(1, Math.floor(columns));
  const w = source.width;

  let column = Number.NaN;
  // The open column's M4 values (x of each; NaN = none yet).
  let fx = NaN, fy = 0, lx = NaN, ly = 0, nx = NaN, ny = 0, mx = NaN, my = 0;
  let markX = NaN, markCount = 0, markKinds = 0;

  const emit = (): void => {
    if (!Number.isNaN(fx)) {
      cx[0] = fx;
      cy[0] = fy;
      cx[1] = nx;
      cy[1] = ny;
      cx[2] = mx;
      cy[2] = my;
      cx[3] = lx;
      cy[3] = ly;
      // Insertion sort of four by x (the first and last are already at the ends).
      for (let i = 1; i < 4; i++) {
        for (let j = i; j > 0 && cx[j] < cx[j - 1]; j--) {
          const tx = cx[j];
          const ty = cy[j];
          cx[j] = cx[j - 1];
          cy[j] = cy[j - 1];
          cx[j - 1] = tx;
          cy[j - 1] = ty;
        }
      }
      let px = NaN;
      let py = NaN;
      for (let i = 0; i < 4; i++) {
        if (cx[i] === px && cy[i] === py) continue;
        px = cx[i];
        py = cy[i];
        push(px, py);
      }
    }
    if (markCount > 0) nonfinite.push({ x: markX, count: markCount, kinds: markKinds });
    fx = lx = nx = mx = markX = NaN;
    markCount = markKinds = 0;
  };

  source.forEachIn(from - w, to + w, (d, at, x0) => {
    const c = Math.floor((x0 - from) / perColumn);
    if (c !== column) {
      emit();
      column = c;
    }
    if (d[at + F.COUNT] > 0) {
      const xFirst = d[at + F.X_FIRST];
      if (Number.isNaN(fx) || xFirst < fx) {
        fx = xFirst;
        fy = d[at + F.FIRST];
      }
      const xLast = d[at + F.X_LAST];
      if (Number.isNaN(lx) || xLast >= lx) {
        lx = xLast;
        ly = d[at + F.LAST];
      }
      if (Number.isNaN(nx) || d[at + F.MIN] < ny) {
        nx = d[at + F.X_MIN];
        ny = d[at + F.MIN];
      }
      if (Number.isNaN(mx) || d[at + F.MAX] > my) {
        mx = d[at + F.X_MAX];
        my = d[at + F.MAX];
      }
    }
    if (d[at + F.NONFINITE] > 0) {
      if (markCount === 0) markX = d[at + F.X_NONFINITE];
      markCount += d[at + F.NONFINITE];
      markKinds |= d[at + F.NONFINITE_KINDS];
    }
  });
  emit();
  return { points, nonfinite };
}

/** The bucket of `source` holding x, at the resolution `source` has (for a crosshair's values). */
export function bucketAt(source: BucketSource, x: number): { from: number; to: number; data: ArrayLike<number>; at: number } | undefined {
  let found: { from: number; to: number; data: ArrayLike<number>; at: number } | undefined;
  source.forEachIn(x, x, (data, at, from, to) => {
    found = { from, to, data, at };
  });
  return found;
}
