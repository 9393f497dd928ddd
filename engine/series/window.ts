/**
 * A fixed-resolution window of one series: buckets of a given width over [from, from +
 * capacity·width), for drawing a zoomed-in range in more detail than the whole-run summary has.
 * Points outside the window are ignored. Same bucket fields and drawing interface as SeriesSummary.
 */
import { addPoint, F, FIELDS, isEmpty, mergeInto } from './summary';

export class SeriesWindow {
  private readonly data: Float64Array;
  /** Index (at this width, from x = 0) of the window's first bucket. */
  private readonly firstIndex: number;

  constructor(
    readonly from: number,
    readonly width: number,
    readonly capacity: number,
  ) {
    if (!(width >= 1) || !Number.isInteger(capacity) || capacity < 1) throw new RangeError('bad window');
    this.firstIndex = Math.floor(from / width);
    this.data = new Float64Array(capacity * FIELDS);
  }

  /** One past the last x the window holds. */
  get to(): number {
    return (this.firstIndex + this.capacity) * this.width;
  }

  add(x: number, y: number): void {
    const i = Math.floor(x / this.width) - this.firstIndex;
    if (i < 0 || i >= this.capacity) return;
    addPoint(this.data, i * FIELDS, x, y);
  }

  /** Merges a piece whose width is at most this window's. */
  ingest(pieces: ArrayLike<number>, at: number): void {
    const i = Math.floor(pieces[at + F.X0] / this.width) - this.firstIndex;
    if (i < 0 || i >= this.capacity) return;
    mergeInto(this.data, i * FIELDS, pieces, at);
    this.data[i * FIELDS + F.WIDTH] = 0;
  }

  forEachIn(from: number, to: number, visit: (data: Float64Array, at: number, x0: number, x1: number) => void): void {
    const w = this.width;
    const first = Math.max(0, Math.floor(from / w) - this.firstIndex);
    const last = Math.min(this.capacity - 1, Math.floor(to / w) - this.firstIndex);
    for (let i = first; i <= last; i++) {
      const at = i * FIELDS;
      if (!isEmpty(this.data, at)) visit(this.data, at, (this.firstIndex + i) * w, (this.firstIndex + i + 1) * w);
    }
  }

  /** The non-empty buckets as pieces of this window's width (to send). */
  packed(): Float64Array {
    const out: number[] = [];
    this.forEachIn(this.from, this.to, (d, at) => {
      for (let k = 0; k < FIELDS; k++) out.push(k === F.WIDTH ? this.width : d[at + k]);
    });
    return Float64Array.from(out);
  }

  /** Bytes held. */
  get bytes(): number {
    return this.data.byteLength;
  }
}

/** A window from pieces (as `packed` made them): width and range from the pieces themselves. */
export function windowFromPieces(pieces: Float64Array, from: number, to: number): SeriesWindow {
  let width = 1;
  for (let at = 0; at < pieces.length; at += FIELDS) width = Math.max(width, pieces[at + F.WIDTH]);
  const capacity = Math.max(1, Math.ceil((to - from) / width) + 2);
  const w = new SeriesWindow(from, width, capacity);
  for (let at = 0; at < pieces.length; at += FIELDS) w.ingest(pieces, at);
  return w;
}
