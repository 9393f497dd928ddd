import type * as z from 'zod';
import { kind } from '../core/options';
import type { Parameter } from '../core/parameter';
import { BaseOptimizer } from './optimizer';
import { betas, eps, lr, maximizeAndSwitches, weightDecay } from './options';

export const adamaxOptions = kind('adamax', '`torch.optim.Adamax`: Adam with the infinity norm instead of the running RMS.', {
  lr: lr(2e-3),
  betas,
  eps: eps(1e-8),
  weight_decay: weightDecay(),
  ...maximizeAndSwitches,
});
export type AdamaxSpec = z.output<typeof adamaxOptions>;

/** Under torch's state keys. */
type AdamaxState = {
  step: number;
  readonly exp_avg: Float32Array;
  /** Exponentially weighted infinity norm of the gradients. */
  readonly exp_inf: Float32Array;
};

/**
 * `torch.optim.Adamax` (PyTorch 1.13, `_single_tensor_adamax`), Adam with the infinity norm:
 *   g ← −g if maximize;  g ← g + weight_decay·p
 *   m ← β1·m + (1 − β1)·g;   u ← max(β2·u, |g| + eps)
 *   p ← p − lr/(1 − β1ᵗ) · m / u
 */
export class Adamax extends BaseOptimizer<AdamaxSpec, AdamaxState> {
  constructor(spec: AdamaxSpec, params: readonly Parameter[]) {
    super(spec, params, (p) => ({ step: 0, exp_avg: new Float32Array(p.size), exp_inf: new Float32Array(p.size) }), 'betas');
  }

  protected updateParam(param: Parameter, state: AdamaxState): void {
    const { betas, eps, weight_decay: weightDecay, maximize } = this.spec;
    const beta1 = this.momentum as number;
    const beta2 = betas[1];
    const step = ++state.step;
    const clr = this.lr / (1 - beta1 ** step);
    const p = param.data;
    const grad = param.grad;
    const { exp_avg: m, exp_inf: u } = state;
    for (let j = 0; j < p.length; j++) {
      let g = maximize ? -grad[j] : grad[j];
      if (weightDecay !== 0) g += weightDecay * p[j];
      m[j] = beta1 * m[j] + (1 - beta1) * g;
      // torch.amax over the two float32 candidates: rounding each first gives the same maximum, and
      // Math.max propagates NaN as amax does.
      u[j] = Math.max(beta2 * u[j], Math.abs(g) + eps);
      p[j] -= (clr * m[j]) / u[j];
    }
  }
}
