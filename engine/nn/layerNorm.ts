import { checkRows, EMPTY, NO_BUFFERS, NO_PARAMETERS, type Layer } from './layer';
import { affineParameters } from './affine';
import { Parameter } from '../core/parameter';

export interface LayerNormOptions {
  /** state_dict prefix: "2" gives "2.weight" and "2.bias". */
  name: string;
  /** normalized_shape: the width of the previous layer. */
  features: number;
  eps: number;
  elementwiseAffine: boolean;
  maxRows: number;
}

/**
 * torch.nn.LayerNorm(features): each ROW is normalized over its features, x̂ = (x − μ)/√(σ² + ε) with
 * the row's mean and biased variance, then y = γ ⊙ x̂ + β (γ = 1, β = 0 initially). Unlike batch
 * norm it behaves the same in training and evaluation and keeps no running statistics.
 * Backward per row, with d = γ ⊙ g:  ∂x = (d − mean(d) − x̂·mean(d ⊙ x̂))/√(σ² + ε);
 * ∂γ += Σ_rows g ⊙ x̂;  ∂β += Σ_rows g.
 */
export class LayerNorm implements Layer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly maxRows: number;
  readonly eps: number;
  readonly weight: Parameter | undefined;
  readonly bias: Parameter | undefined;
  readonly parameters: readonly Parameter[];
  readonly buffers = NO_BUFFERS;
  private readonly output: Float32Array;
  private readonly gradInput: Float32Array;
  /** Per row of the last forward: its mean and 1/√(var + ε). */
  private readonly mean: Float64Array;
  private readonly invStd: Float64Array;
  private input: Float32Array = EMPTY;

  constructor(options: LayerNormOptions) {
    const { name, features, maxRows } = options;
    this.inFeatures = features;
    this.outFeatures = features;
    this.maxRows = maxRows;
    this.eps = options.eps;
    if (options.elementwiseAffine) {
      ({ weight: this.weight, bias: this.bias } = affineParameters(name, features));
      this.parameters = [this.weight, this.bias];
    } else {
      this.parameters = NO_PARAMETERS;
    }
    this.output = new Float32Array(maxRows * features);
    this.gradInput = new Float32Array(maxRows * features);
    this.mean = new Float64Array(maxRows);
    this.invStd = new Float64Array(maxRows);
  }

  forward(input: Float32Array, rows: number, _training: boolean): Float32Array {
    checkRows(this, rows);
    this.input = input;
    const n = this.inFeatures;
    const y = this.output;
    const gamma = this.weight?.data;
    const beta = this.bias?.data;
    for (let r = 0; r < rows; r++) {
      const row = r * n;
      let sum = 0;
      for (let j = 0; j < n; j++) sum += input[row + j];
      const mean = sum / n;
      let squares = 0;
      for (let j = 0; j < n; j++) {
        const d = input[row + j] - mean;
        squares += d * d;
      }
      const invStd = 1 / Math.sqrt(squares / n + this.eps);
      this.mean[r] = mean;
      this.invStd[r] = invStd;
      for (let j = 0; j < n; j++) {
        const normalized = (input[row + j] - mean) * invStd;
        y[row + j] = gamma ? normalized * gamma[j] + beta![j] : normalized;
      }
    }
    return y;
  }

  backward(gradOutput: Float32Array, rows: number): Float32Array {
    checkRows(this, rows);
    const n = this.inFeatures;
    const x = this.input;
    const g = this.gradInput;
    const gamma = this.weight?.data;
    const dGamma = this.weight?.grad;
    const dBeta = this.bias?.grad;
    for (let r = 0; r < rows; r++) {
      const row = r * n;
      const mean = this.mean[r];
      const invStd = this.invStd[r];
      let sumD = 0;
      let sumDX = 0; // Σ d·x̂
      for (let j = 0; j < n; j++) {
        const dy = gradOutput[row + j];
        const normalized = (x[row + j] - mean) * invStd;
        const d = gamma ? dy * gamma[j] : dy;
        sumD += d;
        sumDX += d * normalized;
        if (dGamma) {
          dGamma[j] += dy * normalized;
          dBeta![j] += dy;
        }
      }
      const meanD = sumD / n;
      const meanDX = sumDX / n;
      for (let j = 0; j < n; j++) {
        const normalized = (x[row + j] - mean) * invStd;
        const d = gamma ? gradOutput[row + j] * gamma[j] : gradOutput[row + j];
        g[row + j] = (d - meanD - normalized * meanDX) * invStd;
      }
    }
    return g;
  }

  describe(): string {
    const extras: string[] = [];
    if (this.eps !== 1e-5) extras.push(`eps=${this.eps}`);
    if (!this.weight) extras.push('elementwise_affine=False');
    return `LayerNorm(${[String(this.inFeatures), ...extras].join(', ')})`;
  }
}
