import { checkRows, EMPTY, NO_BUFFERS, NO_PARAMETERS, type Layer } from './layer';
import { allocateFloat32 } from '../core/memory';

/**
 * Shared shape of activations without weights: `features` in and `outFeatures` out (the same for
 * elementwise ones), their output and input gradient allocated once. Forward keeps a reference to
 * its input (the previous layer's buffer, unchanged until the next forward) for the backward of
 * activations whose derivative needs x rather than y. Each subclass writes its own loops: one call
 * per batch, not per element, keeps the hot path monomorphic.
 */
export abstract class Activation implements Layer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly parameters = NO_PARAMETERS;
  readonly buffers = NO_BUFFERS;
  protected readonly output: Float32Array;
  protected readonly gradInput: Float32Array;
  protected input: Float32Array = EMPTY;

  constructor(
    features: number,
    readonly maxRows: number,
    outFeatures = features,
  ) {
    this.inFeatures = features;
    this.outFeatures = outFeatures;
    this.output = allocateFloat32(maxRows * outFeatures);
    this.gradInput = allocateFloat32(maxRows * features);
  }

  forward(input: Float32Array, rows: number, _training: boolean): Float32Array {
    checkRows(this, rows);
    this.input = input;
    this.apply(input, rows);
    return this.output;
  }

  backward(gradOutput: Float32Array, rows: number): Float32Array {
    checkRows(this, rows);
    this.applyGradient(gradOutput, rows);
    return this.gradInput;
  }

  /** Writes `output` for the first `rows` rows of `input`. */
  protected abstract apply(input: Float32Array, rows: number): void;
  /** Writes `gradInput` from `gradOutput` and what forward kept (`input`, `output`). */
  protected abstract applyGradient(gradOutput: Float32Array, rows: number): void;
  abstract describe(): string;
}

/** An activation applied to each value on its own: loops run over rows × features values. */
export abstract class Elementwise extends Activation {
  protected apply(input: Float32Array, rows: number): void {
    this.map(input, rows * this.inFeatures);
  }

  protected applyGradient(gradOutput: Float32Array, rows: number): void {
    this.mapGradient(gradOutput, rows * this.inFeatures);
  }

  protected abstract map(input: Float32Array, size: number): void;
  protected abstract mapGradient(gradOutput: Float32Array, size: number): void;
}

/** Keeps the number a torch module prints: 0.01 → "0.01", 1 → "1.0". */
export function torchNumber(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
