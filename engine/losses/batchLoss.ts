import { allocateFloat32 } from '../core/memory';
import type { Loss, LossOptions, Reduction } from './loss';

/**
 * What the losses share: the batch's bookkeeping and torch's reduction, in one place. A loss adds
 * its per-example terms (weighted, where it weighs them) into `total` and sets `normalizer`, what
 * torch's mean divides by (rows, elements, or the targets' class weights); given the scale of the
 * objective it writes ∂objective/∂pred. The mean is the value every loss reports (so runs and
 * variants compare on one scale); the objective — what the optimizer minimizes and backward
 * differentiates — is the mean, or with reduction 'sum' the total.
 */
export abstract class BatchLoss implements Loss {
  abstract readonly kind: string;
  readonly reduction: Reduction;
  /** ∂objective/∂pred of the last forward's rows (a loss may keep forward's intermediates here). */
  protected readonly grad: Float32Array;
  protected rows = 0;
  /** Σ of the last forward's terms. */
  protected total = NaN;
  /** What the last forward's mean divides by. */
  protected normalizer = NaN;

  constructor(
    readonly modelOutputs: number,
    readonly maxRows: number,
    options: LossOptions,
  ) {
    this.reduction = options.reduction ?? 'mean';
    this.grad = allocateFloat32(maxRows * modelOutputs);
  }

  /** Adds up the terms of `rows` rows into `total` and sets `normalizer`. */
  protected abstract accumulate(pred: Float32Array, target: Float32Array, rows: number): void;
  /** Writes ∂objective/∂pred of the last forward's rows into `grad`; `scale` is 1/normalizer or 1. */
  protected abstract writeGradient(rows: number, scale: number): void;

  forward(pred: Float32Array, target: Float32Array, rows: number): number {
    if (rows > this.maxRows) throw new RangeError(`${this.kind}: ${rows} rows exceed ${this.maxRows}`);
    this.total = 0;
    this.normalizer = 0;
    this.accumulate(pred, target, rows);
    this.rows = rows;
    return rows > 0 ? this.total / this.normalizer : NaN;
  }

  lastObjective(): number {
    if (this.rows === 0) return NaN;
    return this.reduction === 'sum' ? this.total : this.total / this.normalizer;
  }

  backward(rows: number): Float32Array {
    if (rows !== this.rows) throw new Error(`${this.kind} backward for ${rows} rows after forward for ${this.rows}`);
    this.writeGradient(rows, this.reduction === 'sum' ? 1 : 1 / this.normalizer);
    return this.grad;
  }

  lastNormalizer(): number {
    return this.normalizer;
  }

  abstract countCorrect(scores: Float32Array, target: Float32Array, rows: number): number;
  abstract expectedInitialLoss(outputs: number): number | undefined;
}
