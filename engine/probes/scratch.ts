/**
 * The probe's work memory, allocated once for a model's sizes and reused by every probe: the
 * copies of the parameters taken before a step (to measure the step's actual update), a value
 * buffer for percentiles (quickselect reorders a copy, never the layer's own output) and a column
 * mask for dead units. Buffers grow only if a call needs more than the layout announced; `growths`
 * counts that, so a test can assert the hot path never reallocates.
 */
import { SAMPLE_FROM, samplePositions } from './stats';

export interface ProbeLayout {
  /** The most rows a probed batch can have. */
  maxRows: number;
  /** Each layer's output width. */
  layerFeatures: readonly number[];
  /** Each parameter's element count. */
  paramSizes: readonly number[];
}

export class ProbeScratch {
  /** Percentile work: at least the largest layer output or parameter the probe selects over. */
  values: Float32Array;
  /** Dead-unit mask: at least the widest layer. */
  columns: Uint8Array;
  /** Per parameter: its values before the step. */
  readonly snapshots: Float32Array[];
  /** Sample positions per tensor size (a model has a handful of sizes). */
  private readonly samples = new Map<number, Int32Array>();
  growths = 0;

  constructor(layout: ProbeLayout) {
    const widest = Math.max(0, ...layout.layerFeatures);
    const largestParam = Math.max(0, ...layout.paramSizes);
    this.values = new Float32Array(Math.max(layout.maxRows * widest, largestParam));
    this.columns = new Uint8Array(widest);
    this.snapshots = layout.paramSizes.map((size) => new Float32Array(size));
  }

  /**
   * Where percentiles of n values sample them (stats.ts): undefined below SAMPLE_FROM (all are
   * used), else the same positions for the same n, made once per size.
   */
  samplePositions(n: number): Int32Array | undefined {
    if (n < SAMPLE_FROM) return undefined;
    let positions = this.samples.get(n);
    if (positions === undefined) {
      positions = samplePositions(n);
      this.samples.set(n, positions);
    }
    return positions;
  }

  /** A value buffer of at least n entries. */
  valuesFor(n: number): Float32Array {
    if (this.values.length < n) {
      this.values = new Float32Array(n);
      this.growths++;
    }
    return this.values;
  }

  /** A column mask of at least `features` entries. */
  columnsFor(features: number): Uint8Array {
    if (this.columns.length < features) {
      this.columns = new Uint8Array(features);
      this.growths++;
    }
    return this.columns;
  }

  /** The snapshot buffer of parameter i, of at least `size` entries. */
  snapshotFor(i: number, size: number): Float32Array {
    const existing = this.snapshots[i];
    if (existing !== undefined && existing.length >= size) return existing;
    this.snapshots[i] = new Float32Array(size);
    this.growths++;
    return this.snapshots[i];
  }

  /** Bytes held (for the benchmark's report). */
  get bytes(): number {
    return this.values.byteLength + this.columns.byteLength + this.snapshots.reduce((sum, s) => sum + s.byteLength, 0);
  }
}
