import { checkRows, EMPTY, NO_BUFFERS, type Layer } from './layer';
import { Parameter } from '../core/parameter';

export interface PReLUOptions {
  /** state_dict prefix: "3" gives "3.weight". */
  name: string;
  features: number;
  /** 1 (one slope for every feature) or `features` (one per feature, torch's channel dim 1). */
  numParameters: number;
  /** Initial slope (torch default 0.25). */
  init: number;
  maxRows: number;
}

/**
 * torch.nn.PReLU: y = x > 0 ? x : a·x with learnable slopes a ("<i>.weight" [num_parameters]).
 * Backward as torch: ∂x = x > 0 ? g : a·g; ∂a += Σ over the values a covers of (x > 0 ? 0 : x·g).
 */
export class PReLU implements Layer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly maxRows: number;
  readonly weight: Parameter;
  readonly parameters: readonly Parameter[];
  readonly buffers = NO_BUFFERS;
  private readonly output: Float32Array;
  private readonly gradInput: Float32Array;
  private input: Float32Array = EMPTY;

  constructor(options: PReLUOptions) {
    const { features, numParameters, maxRows } = options;
    if (numParameters !== 1 && numParameters !== features) {
      throw new RangeError(`PReLU: num_parameters must be 1 or the number of features (${features}), not ${numParameters}`);
    }
    this.inFeatures = features;
    this.outFeatures = features;
    this.maxRows = maxRows;
    this.weight = new Parameter(`${options.name}.weight`, [numParameters]);
    this.weight.data.fill(options.init);
    this.parameters = [this.weight];
    this.output = new Float32Array(maxRows * features);
    this.gradInput = new Float32Array(maxRows * features);
  }

  forward(input: Float32Array, rows: number, _training: boolean): Float32Array {
    checkRows(this, rows);
    this.input = input;
    const n = this.inFeatures;
    const a = this.weight.data;
    const shared = a.length === 1;
    const y = this.output;
    for (let r = 0; r < rows; r++) {
      const row = r * n;
      for (let j = 0; j < n; j++) {
        const v = input[row + j];
        y[row + j] = v > 0 ? v : (shared ? a[0] : a[j]) * v;
      }
    }
    return y;
  }

  backward(gradOutput: Float32Array, rows: number): Float32Array {
    checkRows(this, rows);
    const n = this.inFeatures;
    const x = this.input;
    const a = this.weight.data;
    const da = this.weight.grad;
    const shared = a.length === 1;
    const g = this.gradInput;
    let sharedSum = 0;
    for (let j = 0; j < n; j++) {
      const slope = shared ? a[0] : a[j];
      let sum = 0;
      for (let r = 0; r < rows; r++) {
        const i = r * n + j;
        const v = x[i];
        const dy = gradOutput[i];
        if (v > 0) {
          g[i] = dy;
        } else {
          g[i] = slope * dy;
          sum += v * dy;
        }
      }
      if (shared) sharedSum += sum;
      else da[j] += sum;
    }
    if (shared) da[0] += sharedSum;
    return g;
  }

  describe(): string {
    return this.weight.size === 1 ? 'PReLU' : `PReLU(num_parameters=${this.weight.size})`;
  }
}
