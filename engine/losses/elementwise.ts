import type { Task } from '../core/task';
import { countCorrect } from './accuracy';
import { BatchLoss } from './batchLoss';
import type { LossOptions } from './loss';
import { classIndex } from './targets';

/**
 * The family of torch's pointwise regression losses: the mean (with reduction 'sum', the sum) over all
 * rows × outputs elements of f(pred − target). With a regression dataset targets are `outputs`
 * values per row. With a classification dataset the class index is read as a one-hot row (as many
 * course notes train classifiers with squared error), i.e. torch's loss(pred, one_hot(y, C).float()).
 * Subclasses give f and f′; sums are in double precision.
 */
export abstract class ElementwiseLoss extends BatchLoss {
  private pred: Float32Array = new Float32Array(0);
  private target: Float32Array = new Float32Array(0);

  constructor(
    readonly outputs: number,
    maxRows: number,
    readonly task: Task,
    options: LossOptions = {},
  ) {
    super(outputs, maxRows, options);
  }

  /** f(d): the loss of one element whose prediction exceeds its target by d. */
  protected abstract value(d: number): number;
  /** f′(d). */
  protected abstract slope(d: number): number;

  protected accumulate(pred: Float32Array, target: Float32Array, rows: number): void {
    const n = this.outputs;
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const row = r * n;
      const hot = this.task === 'classification' ? classIndex(target[r], n) : -1;
      for (let j = 0; j < n; j++) {
        const want = hot < 0 ? target[row + j] : j === hot ? 1 : 0;
        total += this.value(pred[row + j] - want);
      }
    }
    this.pred = pred;
    this.target = target;
    this.total = total;
    this.normalizer = rows * n;
  }

  protected writeGradient(rows: number, scale: number): void {
    const n = this.outputs;
    const g = this.grad;
    const pred = this.pred;
    const target = this.target;
    for (let r = 0; r < rows; r++) {
      const row = r * n;
      const hot = this.task === 'classification' ? classIndex(target[r], n) : -1;
      for (let j = 0; j < n; j++) {
        const want = hot < 0 ? target[row + j] : j === hot ? 1 : 0;
        g[row + j] = scale * this.slope(pred[row + j] - want);
      }
    }
  }

  countCorrect(scores: Float32Array, target: Float32Array, rows: number): number {
    return countCorrect(scores, target, rows, this.outputs);
  }

  expectedInitialLoss(_outputs: number): undefined {
    return undefined;
  }
}

/** torch.nn.MSELoss: f(d) = d², f′(d) = 2d. */
export class MseLoss extends ElementwiseLoss {
  readonly kind = 'mse' as const;

  protected value(d: number): number {
    return d * d;
  }

  protected slope(d: number): number {
    return 2 * d;
  }
}

/**
 * torch.nn.L1Loss: f(d) = |d|, f′(d) = sign(d) with sign(0) = 0 (torch's abs backward), unlike
 * smooth_l1 with β = 0, whose backward gives −1 at 0.
 */
export class L1Loss extends ElementwiseLoss {
  readonly kind = 'l1_loss' as const;

  protected value(d: number): number {
    return Math.abs(d);
  }

  protected slope(d: number): number {
    return d > 0 ? 1 : d < 0 ? -1 : 0;
  }
}

/**
 * torch.nn.HuberLoss(delta): f(d) = ½d² when |d| < δ, else δ·(|d| − ½δ); f′(d) = d clipped to
 * [−δ, δ]. Both pieces meet with equal value and slope at |d| = δ. δ must be > 0 (torch refuses
 * non-positive delta).
 */
export class HuberLoss extends ElementwiseLoss {
  readonly kind = 'huber' as const;

  constructor(
    outputs: number,
    maxRows: number,
    task: Task,
    readonly delta = 1.0,
    options: LossOptions = {},
  ) {
    super(outputs, maxRows, task, options);
    if (!(delta > 0 && Number.isFinite(delta))) throw new RangeError(`huber: delta ${delta} must be a finite number > 0`);
  }

  protected value(d: number): number {
    const a = Math.abs(d);
    return a < this.delta ? 0.5 * d * d : this.delta * (a - 0.5 * this.delta);
  }

  protected slope(d: number): number {
    return d < -this.delta ? -this.delta : d > this.delta ? this.delta : d;
  }
}

/**
 * torch.nn.SmoothL1Loss(beta): f(d) = ½d²/β when |d| < β, else |d| − ½β; f′(d) = d/β clipped to
 * [−1, 1] — Huber divided by β. β = 0 is plain L1; β must be ≥ 0. The slope is torch 1.13's
 * smooth_l1_backward exactly: d ≤ −β → −1, d ≥ β → +1, else d/β — so with β = 0 a residual of
 * exactly 0 gets −1 (a valid L1 subgradient; F.l1_loss would give 0).
 */
export class SmoothL1Loss extends ElementwiseLoss {
  readonly kind = 'smooth_l1' as const;

  constructor(
    outputs: number,
    maxRows: number,
    task: Task,
    readonly beta = 1.0,
    options: LossOptions = {},
  ) {
    super(outputs, maxRows, task, options);
    if (!(beta >= 0 && Number.isFinite(beta))) throw new RangeError(`smooth_l1: beta ${beta} must be a finite number ≥ 0`);
  }

  protected value(d: number): number {
    const a = Math.abs(d);
    return a < this.beta ? (0.5 * d * d) / this.beta : a - 0.5 * this.beta;
  }

  protected slope(d: number): number {
    return d <= -this.beta ? -1 : d >= this.beta ? 1 : d / this.beta;
  }
}
