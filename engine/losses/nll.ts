import { countCorrect } from './accuracy';
import type { Loss } from './loss';
import { classIndex, classWeights } from './targets';
import { allocateFloat32 } from '../core/memory';

/**
 * F.nll_loss(input, target, weight=w, reduction='mean'): the input is read as log-probabilities
 * (the model ends with a log_softmax layer), and the loss is
 *
 *   loss = Σ_r −w[t_r]·x[r, t_r] / Σ_r w[t_r],   ∂loss/∂x[r, k] = −w[t_r]·δ_{k,t_r} / Σ_r w[t_r]
 *
 * so log_softmax + nll_loss is cross_entropy. Nothing checks that the inputs are log-probabilities
 * (torch does not either): on raw scores the loss is unbounded below, which is why the experiment
 * validator warns when the model does not end with log_softmax.
 */
export class NllLoss implements Loss {
  readonly kind = 'nll_loss' as const;
  readonly modelOutputs: number;
  private readonly weight: Float64Array | undefined;
  private readonly grad: Float32Array;
  private target: Float32Array = new Float32Array(0);
  private rows = 0;
  private normalizer = NaN;

  constructor(
    readonly classes: number,
    readonly maxRows: number,
    options: { weight?: readonly number[] } = {},
  ) {
    this.modelOutputs = classes;
    this.weight = classWeights(options.weight, classes, 'nll_loss');
    this.grad = allocateFloat32(maxRows * classes);
  }

  forward(pred: Float32Array, target: Float32Array, rows: number): number {
    if (rows > this.maxRows) throw new RangeError(`nll_loss: ${rows} rows exceed ${this.maxRows}`);
    const c = this.classes;
    let total = 0;
    let normalizer = 0;
    for (let r = 0; r < rows; r++) {
      const t = classIndex(target[r], c);
      const wt = this.weight ? this.weight[t] : 1;
      total -= wt * pred[r * c + t];
      normalizer += wt;
    }
    this.target = target;
    this.rows = rows;
    this.normalizer = normalizer;
    return rows > 0 ? total / normalizer : NaN;
  }

  backward(rows: number): Float32Array {
    if (rows !== this.rows) throw new Error(`nll_loss backward for ${rows} rows after forward for ${this.rows}`);
    const c = this.classes;
    const g = this.grad;
    g.fill(0, 0, rows * c);
    for (let r = 0; r < rows; r++) {
      const t = classIndex(this.target[r], c);
      const wt = this.weight ? this.weight[t] : 1;
      g[r * c + t] = -wt / this.normalizer;
    }
    return g;
  }

  lastNormalizer(): number {
    return this.normalizer;
  }

  countCorrect(scores: Float32Array, target: Float32Array, rows: number): number {
    return countCorrect(scores, target, rows, this.classes);
  }

  /** ln C, as for cross_entropy: a fresh model after log_softmax predicts nearly uniform classes. */
  expectedInitialLoss(outputs: number): number {
    return Math.log(outputs);
  }
}
