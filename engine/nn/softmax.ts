/**
 * Softmax and LogSoftmax over the features of each row (torch dim=1). A model that ends with
 * log_softmax feeds NLL loss, as in torch. Both subtract the row's maximum first, so large scores
 * cannot overflow e^x, and sum in double.
 */
import { Activation } from './elementwise';

/** torch.nn.Softmax(dim=1). Backward: ∂x = y ⊙ (g − Σ g·y) per row. */
export class Softmax extends Activation {
  protected apply(input: Float32Array, rows: number): void {
    const n = this.inFeatures;
    const y = this.output;
    for (let r = 0; r < rows; r++) {
      const row = r * n;
      let max = -Infinity;
      for (let j = 0; j < n; j++) if (input[row + j] > max) max = input[row + j];
      let sum = 0;
      for (let j = 0; j < n; j++) sum += Math.exp(input[row + j] - max);
      for (let j = 0; j < n; j++) y[row + j] = Math.exp(input[row + j] - max) / sum;
    }
  }

  protected applyGradient(gradOutput: Float32Array, rows: number): void {
    const n = this.inFeatures;
    const y = this.output;
    const g = this.gradInput;
    for (let r = 0; r < rows; r++) {
      const row = r * n;
      let dot = 0;
      for (let j = 0; j < n; j++) dot += gradOutput[row + j] * y[row + j];
      for (let j = 0; j < n; j++) g[row + j] = y[row + j] * (gradOutput[row + j] - dot);
    }
  }

  describe(): string {
    return 'Softmax';
  }
}

/** torch.nn.LogSoftmax(dim=1): x − max − log Σ e^{x − max}. Backward: ∂x = g − softmax · Σ g per row. */
export class LogSoftmax extends Activation {
  protected apply(input: Float32Array, rows: number): void {
    const n = this.inFeatures;
    const y = this.output;
    for (let r = 0; r < rows; r++) {
      const row = r * n;
      let max = -Infinity;
      for (let j = 0; j < n; j++) if (input[row + j] > max) max = input[row + j];
      let sum = 0;
      for (let j = 0; j < n; j++) sum += Math.exp(input[row + j] - max);
      const shift = max + Math.log(sum);
      for (let j = 0; j < n; j++) y[row + j] = input[row + j] - shift;
    }
  }

  protected applyGradient(gradOutput: Float32Array, rows: number): void {
    const n = this.inFeatures;
    const y = this.output;
    const g = this.gradInput;
    for (let r = 0; r < rows; r++) {
      const row = r * n;
      let sum = 0;
      for (let j = 0; j < n; j++) sum += gradOutput[row + j];
      for (let j = 0; j < n; j++) g[row + j] = gradOutput[row + j] - Math.exp(y[row + j]) * sum;
    }
  }

  describe(): string {
    return 'LogSoftmax';
  }
}
