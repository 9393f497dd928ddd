import type { Loss } from './loss';

/**
 * torch.nn.CrossEntropyLoss on logits with class-index targets: mean over rows of
 * −log softmax(logits)[target]. Log-sum-exp is taken after subtracting the row maximum, so large
 * logits cannot overflow. Forward leaves the softmax probabilities in the gradient buffer;
 * backward turns them into (p − onehot(target)) / rows.
 */
export class CrossEntropyLoss implements Loss {
  readonly kind = 'cross_entropy' as const;
  private readonly grad: Float32Array;
  private target: Float32Array = new Float32Array(0);
  private rows = 0;

  constructor(
    readonly classes: number,
    readonly maxRows: number,
  ) {
    this.grad = new Float32Array(maxRows * classes);
  }

  forward(pred: Float32Array, target: Float32Array, rows: number): number {
    if (rows > this.maxRows) throw new RangeError(`cross-entropy: ${rows} rows exceed ${this.maxRows}`);
    const c = this.classes;
    const p = this.grad;
    let total = 0;
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
      // −log softmax[t] = logsumexp − logit[t]; NaN logits propagate (max stays -Inf → NaN).
      total += max + Math.log(sum) - pred[row + t];
    }
    this.target = target;
    this.rows = rows;
    return rows > 0 ? total / rows : NaN;
  }

  backward(rows: number): Float32Array {
    if (rows !== this.rows) throw new Error(`cross-entropy backward for ${rows} rows after forward for ${this.rows}`);
    const c = this.classes;
    const g = this.grad;
    const scale = 1 / rows;
    for (let r = 0; r < rows; r++) {
      const row = r * c;
      g[row + classIndex(this.target[r], c)] -= 1;
      for (let j = 0; j < c; j++) g[row + j] *= scale;
    }
    return g;
  }

  expectedInitialLoss(outputs: number): number {
    return Math.log(outputs);
  }
}

export function classIndex(value: number, classes: number): number {
  const t = value | 0;
  if (t !== value || t < 0 || t >= classes) {
    throw new RangeError(`target ${value} is not a class index in 0..${classes - 1}`);
  }
  return t;
}
