import type { Kernels } from '../core/kernels';
import { checkRows, EMPTY, NO_BUFFERS, type Layer } from './layer';
import { Parameter } from '../core/parameter';

export interface LinearOptions {
  /** state_dict prefix, e.g. "0" gives "0.weight" and "0.bias". */
  name: string;
  inFeatures: number;
  outFeatures: number;
  bias: boolean;
  maxRows: number;
  kernels: Kernels;
  /**
   * Whether backward computes ∂loss/∂input. The first layer of a model does not need it (nobody
   * consumes the gradient wrt the data), which saves a gemm per step.
   */
  inputGradient: boolean;
}

/**
 * torch.nn.Linear: y = x·Wᵀ + b, with W stored as torch does, [out_features, in_features]
 * row-major, and b [out_features]. Weights start at zero; initialization is the model builder's job.
 */
export class Linear implements Layer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly maxRows: number;
  readonly weight: Parameter;
  readonly bias: Parameter | undefined;
  readonly parameters: readonly Parameter[];
  readonly buffers = NO_BUFFERS;
  private readonly kernels: Kernels;
  private readonly output: Float32Array;
  private readonly gradInput: Float32Array;
  private lastInput: Float32Array = EMPTY;

  constructor(options: LinearOptions) {
    const { inFeatures, outFeatures, maxRows } = options;
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.maxRows = maxRows;
    this.kernels = options.kernels;
    this.weight = new Parameter(`${options.name}.weight`, [outFeatures, inFeatures]);
    this.bias = options.bias ? new Parameter(`${options.name}.bias`, [outFeatures]) : undefined;
    this.parameters = this.bias ? [this.weight, this.bias] : [this.weight];
    this.output = new Float32Array(maxRows * outFeatures);
    this.gradInput = options.inputGradient ? new Float32Array(maxRows * inFeatures) : EMPTY;
  }

  forward(input: Float32Array, rows: number, _training: boolean): Float32Array {
    checkRows(this, rows);
    const out = this.outFeatures;
    const y = this.output;
    this.lastInput = input;
    // Y[rows×out] = X[rows×in] · Wᵀ
    this.kernels.gemm(false, true, rows, out, this.inFeatures, 1, input, this.weight.data, 0, y);
    if (this.bias) {
      const b = this.bias.data;
      for (let r = 0; r < rows; r++) {
        const row = r * out;
        for (let j = 0; j < out; j++) y[row + j] += b[j];
      }
    }
    return y;
  }

  backward(gradOutput: Float32Array, rows: number): Float32Array {
    checkRows(this, rows);
    const out = this.outFeatures;
    const inF = this.inFeatures;
    // dW[out×in] += dYᵀ[out×rows] · X[rows×in]
    this.kernels.gemm(true, false, out, inF, rows, 1, gradOutput, this.lastInput, 1, this.weight.grad);
    if (this.bias) {
      const db = this.bias.grad;
      for (let r = 0; r < rows; r++) {
        const row = r * out;
        for (let j = 0; j < out; j++) db[j] += gradOutput[row + j];
      }
    }
    if (this.gradInput === EMPTY) return EMPTY;
    // dX[rows×in] = dY[rows×out] · W[out×in]
    this.kernels.gemm(false, false, rows, inF, out, 1, gradOutput, this.weight.data, 0, this.gradInput);
    return this.gradInput;
  }

  describe(): string {
    return `Linear(${this.inFeatures} → ${this.outFeatures}${this.bias ? '' : ', bias=False'})`;
  }
}
