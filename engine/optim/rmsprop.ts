import * as z from 'zod';
import { kind, type Rules } from '../core/options';
import type { Parameter } from '../core/parameter';
import { BaseOptimizer, type ParamState, type ParamStateView } from './optimizer';
import { eps, lr, maximizeAndSwitches, momentumBelowOne, nonNegative, unitInterval, weightDecay } from './options';

export const rmspropOptions = kind('rmsprop', '`torch.optim.RMSprop`: divides by a running root mean square of the gradients.', {
  lr: lr(1e-2),
  alpha: unitInterval(0.99, 'Smoothing constant of the running mean of squared gradients.'),
  eps: eps(1e-8),
  weight_decay: weightDecay(),
  momentum: nonNegative(0, 'Momentum factor applied to the scaled step (0 = none).'),
  centered: z
    .boolean()
    .default(false)
    .describe("Centered RMSprop: divide by an estimate of the gradient's variance (its mean square minus its squared mean)."),
  ...maximizeAndSwitches,
});
export type RmspropSpec = z.output<typeof rmspropOptions>;

export const rmspropRules: Rules<RmspropSpec> = ({ momentum }, report) => momentumBelowOne(momentum, report.warn);

/** Under torch's state keys. */
type RmspropState = {
  step: number;
  /** Running average of g². */
  readonly square_avg: Float32Array;
  /** Velocity (torch allocates it only when momentum > 0; kept always so momentum can be scheduled). */
  readonly momentum_buffer: Float32Array;
  /** Running average of g (centered only; empty otherwise). */
  readonly grad_avg: Float32Array;
};

/**
 * `torch.optim.RMSprop` (PyTorch 1.13, `_single_tensor_rmsprop`). Per element:
 *   g ← −g if maximize;  g ← g + weight_decay·p
 *   v ← α·v + (1 − α)·g²
 *   centered: ḡ ← α·ḡ + (1 − α)·g;  avg ← √(v − ḡ²) + eps      else avg ← √v + eps
 *   momentum > 0: buf ← momentum·buf + g/avg;  p ← p − lr·buf      else p ← p − lr·g/avg
 */
export class Rmsprop extends BaseOptimizer<RmspropSpec, RmspropState> {
  constructor(spec: RmspropSpec, params: readonly Parameter[]) {
    super(
      spec,
      params,
      (p) => ({
        step: 0,
        square_avg: new Float32Array(p.size),
        momentum_buffer: new Float32Array(p.size),
        grad_avg: new Float32Array(spec.centered ? p.size : 0),
      }),
      'momentum',
    );
  }

  protected updateParam(param: Parameter, state: RmspropState): void {
    const { alpha, eps, weight_decay: weightDecay, centered, maximize } = this.spec;
    const momentum = this.momentum as number;
    const lr = this.lr;
    state.step++;
    const p = param.data;
    const grad = param.grad;
    const { square_avg: v, grad_avg: gAvg, momentum_buffer: buf } = state;
    for (let j = 0; j < p.length; j++) {
      let g = maximize ? -grad[j] : grad[j];
      if (weightDecay !== 0) g += weightDecay * p[j];
      v[j] = alpha * v[j] + (1 - alpha) * g * g;
      let avg: number;
      if (centered) {
        gAvg[j] = alpha * gAvg[j] + (1 - alpha) * g;
        // torch rounds v − ḡ² to float32 before the square root.
        avg = Math.sqrt(Math.fround(v[j] - gAvg[j] * gAvg[j])) + eps;
      } else {
        avg = Math.sqrt(v[j]) + eps;
      }
      if (momentum > 0) {
        buf[j] = momentum * buf[j] + g / avg;
        p[j] -= lr * buf[j];
      } else {
        p[j] -= (lr * g) / avg;
      }
    }
  }

  /** As exportState, without copies: the velocity only while momentum is in use. */
  protected override viewState(state: RmspropState): ParamStateView {
    if (this.spec.momentum > 0 || (this.momentum as number) > 0) return state;
    return { step: state.step, square_avg: state.square_avg, grad_avg: state.grad_avg };
  }

  /** torch has momentum_buffer only when momentum > 0 (and grad_avg only when centered, as ours). */
  protected override exportState(state: RmspropState): ParamState {
    const out = super.exportState(state);
    if (!(this.spec.momentum > 0 || (this.momentum as number) > 0)) delete out.momentum_buffer;
    return out;
  }
}
