import { Activation } from './elementwise';

/**
 * torch.nn.GLU(dim=-1), the gated linear unit: each row's features split into halves a | b, output
 * a ⊙ σ(b) (half as many features). Put a linear layer of twice the width before it, as the GLU
 * family does (σ(xW + b) ⊙ (xV + c)). Backward: ∂a = g·σ(b), ∂b = g·a·σ(b)(1 − σ(b)).
 */
export class GLU extends Activation {
  private readonly half: number;

  constructor(features: number, maxRows: number) {
    if (features % 2 !== 0) {
      throw new RangeError(`GLU halves its input, so the input width must be even, not ${features}`);
    }
    super(features, maxRows, features / 2);
    this.half = features / 2;
  }

  protected apply(input: Float32Array, rows: number): void {
    const h = this.half;
    const y = this.output;
    for (let r = 0; r < rows; r++) {
      const inRow = r * 2 * h;
      const outRow = r * h;
      for (let j = 0; j < h; j++) y[outRow + j] = input[inRow + j] / (1 + Math.exp(-input[inRow + h + j]));
    }
  }

  protected applyGradient(gradOutput: Float32Array, rows: number): void {
    const h = this.half;
    const x = this.input;
    const g = this.gradInput;
    for (let r = 0; r < rows; r++) {
      const inRow = r * 2 * h;
      const outRow = r * h;
      for (let j = 0; j < h; j++) {
        const a = x[inRow + j];
        const s = 1 / (1 + Math.exp(-x[inRow + h + j]));
        const dy = gradOutput[outRow + j];
        g[inRow + j] = dy * s;
        g[inRow + h + j] = dy * a * s * (1 - s);
      }
    }
  }

  describe(): string {
    return 'GLU';
  }
}
