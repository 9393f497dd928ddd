import type { Nonlinearity } from './gain';
import type { InitDistribution } from './distribution';
import type { Fans } from './fans';
import { calculateGain } from './gain';
import { Initializer } from './initializer';

/** Which fan sets the variance: inputs (forward pass), outputs (backward pass), or their mean. */
export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type ScalingDistribution = 'uniform' | 'normal';

/**
 * The family behind Xavier/Glorot and Kaiming/He: zero-mean draws with std = gain / √fan, where fan
 * is chosen by `mode` (tfjs calls gain² the "scale"). A uniform draw with the same std has bound
 * √3 · std. Torch computes its formulas in exactly this order (std first, then √3 · std), so the
 * numbers agree with torch's to the last bit or two.
 */
export class VarianceScaling extends Initializer {
  constructor(
    readonly gain: number,
    readonly mode: FanMode,
    readonly shape: ScalingDistribution,
  ) {
    super();
  }

  /** The fan the variance is scaled by. */
  fan(fans: Fans): number {
    switch (this.mode) {
      case 'fan_in':
        return fans.fanIn;
      case 'fan_out':
        return fans.fanOut;
      case 'fan_avg':
        return (fans.fanIn + fans.fanOut) / 2;
    }
  }

  std(fans: Fans): number {
    const fan = this.fan(fans);
    // A zero fan only happens for an empty tensor, where nothing is drawn; torch also returns 0
    // (nn.Linear's bias bound) rather than dividing by zero.
    return fan > 0 ? this.gain / Math.sqrt(fan) : 0;
  }

  distribution(fans: Fans): InitDistribution {
    const std = this.std(fans);
    if (this.shape === 'normal') return { kind: 'normal', mean: 0, std };
    const bound = Math.sqrt(3.0) * std;
    return { kind: 'uniform', low: -bound, high: bound };
  }
}

/** `xavier_uniform_(t, gain)`: U(±gain·√(6 / (fan_in + fan_out))). */
export class XavierUniform extends VarianceScaling {
  constructor(gain: number) {
    super(gain, 'fan_avg', 'uniform');
  }
}

/** `xavier_normal_(t, gain)`: N(0, gain·√(2 / (fan_in + fan_out))). */
export class XavierNormal extends VarianceScaling {
  constructor(gain: number) {
    super(gain, 'fan_avg', 'normal');
  }
}

/** `kaiming_uniform_(t, a, mode, nonlinearity)`: U(±gain·√(3 / fan_mode)). */
export class KaimingUniform extends VarianceScaling {
  constructor(a: number, mode: 'fan_in' | 'fan_out', nonlinearity: Nonlinearity) {
    super(calculateGain(nonlinearity, a), mode, 'uniform');
  }
}

/** `kaiming_normal_(t, a, mode, nonlinearity)`: N(0, gain / √fan_mode). */
export class KaimingNormal extends VarianceScaling {
  constructor(a: number, mode: 'fan_in' | 'fan_out', nonlinearity: Nonlinearity) {
    super(calculateGain(nonlinearity, a), mode, 'normal');
  }
}

/**
 * `nn.Linear.reset_parameters`: the weight gets kaiming_uniform_(a=√5) — leaky_relu gain √(1/3),
 * so the bound is √3·√(1/3)/√fan_in = 1/√fan_in — and the bias gets U(±1/√fan_in) with the weight's
 * fan_in. Both are therefore the same distribution, which is why one class serves both.
 */
export class TorchLinearDefault extends KaimingUniform {
  constructor() {
    super(Math.sqrt(5), 'fan_in', 'leaky_relu');
  }
}

/**
 * LeCun uniform (not in torch.nn.init; Keras/tfjs `lecun_uniform`): U(±√(3 / fan_in)), variance
 * 1/fan_in — the course notes' "calibrate the variance with 1/√n". Identical to torch's
 * kaiming_uniform_(t, mode='fan_in', nonlinearity='linear').
 */
export class LecunUniform extends VarianceScaling {
  constructor() {
    super(1, 'fan_in', 'uniform');
  }
}

/**
 * LeCun normal: N(0, 1/fan_in), i.e. std = 1/√fan_in — the notes' `w = np.random.randn(n) / sqrt(n)`
 * and torch's kaiming_normal_(t, mode='fan_in', nonlinearity='linear') (what torch's docs suggest
 * for SELU). NOT truncated: Keras' lecun_normal draws a normal truncated at ±2σ′ with σ′ =
 * √(1/fan_in)/0.8796 (so the variance is still 1/fan_in), and tfjs truncates at ±2σ without that
 * correction (std ≈ 0.88/√fan_in). For the truncated variant use trunc_normal with
 * std = 1.1368/√fan_in (= 1/(0.8796·√fan_in)), a = −2·std, b = 2·std.
 */
export class LecunNormal extends VarianceScaling {
  constructor() {
    super(1, 'fan_in', 'normal');
  }
}
