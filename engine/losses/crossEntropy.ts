import { countCorrect } from './accuracy';
import { BatchLoss } from './batchLoss';
import type { LossOptions } from './loss';
import { classIndex, classWeights, NO_IGNORED_CLASS } from './targets';

export { classIndex } from './targets';

export interface CrossEntropyOptions extends LossOptions {
  /** Per-class weights w (torch's `weight=`); absent = all 1. */
  weight?: readonly number[];
  /** ε of torch's `label_smoothing=` (≥ 1.10), in [0, 1]; absent = 0. */
  labelSmoothing?: number;
  /** torch's `ignore_index=`: rows whose target is this class count for nothing. Default −100 (no class). */
  ignoreIndex?: number;
  /** Targets are rows of C class probabilities (torch's probability targets), not class indices. */
  probabilities?: boolean;
}

/**
 * F.cross_entropy(logits, target, weight=w, label_smoothing=ε, ignore_index=i, reduction), with
 * log-probabilities ℓ = log_softmax(z) and C classes.
 *
 * Class-index targets t (torch 1.13's cross_entropy_loss_label_smoothing, LossNLL.cpp), over the
 * rows whose target is not i, with S = Σ_rows w[t]:
 *
 *   loss = (1 − ε) · Σ_r w[t_r]·(−ℓ[r, t_r]) / S  +  (ε / C) · Σ_r Σ_j w[j]·(−ℓ[r, j]) / S
 *
 * — the smoothing term is also divided by the sum of the TARGETS' weights, not by Σ of the weights
 * it uses. Without weights S counts the rows, and the loss is the mean of −Σ_j q_j ℓ_j with
 * q = (1 − ε)·onehot + ε/C. Its gradient (∂(−ℓ_j)/∂z_k = p_k − δ_jk, W = Σ_j w[j]):
 *
 *   g[r, k] = ((1 − ε)·w[t_r]·(p_k − δ_{k,t_r}) + (ε / C)·(W·p_k − w[k])) / S,  0 on an ignored row.
 *
 * Probability targets q (cross_entropy_loss_prob_target): q′ = (1 − ε)·q + ε/C, every row counts,
 * and the mean divides by the number of rows whatever the weights:
 *
 *   loss = Σ_r Σ_j w[j]·q′[r, j]·(−ℓ[r, j]) / rows,   g[r, k] = (p_k·Σ_j w[j]·q′[r, j] − w[k]·q′[r, k]) / rows
 *
 * Log-sum-exp is taken after subtracting the row maximum, so large logits cannot overflow; forward
 * leaves the softmax probabilities in the gradient buffer and backward turns them into g. If every
 * counted target of a batch has weight 0 (or every row is ignored), S = 0 and the loss is NaN, as
 * in torch. With reduction 'sum' the objective is the numerator alone, and g is not divided by S.
 */
export class CrossEntropyLoss extends BatchLoss {
  readonly kind = 'cross_entropy' as const;
  readonly labelSmoothing: number;
  readonly ignoreIndex: number;
  readonly probabilities: boolean;
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
    this.ignoreIndex = options.ignoreIndex ?? NO_IGNORED_CLASS;
    this.probabilities = options.probabilities ?? false;
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing <= 1)) {
      throw new RangeError(`cross_entropy: label_smoothing ${this.labelSmoothing} must be in [0, 1]`);
    }
    if (this.probabilities && this.ignoreIndex !== NO_IGNORED_CLASS) {
      // torch: "ignore_index is not supported for floating point target"
      throw new RangeError(`cross_entropy: ignore_index ${this.ignoreIndex} needs class-index targets; probability targets have none to ignore`);
    }
  }

  protected accumulate(pred: Float32Array, target: Float32Array, rows: number): void {
    const c = this.classes;
    let total = 0;
    let normalizer = 0;
    for (let r = 0; r < rows; r++) {
      // −ℓ[j] = logsumexp − z[j]; NaN logits propagate (max stays -Inf → NaN).
      const logSumExp = this.softmaxRow(pred, r * c);
      if (this.probabilities) {
        total += this.softRowLoss(pred, target, r, logSumExp);
        normalizer += 1;
        continue;
      }
      if (target[r] === this.ignoreIndex) continue;
      const t = classIndex(target[r], c);
      const wt = this.weight ? this.weight[t] : 1;
      total += (1 - this.labelSmoothing) * wt * (logSumExp - pred[r * c + t]) + this.smoothingLoss(pred, r * c, logSumExp);
      normalizer += wt;
    }
    this.target = target;
    this.normalizer = normalizer;
    this.total = total;
  }

  /** Writes the softmax of row `row` (an offset) into the gradient buffer; returns its log-sum-exp. */
  private softmaxRow(pred: Float32Array, row: number): number {
    const c = this.classes;
    const p = this.grad;
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
    return max + Math.log(sum);
  }

  /** (ε / C)·Σ_j w_j·(lse − z_j) = (ε / C)·(W·lse − Σ_j w_j z_j); 0 without smoothing. */
  private smoothingLoss(pred: Float32Array, row: number, logSumExp: number): number {
    const eps = this.labelSmoothing;
    if (eps === 0) return 0;
    let weighted = 0;
    for (let j = 0; j < this.classes; j++) weighted += (this.weight ? this.weight[j] : 1) * pred[row + j];
    return (eps / this.classes) * (this.weightTotal * logSumExp - weighted);
  }

  /** q′_j = (1 − ε)·q_j + ε/C: the smoothed probability target of class j in row r. */
  private softTarget(target: Float32Array, r: number, j: number): number {
    return (1 - this.labelSmoothing) * target[r * this.classes + j] + this.labelSmoothing / this.classes;
  }

  /** Σ_j w_j·q′_j·(lse − z_j) for row r of probability targets. */
  private softRowLoss(pred: Float32Array, target: Float32Array, r: number, logSumExp: number): number {
    const c = this.classes;
    let loss = 0;
    for (let j = 0; j < c; j++) loss += (this.weight ? this.weight[j] : 1) * this.softTarget(target, r, j) * (logSumExp - pred[r * c + j]);
    return loss;
  }

  protected writeGradient(rows: number, scale: number): void {
    const c = this.classes;
    const g = this.grad;
    const w = this.weight;
    const eps = this.labelSmoothing;
    for (let r = 0; r < rows; r++) {
      const row = r * c;
      if (this.probabilities) {
        // p_k·Σ_j w_j q′_j − w_k q′_k
        let mass = 0;
        for (let j = 0; j < c; j++) mass += (w ? w[j] : 1) * this.softTarget(this.target, r, j);
        for (let j = 0; j < c; j++) g[row + j] = scale * (g[row + j] * mass - (w ? w[j] : 1) * this.softTarget(this.target, r, j));
        continue;
      }
      if (this.target[r] === this.ignoreIndex) {
        g.fill(0, row, row + c);
        continue;
      }
      const t = classIndex(this.target[r], c);
      const targetScale = (1 - eps) * (w ? w[t] : 1);
      for (let j = 0; j < c; j++) {
        const pj = g[row + j];
        let v = targetScale * (j === t ? pj - 1 : pj);
        if (eps > 0) v += (eps / c) * (this.weightTotal * pj - (w ? w[j] : 1));
        g[row + j] = v * scale;
      }
    }
  }

  countCorrect(scores: Float32Array, target: Float32Array, rows: number): number {
    return countCorrect(scores, target, rows, this.classes, this.probabilities);
  }

  /**
   * ln C: uniform probabilities give −ℓ_j = ln C for every class, so the loss is ln C with or
   * without class weights, with or without label smoothing, for class-index and probability
   * targets alike. Class weights and label smoothing together on class-index targets are the
   * exception: torch divides the smoothing term Σ_j w_j·ln C = W·ln C by the targets' weights, so
   * the start is ln C·((1 − ε) + ε·W/C / mean(w[target])) — it depends on the class balance, hence
   * undefined. (Weighted probability targets start at ln C·mean_r Σ_j w_j q′_j: undefined too.)
   */
  expectedInitialLoss(outputs: number): number | undefined {
    if (this.weight && (this.labelSmoothing > 0 || this.probabilities)) return undefined;
    return Math.log(outputs);
  }
}
