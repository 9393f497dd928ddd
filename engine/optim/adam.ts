import * as z from 'zod';
import { kind } from '../core/options';
import type { Parameter } from '../core/parameter';
import { allocateFloat32 } from '../core/memory';
import { residentKernelsFor } from '../core/wasm/residency';
import { BaseOptimizer } from './optimizer';
import { amsgrad, betas, eps, lr, maximize, nonNegative, torchSwitches } from './options';

export const adamOptions = kind('adam', '`torch.optim.Adam`: momentum plus RMSprop scaling, bias-corrected.', {
  lr: lr(1e-3),
  betas,
  eps: eps(1e-8),
  weight_decay: nonNegative(0, 'L2 penalty added to the gradient (g ← g + weight_decay·p); with `decoupled_weight_decay`, the weights shrink by lr·weight_decay instead.'),
  amsgrad,
  maximize,
  decoupled_weight_decay: z
    .boolean()
    .default(false)
    .describe('Decay the weights directly, p ← p·(1 − lr·weight_decay), instead of adding weight_decay·p to the gradient: this is AdamW (torch 2.x).'),
  ...torchSwitches,
});
export type AdamSpec = z.output<typeof adamOptions>;

/** Under torch's state keys. */
export type AdamState = {
  /** Number of updates applied to this parameter. */
  step: number;
  /** First moment. */
  readonly exp_avg: Float32Array;
  /** Second moment. */
  readonly exp_avg_sq: Float32Array;
  /** Running maximum of the second moment (amsgrad only; empty otherwise). */
  readonly max_exp_avg_sq: Float32Array;
};

/**
 * `torch.optim.Adam` (PyTorch 1.13 / 2.x, `_single_tensor_adam`). Per element, at step t:
 *   g ← −g if maximize
 *   p ← p·(1 − lr·weight_decay) if decoupled_weight_decay (AdamW), else g ← g + weight_decay·p
 *   m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²
 *   v̂ ← max(v̂, v) if amsgrad, else v
 *   p ← p − lr/(1 − β1ᵗ) · m / (√v̂ / √(1 − β2ᵗ) + eps)
 */
export class Adam<S extends Omit<AdamSpec, 'type'> & { type: 'adam' | 'adamw' } = AdamSpec> extends BaseOptimizer<S, AdamState> {
  constructor(spec: S, params: readonly Parameter[]) {
    super(spec, params, (p) => createAdamState(p, spec.amsgrad), 'betas');
  }

  protected updateParam(param: Parameter, state: AdamState): void {
    const { betas, eps, amsgrad, maximize, decoupled_weight_decay: decoupled } = this.spec;
    const beta1 = this.momentum as number;
    const beta2 = betas[1];
    const step = ++state.step;
    const stepSize = this.lr / (1 - beta1 ** step);
    const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** step);
    const p = param.data;
    const grad = param.grad;
    const { exp_avg: m, exp_avg_sq: v, max_exp_avg_sq: vMax } = state;
    let weightDecay = this.spec.weight_decay;
    if (decoupled && weightDecay !== 0) {
      // torch stores the decayed parameter before the Adam step reads it.
      const decay = 1 - this.lr * weightDecay;
      for (let j = 0; j < p.length; j++) p[j] *= decay;
      weightDecay = 0;
    }
    // In WebAssembly memory (a training run's buffers): the same update as SIMD (docs/engine.md).
    const simd = residentKernelsFor(p);
    if (simd?.adam(p, grad, m, v, vMax, { maximize, amsgrad, beta1, beta2, weightDecay, stepSize, biasCorrection2Sqrt, eps })) return;
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

export function createAdamState(p: Parameter, amsgrad: boolean): AdamState {
  return {
    step: 0,
    exp_avg: allocateFloat32(p.size),
    exp_avg_sq: allocateFloat32(p.size),
    max_exp_avg_sq: allocateFloat32(amsgrad ? p.size : 0),
  };
}
