import { countCorrect } from './accuracy';
import { BatchLoss } from './batchLoss';
import type { LossOptions } from './loss';
import { classIndex, classWeights } from './targets';

export { classIndex } from './targets';

export interface CrossEntropyOptions extends LossOptions {
  /** Per-class weights w (torch's `weight=`); absent = all 1. */
  weight?: readonly number[];
  /** ε of torch's `label_smoothing=` (≥ 1.10), in [0, 1]; absent = 0. */
  labelSmoothing?: number;
}

/**
 * F.cross_entropy(logits, target, weight=w, label_smoothing=ε, reduction) with class-index
 * targets. With log-probabilities ℓ = log_softmax(z), C classes and S = Σ_rows w[target]:
 *
 *   loss = (1 − ε) · Σ_r w[t_r]·(−ℓ[r, t_r]) / S  +  (ε / C) · Σ_r Σ_j w[j]·(−ℓ[r, j]) / S
 *
 * which is torch's cross_entropy_loss_label_smoothing: the smoothing term is also divided by the sum
 * of the TARGETS' weights (torch 1.13, aten/src/ATen/native/LossNLL.cpp), not by Σ of the weights
 * it uses. Without weights S = rows and the loss is the mean over rows of −Σ_j q_j ℓ_j with
 * q = (1 − ε)·onehot + ε/C. Its gradient wrt z[r, k] (∂(−ℓ_j)/∂z_k = p_k − δ_jk, W = Σ_j w[j]):
 *
 *   g[r, k] = ((1 − ε)·w[t_r]·(p_k − δ_{k,t_r}) + (ε / C)·(W·p_k − w[k])) / S
 *
 * Log-sum-exp is taken after subtracting the row maximum, so large logits cannot overflow; forward
 * leaves the softmax probabilities in the gradient buffer and backward turns them into g. If every
 * target of a batch has weight 0, S = 0 and the loss is NaN, as in torch. With reduction 'sum' the
 * objective is the numerator alone, and g is not divided by S.
 */
export class CrossEntropyLoss extends BatchLoss {
  readonly kind = 'cross_entropy' as const;
  readonly labelSmoothing: number;
  private readonly weight: Float64Array | undefined;
  private readonly weightTotal: number;
  private target: Float32Array = new Float32Array(0);

  constructor(
    readonly classes: number,
    maxRows: number,
    options: CrossEntropyOptions = {},
  ) {
    super(classes, maxRows, options);
    this.weight = classWeights(options.weight, classes, 'cross_entropy');
    this.weightTotal = this.weight ? this.weight.reduce((s, v) => s + v, 0) : classes;
    this.labelSmoothing = options.labelSmoothing ?? 0;
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing <= 1)) {
      throw new RangeError(`cross_entropy: label_smoothing ${this.labelSmoothing} must be in [0, 1]`);
    }
  }

  protected accumulate(pred: Float32Array, target: Float32Array, rows: number): void {
    const c = this.classes;
    const p = this.grad;
    const w = this.weight;
    const eps = this.labelSmoothing;
    let targetTerm = 0;
    let smoothTerm = 0;
    let normalizer = 0;
    for (let r = 0; r < rows; r++) {
      const row = r * c;
      let max = -Infinity;
      for (let j = 0; j < c; j++) if (pred[row + j] > max) max = pred[row + j];
      let sum = 0;
      for (let j = 0; j < c; j++) {
        const e = Math.exp(pred[row + j] - max);
        p[row + j] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let j = 0; j < c; j++) p[row + j] *= inv;
      const t = classIndex(target[r], c);
      const wt = w ? w[t] : 1;
      // −ℓ[t] = logsumexp − z[t]; NaN logits propagate (max stays -Inf → NaN).
      const logSumExp = max + Math.log(sum);
      targetTerm += wt * (logSumExp - pred[row + t]);
      normalizer += wt;
      if (eps > 0) {
        // Σ_j w_j·(lse − z_j) = W·lse − Σ_j w_j z_j
        let weighted = 0;
        for (let j = 0; j < c; j++) weighted += (w ? w[j] : 1) * pred[row + j];
        smoothTerm += this.weightTotal * logSumExp - weighted;
      }
    }
    this.target = target;
    this.normalizer = normalizer;
    this.total = eps > 0 ? (1 - eps) * targetTerm + (eps / c) * smoothTerm : targetTerm;
  }

  protected writeGradient(rows: number, scale: number): void {
    const c = this.classes;
    const g = this.grad;
    const w = this.weight;
    const eps = this.labelSmoothing;
    const smooth = eps / c;
    for (let r = 0; r < rows; r++) {
      const row = r * c;
      const t = classIndex(this.target[r], c);
      const wt = w ? w[t] : 1;
      const targetScale = (1 - eps) * wt;
      for (let j = 0; j < c; j++) {
        const pj = g[row + j];
        let v = targetScale * (j === t ? pj - 1 : pj);
        if (eps > 0) v += smooth * (this.weightTotal * pj - (w ? w[j] : 1));
        g[row + j] = v * scale;
      }
    }
  }

  countCorrect(scores: Float32Array, target: Float32Array, rows: number): number {
    return countCorrect(scores, target, rows, this.classes);
  }

  /**
   * ln C: uniform probabilities give −ℓ_j = ln C for every class, so the loss is ln C with or
   * without class weights, and with or without label smoothing. Both together are the exception:
   * torch divides the smoothing term Σ_j w_j·ln C = W·ln C by the targets' weights, so the start is
   * ln C·((1 − ε) + ε·W/C / mean(w[target])) — it depends on the class balance, hence undefined.
   */
  expectedInitialLoss(outputs: number): number | undefined {
    return this.weight && this.labelSmoothing > 0 ? undefined : Math.log(outputs);
  }
}
