/**
 * A bounded summary of one series of (x, y) points (x = the training step), at any run length.
 *
 * Points fall into buckets of `width` consecutive x values, aligned at multiples of the width:
 * bucket i holds x in [i·width, (i+1)·width). Each bucket keeps what a chart needs to draw the
 * points faithfully at any zoom coarser than the bucket — the count, sum (mean), minimum and
 * maximum with where they occurred, the first and last value with theirs — and the non-finite
 * values apart (how many, which kinds, where the first was), so a NaN neither poisons the minimum
 * nor disappears. The width is the smallest power of two for which every x seen so far lies in
 * the first `capacity` buckets: as the run grows the width doubles and neighbouring buckets merge,
 * so memory stays at `capacity` buckets whatever the length. Two summaries with the same capacity
 * that saw the same x always have the same width.
 *
 * Summaries are fed either points (`add`) or pieces (`ingest`): a piece is a bucket's worth of
 * statistics over a disjoint part of the stream, the unit in which summaries travel between
 * threads and processes (see pieces.ts). Ingesting every piece of a stream gives exactly the
 * summary of adding every point, whatever the receiver's capacity.
 */

/** Field offsets of one bucket (or piece) in a packed Float64Array. */
export const F = {
  /** x of the first value (finite or not): which bucket a piece belongs to. */
  X0: 0,
  /** Finite values. */
  COUNT: 1,
  SUM: 2,
  MIN: 3,
  X_MIN: 4,
  MAX: 5,
  X_MAX: 6,
  FIRST: 7,
  X_FIRST: 8,
  LAST: 9,
  X_LAST: 10,
  /** NaN, +Infinity and −Infinity values. */
  NONFINITE: 11,
  /** Which non-finite kinds occurred: NONFINITE_NAN | NONFINITE_POS | NONFINITE_NEG. */
  NONFINITE_KINDS: 12,
  /** x of the first non-finite value. */
  X_NONFINITE: 13,
  /** A piece's width when it was made (buckets: unused). */
  WIDTH: 14,
} as const;

/** Numbers per bucket or piece. */
export const FIELDS = 15;

export const NONFINITE_NAN = 1;
export const NONFINITE_POS = 2;
export const NONFINITE_NEG = 4;

/** The kind bit of a non-finite value. */
export function nonfiniteKind(y: number): number {
  return Number.isNaN(y) ? NONFINITE_NAN : y > 0 ? NONFINITE_POS : NONFINITE_NEG;
}

/** The smallest power-of-two width ≥ `atLeast` for which x = maxX falls in bucket < capacity. */
export function widthFor(maxX: number, capacity: number, atLeast = 1): number {
  let width = Math.max(1, atLeast);
  while (Math.floor(maxX / width) >= capacity) width *= 2;
  return width;
}

/** Clears a bucket's fields at `at` to "empty". */
export function clearBucket(data: Float64Array, at: number): void {
  data.fill(0, at, at + FIELDS);
}

/** Whether the bucket or piece at `at` holds anything. */
export function isEmpty(data: Float64Array, at: number): boolean {
  return data[at + F.COUNT] === 0 && data[at + F.NONFINITE] === 0;
}

/** Adds one point to the bucket or piece at `at` (points arrive in increasing x). */
export function addPoint(data: Float64Array, at: number, x: number, y: number): void {
  const empty = isEmpty(data, at);
  if (empty) data[at + F.X0] = x;
  if (!Number.isFinite(y)) {
    if (data[at + F.NONFINITE] === 0) data[at + F.X_NONFINITE] = x;
    data[at + F.NONFINITE]++;
    data[at + F.NONFINITE_KINDS] = (data[at + F.NONFINITE_KINDS] | nonfiniteKind(y)) as number;
    return;
  }
  if (data[at + F.COUNT] === 0) {
    data[at + F.MIN] = y;
    data[at + F.X_MIN] = x;
    data[at + F.MAX] = y;
    data[at + F.X_MAX] = x;
    data[at + F.FIRST] = y;
    data[at + F.X_FIRST] = x;
  } else {
    if (y < data[at + F.MIN]) {
      data[at + F.MIN] = y;
      data[at + F.X_MIN] = x;
    }
    if (y > data[at + F.MAX]) {
      data[at + F.MAX] = y;
      data[at + F.X_MAX] = x;
    }
  }
  data[at + F.COUNT]++;
  data[at + F.SUM] += y;
  data[at + F.LAST] = y;
  data[at + F.X_LAST] = x;
}

/**
 * Merges the bucket or piece `src[from]` into `dst[at]`. The source's content comes after the
 * destination's (in x) or the two are disjoint halves of one interval merged in order; the first
 * and last values are taken by their x, so the order of merging does not matter for them.
 */
export function mergeInto(dst: Float64Array, at: number, src: ArrayLike<number>, from: number): void {
  if (src[from + F.COUNT] === 0 && src[from + F.NONFINITE] === 0) return;
  if (isEmpty(dst, at)) {
    for (let k = 0; k < FIELDS; k++) dst[at + k] = src[from + k];
    return;
  }
  dst[at + F.X0] = Math.min(dst[at + F.X0], src[from + F.X0]);
  const count = src[from + F.COUNT];
  if (count > 0) {
    if (dst[at + F.COUNT] === 0) {
      for (const k of [F.MIN, F.X_MIN, F.MAX, F.X_MAX, F.FIRST, F.X_FIRST, F.LAST, F.X_LAST]) dst[at + k] = src[from + k];
    } else {
      const min = src[from + F.MIN];
      const max = src[from + F.MAX];
      // Ties keep the earlier x, as adding the points one by one does.
      if (min < dst[at + F.MIN] || (min === dst[at + F.MIN] && src[from + F.X_MIN] < dst[at + F.X_MIN])) {
        dst[at + F.MIN] = min;
        dst[at + F.X_MIN] = src[from + F.X_MIN];
      }
      if (max > dst[at + F.MAX] || (max === dst[at + F.MAX] && src[from + F.X_MAX] < dst[at + F.X_MAX])) {
        dst[at + F.MAX] = max;
        dst[at + F.X_MAX] = src[from + F.X_MAX];
      }
      if (src[from + F.X_FIRST] < dst[at + F.X_FIRST]) {
        dst[at + F.FIRST] = src[from + F.FIRST];
        dst[at + F.X_FIRST] = src[from + F.X_FIRST];
      }
      if (src[from + F.X_LAST] >= dst[at + F.X_LAST]) {
        dst[at + F.LAST] = src[from + F.LAST];
        dst[at + F.X_LAST] = src[from + F.X_LAST];
      }
    }
    dst[at + F.COUNT] += count;
    dst[at + F.SUM] += src[from + F.SUM];
  }
  const nonfinite = src[from + F.NONFINITE];
  if (nonfinite > 0) {
    if (dst[at + F.NONFINITE] === 0 || src[from + F.X_NONFINITE] < dst[at + F.X_NONFINITE]) {
      dst[at + F.X_NONFINITE] = src[from + F.X_NONFINITE];
    }
    dst[at + F.NONFINITE] += nonfinite;
    dst[at + F.NONFINITE_KINDS] = (dst[at + F.NONFINITE_KINDS] | src[from + F.NONFINITE_KINDS]) as number;
  }
}

/** A read-only view of one bucket, for drawing and tooltips. */
export interface BucketView {
  /** The interval the bucket covers: [x0, x1). */
  from: number;
  to: number;
  count: number;
  mean: number;
  min: number;
  xMin: number;
  max: number;
  xMax: number;
  first: number;
  xFirst: number;
  last: number;
  xLast: number;
  nonfinite: number;
  nonfiniteKinds: number;
  xNonfinite: number;
}

export class SeriesSummary {
  /** Buckets in x order; bucket i at i·FIELDS. Grows up to capacity·FIELDS. */
  private data: Float64Array;
  private widthValue = 1;
  /** One past the highest bucket index in use (0 = empty). */
  private used = 0;
  /** The highest x seen (−1 = none). */
  private maxXValue = -1;
  /** Points and pieces taken in (for consumers that only redraw on change). */
  private revisionValue = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`capacity must be an integer ≥ 2, got ${capacity}`);
    this.data = new Float64Array(Math.min(capacity, 64) * FIELDS);
  }

  get width(): number {
    return this.widthValue;
  }

  get maxX(): number {
    return this.maxXValue;
  }

  /** Buckets in use, empty ones between included (≤ capacity). */
  get length(): number {
    return this.used;
  }

  get revision(): number {
    return this.revisionValue;
  }

  get isEmpty(): boolean {
    return this.maxXValue < 0;
  }

  /** Bytes held (bounded by capacity · FIELDS · 8). */
  get bytes(): number {
    return this.data.byteLength;
  }

  /** Adds a point; x must not be less than the x of earlier points (steps only grow). */
  add(x: number, y: number): void {
    if (!(x >= 0)) throw new RangeError(`x must be ≥ 0, got ${x}`);
    this.grow(x, 1);
    const i = Math.floor(x / this.widthValue);
    this.reserve(i);
    addPoint(this.data, i * FIELDS, x, y);
    this.revisionValue++;
  }

  /** Merges a piece (FIELDS numbers at `from` in `pieces`, see pieces.ts). */
  ingest(pieces: ArrayLike<number>, from: number): void {
    if (pieces[from + F.COUNT] === 0 && pieces[from + F.NONFINITE] === 0) return;
    const x0 = pieces[from + F.X0];
    const last = Math.max(x0, pieces[from + F.X_LAST], pieces[from + F.X_NONFINITE]);
    this.grow(last, pieces[from + F.WIDTH] || 1);
    const i = Math.floor(x0 / this.widthValue);
    this.reserve(i);
    mergeInto(this.data, i * FIELDS, pieces, from);
    this.data[i * FIELDS + F.WIDTH] = 0;
    this.revisionValue++;
  }

  /** Merges every bucket of another summary (e.g. one read from disk) into this one. */
  ingestSummary(other: SeriesSummary): void {
    const packed = other.packed();
    for (let at = 0; at < packed.length; at += FIELDS) this.ingest(packed, at);
  }

  /** The non-empty buckets as pieces (each with this summary's width), in x order. */
  packed(): Float64Array {
    let n = 0;
    for (let i = 0; i < this.used; i++) if (!isEmpty(this.data, i * FIELDS)) n++;
    const out = new Float64Array(n * FIELDS);
    let k = 0;
    for (let i = 0; i < this.used; i++) {
      const at = i * FIELDS;
      if (isEmpty(this.data, at)) continue;
      // Element by element: a subarray per bucket would be garbage for the page to collect.
      for (let f = 0; f < FIELDS; f++) out[k + f] = this.data[at + f];
      out[k + F.WIDTH] = this.widthValue;
      k += FIELDS;
    }
    return out;
  }

  /** Index of the bucket holding x, or −1 when x is before 0. */
  indexOf(x: number): number {
    return x < 0 ? -1 : Math.floor(x / this.widthValue);
  }

  /** The bucket at index i, or undefined when it is empty or out of range. */
  bucket(i: number): BucketView | undefined {
    if (i < 0 || i >= this.used) return undefined;
    const at = i * FIELDS;
    if (isEmpty(this.data, at)) return undefined;
    return viewOf(this.data, at, i * this.widthValue, (i + 1) * this.widthValue);
  }

  /** Calls `visit` with each non-empty bucket overlapping [from, to], in x order. */
  forEachIn(from: number, to: number, visit: (data: Float64Array, at: number, x0: number, x1: number) => void): void {
    const w = this.widthValue;
    const first = Math.max(0, Math.floor(from / w));
    const last = Math.min(this.used - 1, Math.floor(to / w));
    for (let i = first; i <= last; i++) {
      const at = i * FIELDS;
      if (!isEmpty(this.data, at)) visit(this.data, at, i * w, (i + 1) * w);
    }
  }

  /** The finite values' range over the buckets overlapping [from, to] (undefined when none). */
  range(from = 0, to = Infinity): { min: number; max: number; minPositive: number } | undefined {
    // A plain loop, not forEachIn: doubles assigned inside a closure are boxed on every write, and
    // the dashboard asks for ranges every frame.
    const d = this.data;
    const w = this.widthValue;
    const last = Math.min(this.used - 1, Math.floor(to / w));
    let min = Infinity;
    let max = -Infinity;
    let minPositive = Infinity;
    for (let i = Math.max(0, Math.floor(from / w)); i <= last; i++) {
      const at = i * FIELDS;
      if (isEmpty(d, at) || d[at + F.COUNT] === 0) continue;
      min = Math.min(min, d[at + F.MIN]);
      max = Math.max(max, d[at + F.MAX]);
      if (d[at + F.MIN] > 0) minPositive = Math.min(minPositive, d[at + F.MIN]);
      else if (d[at + F.MAX] > 0) minPositive = Math.min(minPositive, smallestPositiveBound(d, at));
    }
    return min <= max ? { min, max, minPositive } : undefined;
  }

  /** The latest finite value and its x, if any. */
  lastValue(): { x: number; y: number } | undefined {
    for (let i = this.used - 1; i >= 0; i--) {
      const at = i * FIELDS;
      if (this.data[at + F.COUNT] > 0) return { x: this.data[at + F.X_LAST], y: this.data[at + F.LAST] };
    }
    return undefined;
  }

  /** Empties the summary (keeps its capacity). */
  clear(): void {
    this.data = new Float64Array(Math.min(this.capacity, 64) * FIELDS);
    this.widthValue = 1;
    this.used = 0;
    this.maxXValue = -1;
    this.revisionValue++;
  }

  /** Widens the buckets until x fits and the width is at least `atLeast`. */
  private grow(x: number, atLeast: number): void {
    if (x > this.maxXValue) this.maxXValue = x;
    const target = widthFor(this.maxXValue, this.capacity, Math.max(atLeast, this.widthValue));
    while (this.widthValue < target) this.coarsen();
  }

  /** Doubles the width: bucket pairs (2i, 2i+1) merge into bucket i. */
  private coarsen(): void {
    const d = this.data;
    const pairs = Math.ceil(this.used / 2);
    for (let i = 0; i < pairs; i++) {
      const a = 2 * i * FIELDS;
      const b = (2 * i + 1) * FIELDS;
      const to = i * FIELDS;
      if (to !== a) {
        d.copyWithin(to, a, a + FIELDS);
      }
      if (2 * i + 1 < this.used) mergeInto(d, to, d, b);
    }
    d.fill(0, pairs * FIELDS, this.used * FIELDS);
    this.used = pairs;
    this.widthValue *= 2;
  }

  private reserve(i: number): void {
    if (i >= this.capacity) throw new Error(`bucket ${i} beyond capacity ${this.capacity}`);
    if ((i + 1) * FIELDS > this.data.length) {
      const grown = new Float64Array(Math.min(this.capacity, Math.max(i + 1, 2 * (this.data.length / FIELDS))) * FIELDS);
      grown.set(this.data);
      this.data = grown;
    }
    if (i + 1 > this.used) this.used = i + 1;
  }
}

/** The smallest positive value a bucket is known to hold (its first, last or max when positive). */
function smallestPositiveBound(d: Float64Array, at: number): number {
  let v = d[at + F.MAX];
  for (const k of [F.FIRST, F.LAST]) if (d[at + k] > 0 && d[at + k] < v) v = d[at + k];
  return v;
}

export function viewOf(d: ArrayLike<number>, at: number, from: number, to: number): BucketView {
  const count = d[at + F.COUNT];
  return {
    from,
    to,
    count,
    mean: count > 0 ? d[at + F.SUM] / count : NaN,
    min: d[at + F.MIN],
    xMin: d[at + F.X_MIN],
    max: d[at + F.MAX],
    xMax: d[at + F.X_MAX],
    first: d[at + F.FIRST],
    xFirst: d[at + F.X_FIRST],
    last: d[at + F.LAST],
    xLast: d[at + F.X_LAST],
    nonfinite: d[at + F.NONFINITE],
    nonfiniteKinds: d[at + F.NONFINITE_KINDS],
    xNonfinite: d[at + F.X_NONFINITE],
  };
}
