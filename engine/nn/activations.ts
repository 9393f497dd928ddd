import type { ActivationKind } from './spec';
import { checkRows, type Layer } from './layer';
import type { Parameter } from './parameter';

const NO_PARAMETERS: readonly Parameter[] = [];

/** Shared shape of elementwise activations: same width in and out, output kept for backward. */
abstract class Elementwise implements Layer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly parameters = NO_PARAMETERS;
  protected readonly output: Float32Array;
  protected readonly gradInput: Float32Array;

  constructor(
    features: number,
    readonly maxRows: number,
  ) {
    this.inFeatures = features;
    this.outFeatures = features;
    this.output = new Float32Array(maxRows * features);
    this.gradInput = new Float32Array(maxRows * features);
  }

  forward(input: Float32Array, rows: number, _training: boolean): Float32Array {
    checkRows(this, rows);
    this.apply(input, rows * this.outFeatures);
    return this.output;
  }

  backward(gradOutput: Float32Array, rows: number): Float32Array {
    checkRows(this, rows);
    this.applyGradient(gradOutput, rows * this.outFeatures);
    return this.gradInput;
  }

  protected abstract apply(input: Float32Array, size: number): void;
  protected abstract applyGradient(gradOutput: Float32Array, size: number): void;
  abstract describe(): string;
}

/** torch.nn.ReLU. The derivative at exactly 0 is taken as 0, as torch does. */
export class ReLU extends Elementwise {
  protected apply(input: Float32Array, size: number): void {
    const y = this.output;
    for (let i = 0; i < size; i++) {
      const v = input[i];
      y[i] = v > 0 ? v : 0;
    }
  }

  protected applyGradient(gradOutput: Float32Array, size: number): void {
    // output > 0 exactly when input > 0, so the output is all backward needs.
    const y = this.output;
    const g = this.gradInput;
    for (let i = 0; i < size; i++) g[i] = y[i] > 0 ? gradOutput[i] : 0;
  }

  describe(): string {
    return 'ReLU';
  }
}

/** torch.nn.Tanh; backward uses tanh' = 1 − tanh², from the stored output. */
export class Tanh extends Elementwise {
  protected apply(input: Float32Array, size: number): void {
    const y = this.output;
    for (let i = 0; i < size; i++) y[i] = Math.tanh(input[i]);
  }

  protected applyGradient(gradOutput: Float32Array, size: number): void {
    const y = this.output;
    const g = this.gradInput;
    for (let i = 0; i < size; i++) {
      const t = y[i];
      g[i] = gradOutput[i] * (1 - t * t);
    }
  }

  describe(): string {
    return 'Tanh';
  }
}

export function createActivation(kind: ActivationKind, features: number, maxRows: number): Layer {
  switch (kind) {
    case 'relu':
      return new ReLU(features, maxRows);
    case 'tanh':
      return new Tanh(features, maxRows);
  }
}
