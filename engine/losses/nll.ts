import { countCorrect } from './accuracy';
import { BatchLoss } from './batchLoss';
import type { LossOptions } from './loss';
import { classIndex, classWeights, NO_IGNORED_CLASS } from './targets';

export interface NllOptions extends LossOptions {
  /** Per-class weights w (torch's `weight=`); absent = all 1. */
  weight?: readonly number[];
  /** torch's `ignore_index=`: rows whose target is this class count for nothing. Default −100 (no class). */
  ignoreIndex?: number;
}

/**
 * F.nll_loss(input, target, weight=w, reduction): the input is read as log-probabilities
 * (the model ends with a log_softmax layer), and the loss is
 *
 *   loss = Σ_r −w[t_r]·x[r, t_r] / Σ_r w[t_r],   ∂loss/∂x[r, k] = −w[t_r]·δ_{k,t_r} / Σ_r w[t_r]
 *
 * over the rows whose target is not `ignore_index` (ignored rows count for nothing, as in torch)
 * (with reduction 'sum', the numerator alone), so log_softmax + nll_loss is cross_entropy. Nothing checks that the inputs are log-probabilities
 * (torch does not either): on raw scores the loss is unbounded below, which is why the experiment
 * validator warns when the model does not end with log_softmax.
 */
export class NllLoss extends BatchLoss {
  readonly kind = 'nll_loss' as const;
  private readonly weight: Float64Array | undefined;
  readonly ignoreIndex: number;
  private target: Float32Array = new Float32Array(0);

  constructor(
    readonly classes: number,
    maxRows: number,
    options: NllOptions = {},
  ) {
    super(classes, maxRows, options);
    this.weight = classWeights(options.weight, classes, 'nll_loss');
    this.ignoreIndex = options.ignoreIndex ?? NO_IGNORED_CLASS;
  }

  protected accumulate(pred: Float32Array, target: Float32Array, rows: number): void {
    const c = this.classes;
    let total = 0;
    let normalizer = 0;
    for (let r = 0; r < rows; r++) {
      if (target[r] === this.ignoreIndex) continue;
      const t = classIndex(target[r], c);
      const wt = this.weight ? this.weight[t] : 1;
      total -= wt * pred[r * c + t];
      normalizer += wt;
    }
    this.target = target;
    this.total = total;
    this.normalizer = normalizer;
  }

  protected writeGradient(rows: number, scale: number): void {
    const c = this.classes;
    const g = this.grad;
    g.fill(0, 0, rows * c);
    for (let r = 0; r < rows; r++) {
      if (this.target[r] === this.ignoreIndex) continue;
      const t = classIndex(this.target[r], c);
      const wt = this.weight ? this.weight[t] : 1;
      g[r * c + t] = -wt * scale;
    }
  }

  countCorrect(scores: Float32Array, target: Float32Array, rows: number): number {
    return countCorrect(scores, target, rows, this.classes);
  }

  /** ln C, as for cross_entropy: a fresh model after log_softmax predicts nearly uniform classes. */
  expectedInitialLoss(outputs: number): number {
    return Math.log(outputs);
  }
}
