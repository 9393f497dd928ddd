import type { Random } from '../core/random';
import { checkRows, NO_BUFFERS, NO_PARAMETERS, type Layer } from './layer';
import { allocateFloat32 } from '../core/memory';

export interface DropoutOptions {
  features: number;
  /** Probability of zeroing each value (torch's p; the course notes' p is the keep probability 1 − p). */
  p: number;
  maxRows: number;
  /** The layer's own stream (buildModel passes rng.fork(`dropout:<index>`)), so masks are reproducible. */
  rng: Random;
}

const TWO_POW_32 = 4294967296;

/**
 * torch.nn.Dropout, "inverted" dropout: in training each value is kept with probability 1 − p and
 * scaled by 1/(1 − p), so the expected output equals the input and evaluation needs no rescaling;
 * in evaluation it is the identity. p = 1 drops everything (all zeros), as torch. The mask (0 or the
 * scale, per value) is drawn anew at every training forward into a buffer allocated once, and
 * backward multiplies by the same mask. Masks are not torch's (a different random generator);
 * their distribution is.
 */
export class Dropout implements Layer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly maxRows: number;
  readonly p: number;
  readonly parameters = NO_PARAMETERS;
  readonly buffers = NO_BUFFERS;
  private readonly rng: Random;
  /** A value is kept when a uniform 32-bit draw is ≥ this (probability 1 − p). */
  private readonly dropBelow: number;
  private readonly scale: number;
  private readonly mask: Float32Array;
  private readonly output: Float32Array;
  private readonly gradInput: Float32Array;
  /** Whether the last forward applied a mask (training with p > 0) or was the identity. */
  private masked = false;

  constructor(options: DropoutOptions) {
    const { features, p, maxRows } = options;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout: p must be in [0, 1], not ${p}`);
    this.inFeatures = features;
    this.outFeatures = features;
    this.maxRows = maxRows;
    this.p = p;
    this.rng = options.rng;
    this.dropBelow = p * TWO_POW_32;
    // float32(1/(1 − p)), the factor torch multiplies kept values by; 0 when everything is dropped.
    this.scale = p === 1 ? 0 : Math.fround(1 / (1 - p));
    this.mask = new Float32Array(maxRows * features);
    this.output = allocateFloat32(maxRows * features);
    this.gradInput = allocateFloat32(maxRows * features);
  }

  forward(input: Float32Array, rows: number, training: boolean): Float32Array {
    checkRows(this, rows);
    const size = rows * this.inFeatures;
    const y = this.output;
    this.masked = training && this.p > 0;
    if (!this.masked) {
      y.set(input.subarray(0, size));
      return y;
    }
    const mask = this.mask;
    const rng = this.rng;
    const dropBelow = this.dropBelow;
    const scale = this.scale;
    for (let i = 0; i < size; i++) {
      const m = rng.nextUint32() >= dropBelow ? scale : 0;
      mask[i] = m;
      y[i] = input[i] * m;
    }
    return y;
  }

  backward(gradOutput: Float32Array, rows: number): Float32Array {
    checkRows(this, rows);
    const size = rows * this.inFeatures;
    const g = this.gradInput;
    if (!this.masked) {
      g.set(gradOutput.subarray(0, size));
      return g;
    }
    const mask = this.mask;
    for (let i = 0; i < size; i++) g[i] = gradOutput[i] * mask[i];
    return g;
  }

  /** The mask of the last training forward (0 or 1/(1 − p) per value), for tests and probes. */
  lastMask(): Float32Array {
    return this.mask;
  }

  describe(): string {
    return `Dropout(p=${this.p})`;
  }
}
