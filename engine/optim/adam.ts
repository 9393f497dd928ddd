import type { AdamSpec } from './spec';
import type { Parameter } from '../nn/parameter';
import { BaseOptimizer, invalid } from './optimizer';

interface AdamState {
  /** Number of updates applied to this parameter (torch's state['step']). */
  step: number;
  /** First moment, torch's exp_avg. */
  readonly expAvg: Float32Array;
  /** Second moment, torch's exp_avg_sq. */
  readonly expAvgSq: Float32Array;
  /** Running maximum of the second moment (amsgrad only; empty otherwise). */
  readonly maxExpAvgSq: Float32Array;
}

/**
 * `torch.optim.Adam` (PyTorch 1.13 / 2.x, `_single_tensor_adam`). Per element, at step t:
 *   g ← −g if maximize;  g ← g + weight_decay·p          (L2 on the gradient, not AdamW's decay)
 *   m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²
 *   v̂ ← max(v̂, v) if amsgrad, else v
 *   p ← p − lr/(1 − β1ᵗ) · m / (√v̂ / √(1 − β2ᵗ) + eps)
 */
export class Adam extends BaseOptimizer<AdamSpec, AdamState> {
  constructor(spec: AdamSpec, params: readonly Parameter[]) {
    super(spec, params, (p) => ({
      step: 0,
      expAvg: new Float32Array(p.size),
      expAvgSq: new Float32Array(p.size),
      maxExpAvgSq: new Float32Array(spec.amsgrad ? p.size : 0),
    }));
    const [beta1, beta2] = spec.betas;
    if (!(spec.eps >= 0)) invalid(`Invalid epsilon value: ${spec.eps}`, 'eps');
    if (!(beta1 >= 0 && beta1 < 1)) invalid(`Invalid beta parameter at index 0: ${beta1}`, 'betas');
    if (!(beta2 >= 0 && beta2 < 1)) invalid(`Invalid beta parameter at index 1: ${beta2}`, 'betas');
    if (!(spec.weight_decay >= 0)) invalid(`Invalid weight_decay value: ${spec.weight_decay}`, 'weight_decay');
  }

  protected updateParam(param: Parameter, state: AdamState): void {
    const { betas, eps, weight_decay: weightDecay, amsgrad, maximize } = this.spec;
    const [beta1, beta2] = betas;
    const step = ++state.step;
    const stepSize = this.lr / (1 - beta1 ** step);
    const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** step);
    const p = param.data;
    const grad = param.grad;
    const { expAvg: m, expAvgSq: v, maxExpAvgSq: vMax } = state;
    for (let j = 0; j < p.length; j++) {
      let g = maximize ? -grad[j] : grad[j];
      if (weightDecay !== 0) g += weightDecay * p[j];
      m[j] = beta1 * m[j] + (1 - beta1) * g;
      v[j] = beta2 * v[j] + (1 - beta2) * g * g;
      let second = v[j];
      if (amsgrad) {
        // Math.max, like torch.maximum, propagates NaN (a diverged run must stay visibly NaN).
        vMax[j] = Math.max(vMax[j], second);
        second = vMax[j];
      }
      const denom = Math.sqrt(second) / biasCorrection2Sqrt + eps;
      p[j] -= (stepSize * m[j]) / denom;
    }
  }
}
