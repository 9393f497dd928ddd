/**
 * Smooth (or nearly smooth) activations: Sigmoid, Tanh, GELU, SiLU (Swish), Mish, Softplus and
 * Hardswish. Each value is computed in double from the float32 input and rounded once when stored,
 * so results are at least as accurate as torch's float32 kernels (tests compare at float32 tolerance).
 */
import { softplus } from '../core/softplus';
import { Elementwise, torchNumber } from './elementwise';
import { normalCdf } from './erf';

/** torch.nn.Sigmoid: 1/(1 + e^{−x}); backward σ(1 − σ) from the stored output, as torch. */
export class Sigmoid extends Elementwise {
  protected map(input: Float32Array, size: number): void {
    const y = this.output;
    for (let i = 0; i < size; i++) y[i] = 1 / (1 + Math.exp(-input[i]));
  }

  protected mapGradient(gradOutput: Float32Array, size: number): void {
    const y = this.output;
    const g = this.gradInput;
    for (let i = 0; i < size; i++) {
      const s = y[i];
      g[i] = gradOutput[i] * s * (1 - s);
    }
  }

  describe(): string {
    return 'Sigmoid';
  }
}

/** torch.nn.Tanh; backward uses tanh' = 1 − tanh², from the stored output. */
export class Tanh extends Elementwise {
  protected map(input: Float32Array, size: number): void {
    const y = this.output;
    for (let i = 0; i < size; i++) y[i] = Math.tanh(input[i]);
  }

  protected mapGradient(gradOutput: Float32Array, size: number): void {
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

const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π), the normal density at 0
const SQRT_2_OVER_PI = 0.7978845608028654; // √(2/π)
const GELU_KAPPA = 0.044715;

/**
 * torch.nn.GELU. approximate 'none': x·Φ(x) with Φ from an accurate erf (engine/nn/erf.ts), and
 * Φ(x) + x·φ(x) backward; 'tanh': ½x(1 + tanh(√(2/π)(x + 0.044715x³))) and its exact derivative.
 */
export class GELU extends Elementwise {
  constructor(
    features: number,
    maxRows: number,
    readonly approximate: 'none' | 'tanh' = 'none',
  ) {
    super(features, maxRows);
  }

  protected map(input: Float32Array, size: number): void {
    const y = this.output;
    if (this.approximate === 'tanh') {
      for (let i = 0; i < size; i++) {
        const x = input[i];
        y[i] = 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_KAPPA * x * x * x)));
      }
    } else {
      for (let i = 0; i < size; i++) {
        const x = input[i];
        y[i] = x * normalCdf(x);
      }
    }
  }

  protected mapGradient(gradOutput: Float32Array, size: number): void {
    const input = this.input;
    const g = this.gradInput;
    if (this.approximate === 'tanh') {
      for (let i = 0; i < size; i++) {
        const x = input[i];
        const t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_KAPPA * x * x * x));
        const derivative = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_KAPPA * x * x);
        g[i] = gradOutput[i] * derivative;
      }
    } else {
      for (let i = 0; i < size; i++) {
        const x = input[i];
        g[i] = gradOutput[i] * (normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x));
      }
    }
  }

  describe(): string {
    return this.approximate === 'none' ? 'GELU' : `GELU(approximate='${this.approximate}')`;
  }
}

/** torch.nn.SiLU (Swish with β = 1): x·σ(x); derivative σ(x)(1 + x(1 − σ(x))). */
export class SiLU extends Elementwise {
  protected map(input: Float32Array, size: number): void {
    const y = this.output;
    for (let i = 0; i < size; i++) {
      const x = input[i];
      y[i] = x / (1 + Math.exp(-x));
    }
  }

  protected mapGradient(gradOutput: Float32Array, size: number): void {
    const input = this.input;
    const g = this.gradInput;
    for (let i = 0; i < size; i++) {
      const x = input[i];
      const s = 1 / (1 + Math.exp(-x));
      g[i] = gradOutput[i] * s * (1 + x * (1 - s));
    }
  }

  describe(): string {
    return 'SiLU';
  }
}

/** torch.nn.Mish: x·tanh(softplus(x)) (softplus without threshold, as torch's mish kernel). */
export class Mish extends Elementwise {
  protected map(input: Float32Array, size: number): void {
    const y = this.output;
    for (let i = 0; i < size; i++) {
      const x = input[i];
      y[i] = x * Math.tanh(Math.log1p(Math.exp(x)));
    }
  }

  protected mapGradient(gradOutput: Float32Array, size: number): void {
    const input = this.input;
    const g = this.gradInput;
    for (let i = 0; i < size; i++) {
      const x = input[i];
      const s = 1 / (1 + Math.exp(-x));
      const t = Math.tanh(Math.log1p(Math.exp(x)));
      g[i] = gradOutput[i] * (t + x * s * (1 - t * t));
    }
  }

  describe(): string {
    return 'Mish';
  }
}

/**
 * torch.nn.Softplus: log(1 + e^{βx})/β, and exactly x where βx > threshold (torch's switch to the
 * identity, which keeps e^{βx} from overflowing); derivative σ(βx), or 1 past the threshold.
 */
export class Softplus extends Elementwise {
  constructor(
    features: number,
    maxRows: number,
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super(features, maxRows);
  }

  protected map(input: Float32Array, size: number): void {
    const y = this.output;
    const { beta, threshold } = this;
    for (let i = 0; i < size; i++) {
      const x = input[i];
      const z = x * beta;
      y[i] = z > threshold ? x : Math.log1p(Math.exp(z)) / beta;
    }
  }

  protected mapGradient(gradOutput: Float32Array, size: number): void {
    const input = this.input;
    const g = this.gradInput;
    const { beta, threshold } = this;
    for (let i = 0; i < size; i++) {
      const z = input[i] * beta;
      // e^z/(e^z + 1) written as σ(z), which cannot overflow to ∞/∞.
      g[i] = z > threshold ? gradOutput[i] : gradOutput[i] / (1 + Math.exp(-z));
    }
  }

  describe(): string {
    return this.beta === 1 && this.threshold === 20
      ? 'Softplus'
      : `Softplus(beta=${torchNumber(this.beta)}, threshold=${torchNumber(this.threshold)})`;
  }
}

/**
 * torch.nn.Hardswish: x·relu6(x + 3)/6. Derivative as torch's vectorized CPU kernel (the one every
 * batch of 8 or more values runs through): 0 below −3, x/3 + ½ on [−3, 3) (−½ at −3), 1 from 3 on.
 * (torch 1.13's scalar fallback for a tensor's last few values gives 1.5 at exactly 3 instead; the
 * kink is measure-zero, so we take the answer torch gives in practice.)
 */
export class Hardswish extends Elementwise {
  protected map(input: Float32Array, size: number): void {
    const y = this.output;
    for (let i = 0; i < size; i++) {
      const x = input[i];
      y[i] = x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6;
    }
  }

  protected mapGradient(gradOutput: Float32Array, size: number): void {
    const input = this.input;
    const g = this.gradInput;
    for (let i = 0; i < size; i++) {
      const x = input[i];
      g[i] = x < -3 ? 0 : x < 3 ? gradOutput[i] * (x / 3 + 0.5) : gradOutput[i];
    }
  }

  describe(): string {
    return 'Hardswish';
  }
}

/** torch.nn.Hardsigmoid: 0 below −3, 1 above 3, x/6 + ½ between (gradient 1/6 strictly inside). */
export class Hardsigmoid extends Elementwise {
  protected map(input: Float32Array, size: number): void {
    const y = this.output;
    for (let i = 0; i < size; i++) {
      const x = input[i];
      y[i] = x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5;
    }
  }

  protected mapGradient(gradOutput: Float32Array, size: number): void {
    const input = this.input;
    const g = this.gradInput;
    for (let i = 0; i < size; i++) {
      const x = input[i];
      g[i] = x > -3 && x < 3 ? gradOutput[i] / 6 : 0;
    }
  }

  describe(): string {
    return 'Hardsigmoid';
  }
}

/** torch.nn.Softsign: x / (1 + |x|), a tanh-like squashing with polynomial tails. */
export class Softsign extends Elementwise {
  protected map(input: Float32Array, size: number): void {
    const y = this.output;
    for (let i = 0; i < size; i++) y[i] = input[i] / (1 + Math.abs(input[i]));
  }

  protected mapGradient(gradOutput: Float32Array, size: number): void {
    const input = this.input;
    const g = this.gradInput;
    for (let i = 0; i < size; i++) {
      const d = 1 + Math.abs(input[i]);
      g[i] = gradOutput[i] / (d * d);
    }
  }

  describe(): string {
    return 'Softsign';
  }
}

/** torch.nn.LogSigmoid: log σ(x) = −softplus(−x); its gradient is σ(−x) = 1 − σ(x). */
export class LogSigmoid extends Elementwise {
  protected map(input: Float32Array, size: number): void {
    const y = this.output;
    for (let i = 0; i < size; i++) y[i] = -softplus(-input[i]);
  }

  protected mapGradient(gradOutput: Float32Array, size: number): void {
    const input = this.input;
    const g = this.gradInput;
    for (let i = 0; i < size; i++) g[i] = gradOutput[i] / (1 + Math.exp(input[i]));
  }

  describe(): string {
    return 'LogSigmoid';
  }
}
