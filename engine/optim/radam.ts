import type * as z from 'zod';
import { kind } from '../core/options';
import type { Parameter } from '../core/parameter';
import { BaseOptimizer } from './optimizer';
import { betas, eps, lr, torchSwitches, weightDecay } from './options';

/** torch.optim.RAdam as in 1.13 (L2 weight decay only, no `maximize`). */
export const radamOptions = kind('radam', '`torch.optim.RAdam`: Adam with a rectified variance estimate (no warm-up needed).', {
  lr: lr(1e-3),
  betas,
  eps: eps(1e-8),
  weight_decay: weightDecay(),
  ...torchSwitches,
});
export type RAdamSpec = z.output<typeof radamOptions>;

/** Under torch's state keys. */
type RAdamState = {
  step: number;
  readonly exp_avg: Float32Array;
  readonly exp_avg_sq: Float32Array;
};

/**
 * `torch.optim.RAdam` (PyTorch 1.13, `_single_tensor_radam`; Liu et al. 2019). At step t:
 *   g ← g + weight_decay·p;   m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²
 *   ρ∞ = 2/(1 − β2) − 1;   ρₜ = ρ∞ − 2t·β2ᵗ/(1 − β2ᵗ)
 *   ρₜ > 5: r = √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ));  p ← p − lr·m̂·r·√(1 − β2ᵗ)/(√v + eps)
 *   else (variance not yet tractable): p ← p − lr·m̂,  where m̂ = m/(1 − β1ᵗ)
 */
export class RAdam extends BaseOptimizer<RAdamSpec, RAdamState> {
  constructor(spec: RAdamSpec, params: readonly Parameter[]) {
    super(spec, params, (p) => ({ step: 0, exp_avg: new Float32Array(p.size), exp_avg_sq: new Float32Array(p.size) }), 'betas');
  }

  protected updateParam(param: Parameter, state: RAdamState): void {
    const { betas, eps, weight_decay: weightDecay } = this.spec;
    const beta1 = this.momentum as number;
    const beta2 = betas[1];
    const lr = this.lr;
    const step = ++state.step;
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2 = 1 - beta2 ** step;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2;
    const rectified = rhoT > 5;
    const rect = rectified ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
    const sqrtBc2 = Math.sqrt(biasCorrection2);
    const p = param.data;
    const grad = param.grad;
    const { exp_avg: m, exp_avg_sq: v } = state;
    for (let j = 0; j < p.length; j++) {
      let g = grad[j];
      if (weightDecay !== 0) g = Math.fround(g + weightDecay * p[j]);
      m[j] = beta1 * m[j] + (1 - beta1) * g;
      v[j] = beta2 * v[j] + (1 - beta2) * g * g;
      const corrected = m[j] / biasCorrection1;
      if (rectified) {
        const adaptiveLr = sqrtBc2 / (Math.sqrt(v[j]) + eps);
        p[j] -= corrected * lr * adaptiveLr * rect;
      } else {
        p[j] -= corrected * lr;
      }
    }
  }
}
