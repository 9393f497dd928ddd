/**
 * How series summaries travel: as pieces. A piece is one bucket's statistics (summary.ts's
 * fields) over a part of the stream no other piece covers, made at some width and lying inside
 * one aligned bucket of that width. A receiver merges each piece into its own bucket, coarsening
 * first if the piece is wider than its buckets; since pieces never overlap, nothing is counted
 * twice, and since power-of-two buckets nest, a piece never straddles two buckets.
 *
 * The sender (PieceEmitter) turns points into pieces no finer than its summary's bucket width, so
 * the number of pieces per series per flush is at most the summary's capacity however fast the
 * points come: at a million steps and 2048 buckets a flush carries a few pieces per series.
 */
import { addPoint, clearBucket, F, FIELDS, isEmpty, widthFor } from './summary';

export class PieceEmitter {
  /** The open piece. */
  private readonly open = new Float64Array(FIELDS);
  private openIndex = -1;
  private width = 1;
  private maxX = -1;
  /** Closed pieces not taken yet. */
  private out: number[] = [];

  constructor(readonly capacity: number) {}

  add(x: number, y: number): void {
    if (x > this.maxX) {
      this.maxX = x;
      const width = widthFor(x, this.capacity, this.width);
      if (width !== this.width) {
        // The open piece was made at the old width and stays inside one of its buckets.
        this.close();
        this.width = width;
      }
    }
    const index = Math.floor(x / this.width);
    if (index !== this.openIndex) {
      this.close();
      this.openIndex = index;
    }
    addPoint(this.open, 0, x, y);
  }

  /** Whether there is anything to take. */
  get pending(): boolean {
    return this.out.length > 0 || !isEmpty(this.open, 0);
  }

  /**
   * Every piece since the last call, the open one included (it is closed here and the next point
   * starts a new piece, in the same bucket or not).
   */
  take(): Float64Array {
    this.close();
    const pieces = Float64Array.from(this.out);
    this.out = [];
    return pieces;
  }

  private close(): void {
    if (isEmpty(this.open, 0)) return;
    this.open[F.WIDTH] = this.width;
    for (let k = 0; k < FIELDS; k++) this.out.push(this.open[k]);
    clearBucket(this.open, 0);
  }
}
