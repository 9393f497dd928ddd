import type { Task } from '../experiment/spec';
import { classIndex } from './crossEntropy';
import type { Loss } from './loss';

/**
 * torch.nn.MSELoss(reduction='mean'): mean over all rows × outputs elements of (pred − target)².
 * With a regression dataset targets are `outputs` values per row. With a classification dataset
 * the class index is read as a one-hot row (as many course notes train classifiers with squared
 * error), i.e. torch's MSELoss(pred, one_hot(y, C).float()).
 */
export class MseLoss implements Loss {
  readonly kind = 'mse' as const;
  private readonly grad: Float32Array;
  private pred: Float32Array = new Float32Array(0);
  private target: Float32Array = new Float32Array(0);
  private rows = 0;

  constructor(
    readonly outputs: number,
    readonly maxRows: number,
    readonly task: Task,
  ) {
    this.grad = new Float32Array(maxRows * outputs);
  }

  forward(pred: Float32Array, target: Float32Array, rows: number): number {
    if (rows > this.maxRows) throw new RangeError(`mse: ${rows} rows exceed ${this.maxRows}`);
    const n = this.outputs;
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const row = r * n;
      const hot = this.task === 'classification' ? classIndex(target[r], n) : -1;
      for (let j = 0; j < n; j++) {
        const want = hot < 0 ? target[row + j] : j === hot ? 1 : 0;
        const d = pred[row + j] - want;
        total += d * d;
      }
    }
    this.pred = pred;
    this.target = target;
    this.rows = rows;
    return rows > 0 ? total / (rows * n) : NaN;
  }

  backward(rows: number): Float32Array {
    if (rows !== this.rows) throw new Error(`mse backward for ${rows} rows after forward for ${this.rows}`);
    const n = this.outputs;
    const g = this.grad;
    const pred = this.pred;
    const target = this.target;
    const scale = 2 / (rows * n);
    for (let r = 0; r < rows; r++) {
      const row = r * n;
      const hot = this.task === 'classification' ? classIndex(target[r], n) : -1;
      for (let j = 0; j < n; j++) {
        const want = hot < 0 ? target[row + j] : j === hot ? 1 : 0;
        g[row + j] = scale * (pred[row + j] - want);
      }
    }
    return g;
  }

  expectedInitialLoss(_outputs: number): undefined {
    return undefined;
  }
}
