import { countCorrectBinary } from './accuracy';
import type { Loss } from './loss';
import { classIndex } from './targets';
import { allocateFloat32 } from '../core/memory';

/**
 * F.binary_cross_entropy_with_logits(x, y, pos_weight=p, reduction='mean') for 2-class data: the
 * model outputs ONE logit x per row (the score of class 1, so sigmoid(x) = P(class 1)) and the
 * target y is the row's class index, 0 or 1, as a float. Per row, with l_w = 1 + (p − 1)·y:
 *
 *   loss = (1 − y)·x + l_w·softplus(−x)            (= −[p·y·log σ(x) + (1 − y)·log(1 − σ(x))])
 *   ∂loss/∂x = l_w·σ(x) − p·y
 *
 * which is torch's own formulation (aten/src/ATen/native/Loss.cpp), stable for any |x|:
 * softplus(−x) = max(−x, 0) + log1p(e^(−|x|)). The batch loss is the mean over rows.
 */
export class BceWithLogitsLoss implements Loss {
  readonly kind = 'bce_with_logits' as const;
  readonly modelOutputs = 1;
  private readonly grad: Float32Array;
  private pred: Float32Array = new Float32Array(0);
  private target: Float32Array = new Float32Array(0);
  private rows = 0;

  constructor(
    readonly maxRows: number,
    readonly posWeight = 1.0,
  ) {
    if (!(posWeight >= 0 && Number.isFinite(posWeight))) {
      throw new RangeError(`bce_with_logits: pos_weight ${posWeight} must be a finite number ≥ 0`);
    }
    this.grad = allocateFloat32(maxRows);
  }

  forward(pred: Float32Array, target: Float32Array, rows: number): number {
    if (rows > this.maxRows) throw new RangeError(`bce_with_logits: ${rows} rows exceed ${this.maxRows}`);
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const x = pred[r];
      const y = classIndex(target[r], 2);
      const logWeight = 1 + (this.posWeight - 1) * y;
      total += (1 - y) * x + logWeight * softplusOfNegative(x);
    }
    this.pred = pred;
    this.target = target;
    this.rows = rows;
    return rows > 0 ? total / rows : NaN;
  }

  backward(rows: number): Float32Array {
    if (rows !== this.rows) throw new Error(`bce_with_logits backward for ${rows} rows after forward for ${this.rows}`);
    const g = this.grad;
    const scale = 1 / rows;
    for (let r = 0; r < rows; r++) {
      const x = this.pred[r];
      const y = classIndex(this.target[r], 2);
      const logWeight = 1 + (this.posWeight - 1) * y;
      g[r] = scale * (logWeight * sigmoid(x) - this.posWeight * y);
    }
    return g;
  }

  lastNormalizer(): number {
    return this.rows;
  }

  countCorrect(scores: Float32Array, target: Float32Array, rows: number): number {
    return countCorrectBinary(scores, target, rows);
  }

  /**
   * ln 2 (= ln C for C = 2 classes): logits near 0 give σ = ½ on every row. With pos_weight ≠ 1 the
   * start depends on the class balance (ln 2 · mean(l_w)), so there is no data-free value.
   */
  expectedInitialLoss(_outputs: number): number | undefined {
    return this.posWeight === 1 ? Math.LN2 : undefined;
  }
}

/** softplus(−x) = log(1 + e^(−x)), without overflow for large |x|. */
function softplusOfNegative(x: number): number {
  return Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
