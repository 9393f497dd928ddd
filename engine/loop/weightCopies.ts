/**
 * Copies of a model's tensors, allocated once: the best epoch's weights for early stopping, and
 * the swap that lets evaluation run on averaged weights (EMA, ASGD) and put the raw ones back.
 */

/** A tensor's storage: float32 values, or float64 for int64 counters (see NamedBuffer). */
export type TensorData = Float32Array | Float64Array;

function sameShapeCopy(t: TensorData): TensorData {
  return t instanceof Float32Array ? new Float32Array(t.length) : new Float64Array(t.length);
}

/** A saved copy of some tensors' values (e.g. the best epoch's parameters and buffers). */
export class TensorSnapshot {
  readonly copies: readonly TensorData[];
  private captured = false;

  constructor(private readonly targets: readonly TensorData[]) {
    this.copies = targets.map(sameShapeCopy);
  }

  get hasValues(): boolean {
    return this.captured;
  }

  /** Stores the targets' current values. */
  capture(): void {
    this.targets.forEach((t, i) => this.copies[i].set(t));
    this.captured = true;
  }

  /** Writes the stored values back into the targets. */
  restore(): void {
    if (!this.captured) throw new Error('nothing was captured');
    this.targets.forEach((t, i) => t.set(this.copies[i]));
  }

  /** Stores the given values as if captured (a checkpoint's copy). */
  load(values: readonly ArrayLike<number>[]): void {
    values.forEach((v, i) => this.copies[i].set(v));
    this.captured = true;
  }
}

/** Runs code with some tensors temporarily replaced by other values, then puts the originals back. */
export class WeightSwap {
  private readonly backups: readonly TensorData[];

  constructor(private readonly targets: readonly TensorData[]) {
    this.backups = targets.map(sameShapeCopy);
  }

  /**
   * Calls `fn` with targets[i] holding replacements[i] (an undefined replacement leaves that tensor
   * as it is), and restores every target afterwards, even if `fn` throws.
   */
  run<T>(replacements: readonly (TensorData | undefined)[], fn: () => T): T {
    const swapped: number[] = [];
    for (let i = 0; i < this.targets.length; i++) {
      const replacement = replacements[i];
      if (!replacement) continue;
      this.backups[i].set(this.targets[i]);
      this.targets[i].set(replacement);
      swapped.push(i);
    }
    try {
      return fn();
    } finally {
      for (const i of swapped) this.targets[i].set(this.backups[i]);
    }
  }
}
