import type * as z from 'zod';
import { kind } from '../core/options';
import type { Parameter } from '../core/parameter';
import { BaseOptimizer } from './optimizer';
import { amsgrad, betas, eps, lr, maximize, nonNegative, torchSwitches } from './options';

export const adamwOptions = kind('adamw', '`torch.optim.AdamW`: Adam with decoupled weight decay (the weights shrink by lr·weight_decay every step).', {
  lr: lr(1e-3),
  betas,
  eps: eps(1e-8),
  weight_decay: nonNegative(1e-2, 'Decoupled weight decay: the weights shrink by lr·weight_decay every step (not added to the gradient).'),
  amsgrad,
  maximize,
  ...torchSwitches,
});
/** Adam with decoupled weight decay (p ← p·(1 − lr·weight_decay) before the Adam step). */
export type AdamWSpec = z.output<typeof adamwOptions>;
import { createAdamState, type AdamState } from './adam';

/**
 * `torch.optim.AdamW` (PyTorch 1.13, `_single_tensor_adamw`): Adam whose weight decay is decoupled
 * from the gradient (Loshchilov & Hutter) — it shrinks the parameter directly, scaled by lr:
 *   g ← −g if maximize
 *   p ← p·(1 − lr·weight_decay)
 *   m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²;   v̂ ← max(v̂, v) if amsgrad, else v
 *   p ← p − lr/(1 − β1ᵗ) · m / (√v̂ / √(1 − β2ᵗ) + eps)
 */
export class AdamW extends BaseOptimizer<AdamWSpec, AdamState> {
  constructor(spec: AdamWSpec, params: readonly Parameter[]) {
    super(spec, params, (p) => createAdamState(p, spec.amsgrad), 'betas');
  }

  protected updateParam(param: Parameter, state: AdamState): void {
    const { betas, eps, weight_decay: weightDecay, amsgrad, maximize } = this.spec;
    const beta1 = this.momentum as number;
    const beta2 = betas[1];
    const lr = this.lr;
    const step = ++state.step;
    const stepSize = lr / (1 - beta1 ** step);
    const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** step);
    const decay = 1 - lr * weightDecay;
    const p = param.data;
    const grad = param.grad;
    const { exp_avg: m, exp_avg_sq: v, max_exp_avg_sq: vMax } = state;
    for (let j = 0; j < p.length; j++) {
      const g = maximize ? -grad[j] : grad[j];
      // torch stores the decayed parameter before the Adam step reads it.
      p[j] *= decay;
      m[j] = beta1 * m[j] + (1 - beta1) * g;
      v[j] = beta2 * v[j] + (1 - beta2) * g * g;
      let second = v[j];
      if (amsgrad) {
        vMax[j] = Math.max(vMax[j], second);
        second = vMax[j];
      }
      const denom = Math.sqrt(second) / biasCorrection2Sqrt + eps;
      p[j] -= (stepSize * m[j]) / denom;
    }
  }
}
