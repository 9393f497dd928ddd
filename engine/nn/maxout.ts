import type { Kernels } from '../core/kernels';
import { checkRows, EMPTY, NO_BUFFERS, type Layer } from './layer';
import { Linear } from './linear';
import type { Parameter } from '../core/parameter';

export interface MaxoutOptions {
  /** state_dict prefix: "2" gives "2.weight" [out·pieces, in] and "2.bias" [out·pieces]. */
  name: string;
  inFeatures: number;
  outFeatures: number;
  pieces: number;
  bias: boolean;
  maxRows: number;
  kernels: Kernels;
  /** Whether backward computes ∂loss/∂input (not needed by a model's first layer). */
  inputGradient: boolean;
}

/**
 * Maxout [Goodfellow et al., 2013]: z = x·Wᵀ + b with out·pieces rows, then y_o = max of the
 * `pieces` consecutive values z_{o·k} … z_{o·k+k−1}. Equivalent torch: nn.Linear(in, out·k) then
 * `.view(N, out, k).max(-1).values` — the parameters are that Linear's, so weight rows o·k … o·k+k−1
 * are unit o's pieces. The gradient flows only to the winning piece of each unit and row (the first
 * one on a tie); the others get 0, so a piece that never wins stops learning, as in torch.
 */
export class Maxout implements Layer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly maxRows: number;
  readonly pieces: number;
  /** The affine map to out·pieces values; its weight and bias are this layer's parameters. */
  readonly linear: Linear;
  readonly parameters: readonly Parameter[];
  readonly buffers = NO_BUFFERS;
  private readonly output: Float32Array;
  /** Index into z of each output's winning piece. */
  private readonly winner: Int32Array;
  private readonly gradPieces: Float32Array;

  constructor(options: MaxoutOptions) {
    const { inFeatures, outFeatures, pieces, maxRows } = options;
    if (!Number.isInteger(pieces) || pieces < 1) throw new RangeError(`Maxout: pieces must be a positive integer, not ${pieces}`);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.maxRows = maxRows;
    this.pieces = pieces;
    this.linear = new Linear({
      name: options.name,
      inFeatures,
      outFeatures: outFeatures * pieces,
      bias: options.bias,
      maxRows,
      kernels: options.kernels,
      inputGradient: options.inputGradient,
    });
    this.parameters = this.linear.parameters;
    this.output = new Float32Array(maxRows * outFeatures);
    this.winner = new Int32Array(maxRows * outFeatures);
    this.gradPieces = new Float32Array(maxRows * outFeatures * pieces);
  }

  get weight(): Parameter {
    return this.linear.weight;
  }

  get bias(): Parameter | undefined {
    return this.linear.bias;
  }

  forward(input: Float32Array, rows: number, training: boolean): Float32Array {
    checkRows(this, rows);
    const z = this.linear.forward(input, rows, training);
    const y = this.output;
    const winner = this.winner;
    const k = this.pieces;
    const count = rows * this.outFeatures;
    for (let o = 0; o < count; o++) {
      const start = o * k;
      let best = start;
      // A NaN piece wins (and keeps winning), so NaN propagates like torch's max.
      for (let j = start + 1; j < start + k; j++) if (z[j] > z[best] || Number.isNaN(z[j])) best = j;
      winner[o] = best;
      y[o] = z[best];
    }
    return y;
  }

  backward(gradOutput: Float32Array, rows: number): Float32Array {
    checkRows(this, rows);
    const count = rows * this.outFeatures;
    const dz = this.gradPieces;
    dz.fill(0, 0, count * this.pieces);
    for (let o = 0; o < count; o++) dz[this.winner[o]] = gradOutput[o];
    const dx = this.linear.backward(dz, rows);
    return dx.length === 0 ? EMPTY : dx;
  }

  describe(): string {
    return `Maxout(${this.inFeatures} → ${this.outFeatures}, pieces=${this.pieces}${this.linear.bias ? '' : ', bias=False'})`;
  }
}
