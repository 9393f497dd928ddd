import { countCorrectBinary } from './accuracy';
import { BatchLoss } from './batchLoss';
import type { LossOptions } from './loss';
import { binaryTarget } from './targets';

/** torch clamps each log at −100, so a probability of exactly 0 or 1 costs 100, not ∞. */
const LOG_FLOOR = -100;
/** torch's floor for x·(1 − x) in the gradient's denominator (aten's `static const float EPSILON = 1e-12`). */
const EPSILON = Math.fround(1e-12);

/**
 * F.binary_cross_entropy(x, y, reduction) (torch.nn.BCELoss) for 2-class data: the model outputs
 * ONE probability x per row — P(class 1), so it ends with a sigmoid — and the target y is the
 * row's class index, 0 or 1, or its probability of class 1 (probability targets). Per row, as torch's kernel (aten/src/ATen/native/Loss.cpp):
 *
 *   loss = −[y·max(log x, −100) + (1 − y)·max(log(1 − x), −100)]
 *   ∂loss/∂x = (x − y) / max(x·(1 − x), 1e-12)
 *
 * so a saturated sigmoid gives a loss of at most 100 instead of ∞, and a gradient of at most
 * 1e12. bce_with_logits computes the same loss from the logit, stably and without the clamp,
 * which is why torch recommends it. torch refuses inputs outside [0, 1], and so does this loss;
 * NaN passes through (a diverging run stops as such).
 */
export class BceLoss extends BatchLoss {
  readonly kind = 'bce' as const;
  private pred: Float32Array = new Float32Array(0);
  private target: Float32Array = new Float32Array(0);

  constructor(
    maxRows: number,
    options: LossOptions = {},
    /** Targets are rows [1 − p, p] of probabilities, not class indices. */
    readonly probabilities = false,
  ) {
    super(1, maxRows, options);
  }

  protected accumulate(pred: Float32Array, target: Float32Array, rows: number): void {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const x = pred[r];
      if (x < 0 || x > 1) {
        throw new RangeError(`bce reads probabilities, but the model output ${x} (row ${r} of the batch) is outside [0, 1]: end the model with "sigmoid", or use "bce_with_logits" on its raw output`);
      }
      const y = binaryTarget(target, r, this.probabilities);
      total -= y * Math.max(Math.log(x), LOG_FLOOR) + (1 - y) * Math.max(Math.log1p(-x), LOG_FLOOR);
    }
    this.pred = pred;
    this.target = target;
    this.total = total;
    this.normalizer = rows;
  }

  protected writeGradient(rows: number, scale: number): void {
    const g = this.grad;
    for (let r = 0; r < rows; r++) {
      const x = this.pred[r];
      const y = binaryTarget(this.target, r, this.probabilities);
      g[r] = (scale * (x - y)) / Math.max((1 - x) * x, EPSILON);
    }
  }

  /** A probability above ½ is class 1 (a logit above 0, as for bce_with_logits). */
  countCorrect(scores: Float32Array, target: Float32Array, rows: number): number {
    return countCorrectBinary(scores, target, rows, 0.5, this.probabilities);
  }

  /** ln 2: a fresh model's logit near 0 gives x = σ(0) = ½ on every row. */
  expectedInitialLoss(_outputs: number): number {
    return Math.LN2;
  }
}
