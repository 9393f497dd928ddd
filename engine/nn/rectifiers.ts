/**
 * Piecewise activations: ReLU, LeakyReLU, the ELU family (ELU, SELU, CELU) and Hardtanh. At the
 * kinks each derivative takes the value torch's backward kernels give (noted per class), so
 * gradients agree with torch even on inputs that sit exactly on a kink.
 */
import { Elementwise, torchNumber } from './elementwise';
import { residentKernelsFor } from '../core/wasm/residency';

/**
 * torch.nn.ReLU. The derivative at exactly 0 is taken as 0, as torch does; NaN passes through
 * (torch clamps with clamp_min, which propagates NaN), so a diverging run stays visible.
 */
export class ReLU extends Elementwise {
  protected map(input: Float32Array, size: number): void {
    const y = this.output;
    // In WebAssembly memory (a training run's buffers): the same masks, as SIMD.
    if (residentKernelsFor(y)?.relu(input, y, size)) return;
    for (let i = 0; i < size; i++) {
      const v = input[i];
      y[i] = v <= 0 ? 0 : v;
    }
  }

  protected mapGradient(gradOutput: Float32Array, size: number): void {
    // output ≤ 0 exactly when input ≤ 0, so the output is all backward needs (torch:
    // `x <= 0 ? 0 : g`).
    const y = this.output;
    const g = this.gradInput;
    if (residentKernelsFor(y)?.reluGrad(y, gradOutput, g, size)) return;
    for (let i = 0; i < size; i++) g[i] = y[i] <= 0 ? 0 : gradOutput[i];
  }

  describe(): string {
    return 'ReLU';
  }
}

/** torch.nn.LeakyReLU: x > 0 ? x : slope·x; derivative at 0 = slope (torch: `x > 0 ? g : g·slope`). */
export class LeakyReLU extends Elementwise {
  constructor(
    features: number,
    maxRows: number,
    readonly negativeSlope = 0.01,
  ) {
    super(features, maxRows);
  }

  protected map(input: Float32Array, size: number): void {
    const y = this.output;
    const slope = this.negativeSlope;
    for (let i = 0; i < size; i++) {
      const v = input[i];
      y[i] = v > 0 ? v : v * slope;
    }
  }

  protected mapGradient(gradOutput: Float32Array, size: number): void {
    const x = this.input;
    const g = this.gradInput;
    const slope = this.negativeSlope;
    for (let i = 0; i < size; i++) g[i] = x[i] > 0 ? gradOutput[i] : gradOutput[i] * slope;
  }

  describe(): string {
    return this.negativeSlope === 0.01 ? 'LeakyReLU' : `LeakyReLU(negative_slope=${torchNumber(this.negativeSlope)})`;
  }
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/**
 * torch's elu kernel with its three coefficients: x > 0 ? scale·x : alpha·scale·(e^{x·inputScale} − 1).
 * ELU(alpha) = (alpha, 1, 1); SELU = (1.6733, 1.0507, 1); CELU(alpha) = (alpha, 1, 1/alpha).
 * Derivative for x ≤ 0 (0 included, as torch): alpha·scale·inputScale·e^{x·inputScale}.
 * expm1 keeps e^x − 1 accurate near 0 (torch's float32 exp − 1 is within its own rounding of it).
 */
export class ExponentialLinear extends Elementwise {
  private readonly negativeCoefficient: number;

  private constructor(
    features: number,
    maxRows: number,
    private readonly name: string,
    private readonly alpha: number,
    private readonly scale: number,
    private readonly inputScale: number,
  ) {
    super(features, maxRows);
    this.negativeCoefficient = alpha * scale;
  }

  /** torch.nn.ELU(alpha). */
  static elu(features: number, maxRows: number, alpha = 1): ExponentialLinear {
    return new ExponentialLinear(features, maxRows, 'ELU', alpha, 1, 1);
  }

  /** torch.nn.SELU: λ·ELU(x, α) with the self-normalizing constants. */
  static selu(features: number, maxRows: number): ExponentialLinear {
    return new ExponentialLinear(features, maxRows, 'SELU', SELU_ALPHA, SELU_SCALE, 1);
  }

  /** torch.nn.CELU(alpha): x > 0 ? x : alpha·(e^{x/alpha} − 1), continuously differentiable at 0. */
  static celu(features: number, maxRows: number, alpha = 1): ExponentialLinear {
    if (alpha === 0) throw new RangeError('CELU: alpha must not be 0 (the layer divides by it)');
    return new ExponentialLinear(features, maxRows, 'CELU', alpha, 1, 1 / alpha);
  }

  protected map(input: Float32Array, size: number): void {
    const y = this.output;
    const { scale, inputScale, negativeCoefficient } = this;
    for (let i = 0; i < size; i++) {
      const v = input[i];
      y[i] = v > 0 ? v * scale : negativeCoefficient * Math.expm1(v * inputScale);
    }
  }

  protected mapGradient(gradOutput: Float32Array, size: number): void {
    const x = this.input;
    const g = this.gradInput;
    const { scale, inputScale } = this;
    const negative = this.negativeCoefficient * inputScale;
    for (let i = 0; i < size; i++) {
      const v = x[i];
      g[i] = v <= 0 ? gradOutput[i] * negative * Math.exp(v * inputScale) : gradOutput[i] * scale;
    }
  }

  describe(): string {
    if (this.name === 'SELU' || this.alpha === 1) return this.name;
    return `${this.name}(alpha=${torchNumber(this.alpha)})`;
  }
}

/**
 * torch.nn.Hardtanh: clamp to [min_val, max_val]; the gradient is 0 at and beyond both ends
 * (torch: `x <= min || x >= max ? 0 : g`).
 */
export class Hardtanh extends Elementwise {
  constructor(
    features: number,
    maxRows: number,
    readonly minVal = -1,
    readonly maxVal = 1,
  ) {
    super(features, maxRows);
    if (!(minVal < maxVal)) throw new RangeError(`Hardtanh: min_val (${minVal}) must be less than max_val (${maxVal})`);
  }

  protected map(input: Float32Array, size: number): void {
    const y = this.output;
    const { minVal, maxVal } = this;
    for (let i = 0; i < size; i++) {
      const v = input[i];
      y[i] = v < minVal ? minVal : v > maxVal ? maxVal : v;
    }
  }

  protected mapGradient(gradOutput: Float32Array, size: number): void {
    const x = this.input;
    const g = this.gradInput;
    const { minVal, maxVal } = this;
    for (let i = 0; i < size; i++) {
      const v = x[i];
      g[i] = v <= minVal || v >= maxVal ? 0 : gradOutput[i];
    }
  }

  describe(): string {
    return this.minVal === -1 && this.maxVal === 1
      ? 'Hardtanh'
      : `Hardtanh(min_val=${torchNumber(this.minVal)}, max_val=${torchNumber(this.maxVal)})`;
  }
}

/** torch.nn.ReLU6: min(max(0, x), 6) — torch's own subclass of Hardtanh(0, 6), as here. */
export class ReLU6 extends Hardtanh {
  constructor(features: number, maxRows: number) {
    super(features, maxRows, 0, 6);
  }

  override describe(): string {
    return 'ReLU6';
  }
}
