import type * as z from 'zod';
import { kind } from '../core/options';
import type { Parameter } from '../core/parameter';
import { BaseOptimizer } from './optimizer';
import { eps, lr, maximizeAndSwitches, unitInterval, weightDecay } from './options';

export const adadeltaOptions = kind('adadelta', '`torch.optim.Adadelta`: RMSprop with step sizes scaled by a running RMS of past updates (lr 1 needs no tuning).', {
  lr: lr(1.0),
  rho: unitInterval(0.9, 'Coefficient of the running averages of squared gradients and of squared updates.'),
  eps: eps(1e-6, "Term added inside the square roots for numerical stability (it also sets the first steps' size)."),
  weight_decay: weightDecay(),
  ...maximizeAndSwitches,
});
export type AdadeltaSpec = z.output<typeof adadeltaOptions>;

/** Under torch's state keys. */
type AdadeltaState = {
  step: number;
  /** Running average of g². */
  readonly square_avg: Float32Array;
  /** Running average of the squared updates. */
  readonly acc_delta: Float32Array;
};

/**
 * `torch.optim.Adadelta` (PyTorch 1.13, `_single_tensor_adadelta`). Per element:
 *   g ← −g if maximize;  g ← g + weight_decay·p
 *   v ← ρ·v + (1 − ρ)·g²
 *   Δ ← √(u + eps) / √(v + eps) · g;   u ← ρ·u + (1 − ρ)·Δ²
 *   p ← p − lr·Δ
 */
export class Adadelta extends BaseOptimizer<AdadeltaSpec, AdadeltaState> {
  constructor(spec: AdadeltaSpec, params: readonly Parameter[]) {
    super(spec, params, (p) => ({ step: 0, square_avg: new Float32Array(p.size), acc_delta: new Float32Array(p.size) }));
  }

  protected updateParam(param: Parameter, state: AdadeltaState): void {
    const { rho, eps, weight_decay: weightDecay, maximize } = this.spec;
    const lr = this.lr;
    state.step++;
    const p = param.data;
    const grad = param.grad;
    const { square_avg: v, acc_delta: u } = state;
    for (let j = 0; j < p.length; j++) {
      let g = maximize ? -grad[j] : grad[j];
      if (weightDecay !== 0) g += weightDecay * p[j];
      v[j] = rho * v[j] + (1 - rho) * g * g;
      const delta = Math.fround((Math.sqrt(u[j] + eps) / Math.sqrt(v[j] + eps)) * g);
      u[j] = rho * u[j] + (1 - rho) * delta * delta;
      p[j] -= lr * delta;
    }
  }
}
