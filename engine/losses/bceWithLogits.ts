import { softplus } from '../core/softplus';
import { countCorrectBinary } from './accuracy';
import { BatchLoss } from './batchLoss';
import type { LossOptions } from './loss';
import { binaryTarget } from './targets';

/**
 * F.binary_cross_entropy_with_logits(x, y, pos_weight=p, reduction) for 2-class data: the
 * model outputs ONE logit x per row (the score of class 1, so sigmoid(x) = P(class 1)) and the
 * target y is the row's class index, 0 or 1, as a float — or, with probability targets, the row's
 * probability of class 1 (torch takes any y in [0, 1] with the same formula). Per row, with l_w = 1 + (p − 1)·y:
 *
 *   loss = (1 − y)·x + l_w·softplus(−x)            (= −[p·y·log σ(x) + (1 − y)·log(1 − σ(x))])
 *   ∂loss/∂x = l_w·σ(x) − p·y
 *
 * which is torch's own formulation (aten/src/ATen/native/Loss.cpp), stable for any |x|:
 * softplus(−x) = max(−x, 0) + log1p(e^(−|x|)). The batch loss is the mean over rows (with
 * reduction 'sum', the sum is minimized: see BatchLoss).
 */
export class BceWithLogitsLoss extends BatchLoss {
  readonly kind = 'bce_with_logits' as const;
  private pred: Float32Array = new Float32Array(0);
  private target: Float32Array = new Float32Array(0);

  constructor(
    maxRows: number,
    readonly posWeight = 1.0,
    options: LossOptions = {},
    /** Targets are rows [1 − p, p] of probabilities, not class indices. */
    readonly probabilities = false,
  ) {
    super(1, maxRows, options);
    if (!(posWeight >= 0 && Number.isFinite(posWeight))) {
      throw new RangeError(`bce_with_logits: pos_weight ${posWeight} must be a finite number ≥ 0`);
    }
  }

  protected accumulate(pred: Float32Array, target: Float32Array, rows: number): void {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const x = pred[r];
      const y = binaryTarget(target, r, this.probabilities);
      const logWeight = 1 + (this.posWeight - 1) * y;
      total += (1 - y) * x + logWeight * softplus(-x);
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
      const logWeight = 1 + (this.posWeight - 1) * y;
      g[r] = scale * (logWeight * sigmoid(x) - this.posWeight * y);
    }
  }

  countCorrect(scores: Float32Array, target: Float32Array, rows: number): number {
    return countCorrectBinary(scores, target, rows, 0, this.probabilities);
  }

  /**
   * ln 2 (= ln C for C = 2 classes): logits near 0 give σ = ½ on every row. With pos_weight ≠ 1 the
   * start depends on the class balance (ln 2 · mean(l_w)), so there is no data-free value.
   */
  expectedInitialLoss(_outputs: number): number | undefined {
    return this.posWeight === 1 ? Math.LN2 : undefined;
  }
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
