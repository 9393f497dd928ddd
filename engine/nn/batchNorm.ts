import { checkRows, EMPTY, NO_PARAMETERS, type Layer, type NamedBuffer } from './layer';
import { affineParameters } from './affine';
import { Parameter } from '../core/parameter';

export interface BatchNormOptions {
  /** state_dict prefix: "1" gives "1.weight", "1.running_mean", ... */
  name: string;
  /** num_features: the width of the previous layer. */
  features: number;
  eps: number;
  /** Weight of the newest batch in the running statistics; null = cumulative moving average. */
  momentum: number | null;
  affine: boolean;
  trackRunningStats: boolean;
  maxRows: number;
}

/**
 * torch.nn.BatchNorm1d on (rows × features) input, normalizing each feature over the batch.
 *
 * Training mode (or no running statistics): x̂ = (x − μ_B)/√(σ²_B + ε) with the batch mean and the
 * BIASED batch variance σ²_B = Σ(x − μ_B)²/n, then y = γ·x̂ + β. The running statistics are updated
 * with the UNBIASED variance σ²_B·n/(n − 1): r ← (1 − m)·r + m·stat, where m = momentum, or
 * 1/num_batches_tracked when momentum is null (the plain average of all batches so far).
 * Evaluation mode (with running statistics): x̂ = (x − running_mean)/√(running_var + ε).
 * As torch, ε sits inside the square root (the course notes' σ + ε is the same idea).
 *
 * Backward with batch statistics (course notes 002, in torch's arrangement): with g = ∂L/∂y,
 *   ∂L/∂β = Σ g,   ∂L/∂γ = Σ g·x̂,
 *   ∂L/∂x = γ/√(σ²_B + ε) · (g − Σg/n − x̂·Σ(g·x̂)/n)
 * (μ_B and σ_B depend on every row, hence the two batch sums). With running statistics those are
 * constants and ∂L/∂x = γ·g/√(running_var + ε).
 *
 * Statistics are accumulated in double and stored as float32, as torch's CPU kernels do. A batch of
 * one row has no variance: normalizing it with batch statistics throws, with torch's message.
 */
export class BatchNorm1d implements Layer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly maxRows: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly weight: Parameter | undefined;
  readonly bias: Parameter | undefined;
  readonly parameters: readonly Parameter[];
  /** Float32 [features]; undefined when track_running_stats is false. */
  readonly runningMean: Float32Array | undefined;
  readonly runningVar: Float32Array | undefined;
  /** torch's int64 scalar, held exactly in a double. */
  readonly numBatchesTracked: Float64Array | undefined;
  readonly buffers: readonly NamedBuffer[];
  private readonly output: Float32Array;
  private readonly gradInput: Float32Array;
  /** The mean and 1/√(var + ε) the last forward normalized with, per feature. */
  private readonly mean: Float64Array;
  private readonly invStd: Float64Array;
  private usedBatchStatistics = true;
  private input: Float32Array = EMPTY;

  constructor(private readonly options: BatchNormOptions) {
    const { name, features, maxRows } = options;
    this.inFeatures = features;
    this.outFeatures = features;
    this.maxRows = maxRows;
    this.eps = options.eps;
    this.momentum = options.momentum;
    if (options.affine) {
      ({ weight: this.weight, bias: this.bias } = affineParameters(name, features));
      this.parameters = [this.weight, this.bias];
    } else {
      this.parameters = NO_PARAMETERS;
    }
    if (options.trackRunningStats) {
      this.runningMean = new Float32Array(features);
      this.runningVar = new Float32Array(features).fill(1);
      this.numBatchesTracked = new Float64Array(1);
      this.buffers = [
        { name: `${name}.running_mean`, shape: [features], dtype: 'F32', data: this.runningMean },
        { name: `${name}.running_var`, shape: [features], dtype: 'F32', data: this.runningVar },
        { name: `${name}.num_batches_tracked`, shape: [], dtype: 'I64', data: this.numBatchesTracked },
      ];
    } else {
      this.buffers = [];
    }
    this.output = new Float32Array(maxRows * features);
    this.gradInput = new Float32Array(maxRows * features);
    this.mean = new Float64Array(features);
    this.invStd = new Float64Array(features);
  }

  forward(input: Float32Array, rows: number, training: boolean): Float32Array {
    checkRows(this, rows);
    this.input = input;
    const useBatch = training || !this.runningMean;
    this.usedBatchStatistics = useBatch;
    if (useBatch) this.batchStatistics(input, rows, training);
    else this.runningStatistics();
    this.normalize(input, rows);
    return this.output;
  }

  private batchStatistics(input: Float32Array, rows: number, training: boolean): void {
    if (rows === 1) {
      throw new RangeError(
        `${this.describe()} (layer ${this.options.name}): Expected more than 1 value per channel when training, ` +
          `got input size [1, ${this.inFeatures}]; a batch of one row has no variance to normalize with ` +
          `(use batch_size ≥ 2, and a training set size that does not leave a last batch of one row)`,
      );
    }
    // An empty batch has no statistics; nothing to normalize or to learn from.
    if (rows === 0) return;
    const n = this.inFeatures;
    const update = training && this.runningMean !== undefined;
    let factor = 0;
    if (update) {
      const tracked = this.numBatchesTracked!;
      tracked[0] += 1;
      factor = this.momentum ?? 1 / tracked[0];
    }
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += input[r * n + j];
      const mean = sum / rows;
      let squares = 0;
      for (let r = 0; r < rows; r++) {
        const d = input[r * n + j] - mean;
        squares += d * d;
      }
      const variance = squares / rows;
      this.mean[j] = mean;
      this.invStd[j] = 1 / Math.sqrt(variance + this.eps);
      if (update) {
        this.runningMean![j] = (1 - factor) * this.runningMean![j] + factor * mean;
        this.runningVar![j] = (1 - factor) * this.runningVar![j] + factor * (squares / (rows - 1));
      }
    }
  }

  private runningStatistics(): void {
    const n = this.inFeatures;
    for (let j = 0; j < n; j++) {
      this.mean[j] = this.runningMean![j];
      this.invStd[j] = 1 / Math.sqrt(this.runningVar![j] + this.eps);
    }
  }

  private normalize(input: Float32Array, rows: number): void {
    const n = this.inFeatures;
    const y = this.output;
    const gamma = this.weight?.data;
    const beta = this.bias?.data;
    for (let j = 0; j < n; j++) {
      const mean = this.mean[j];
      const scale = this.invStd[j] * (gamma ? gamma[j] : 1);
      const shift = beta ? beta[j] : 0;
      for (let r = 0; r < rows; r++) {
        const i = r * n + j;
        y[i] = (input[i] - mean) * scale + shift;
      }
    }
  }

  backward(gradOutput: Float32Array, rows: number): Float32Array {
    checkRows(this, rows);
    const n = this.inFeatures;
    const x = this.input;
    const g = this.gradInput;
    const gamma = this.weight?.data;
    const dGamma = this.weight?.grad;
    const dBeta = this.bias?.grad;
    for (let j = 0; j < n; j++) {
      const mean = this.mean[j];
      const invStd = this.invStd[j];
      let sumG = 0;
      let sumGCentered = 0; // Σ g·(x − μ)
      for (let r = 0; r < rows; r++) {
        const i = r * n + j;
        sumG += gradOutput[i];
        sumGCentered += gradOutput[i] * (x[i] - mean);
      }
      if (dGamma) dGamma[j] += sumGCentered * invStd;
      if (dBeta) dBeta[j] += sumG;
      const scale = invStd * (gamma ? gamma[j] : 1);
      if (this.usedBatchStatistics) {
        const meanG = sumG / rows;
        // x̂·Σ(g·x̂)/n = (x − μ)·invStd²·Σ(g·(x − μ))/n
        const projection = (sumGCentered * invStd * invStd) / rows;
        for (let r = 0; r < rows; r++) {
          const i = r * n + j;
          g[i] = (gradOutput[i] - meanG - (x[i] - mean) * projection) * scale;
        }
      } else {
        for (let r = 0; r < rows; r++) {
          const i = r * n + j;
          g[i] = gradOutput[i] * scale;
        }
      }
    }
    return g;
  }

  describe(): string {
    const o = this.options;
    const extras: string[] = [];
    if (o.eps !== 1e-5) extras.push(`eps=${o.eps}`);
    if (o.momentum !== 0.1) extras.push(`momentum=${o.momentum === null ? 'None' : o.momentum}`);
    if (!o.affine) extras.push('affine=False');
    if (!o.trackRunningStats) extras.push('track_running_stats=False');
    return `BatchNorm1d(${[String(this.inFeatures), ...extras].join(', ')})`;
  }
}
