import type * as z from 'zod';
import { kind } from '../core/options';
import type { Parameter } from '../core/parameter';
import { BaseOptimizer } from './optimizer';
import { betas, eps, lr, nonNegative, torchSwitches, weightDecay } from './options';

/** torch.optim.NAdam (no `maximize` in 1.13); the update is PyTorch ≥ 2.0's corrected formula. */
export const nadamOptions = kind('nadam', '`torch.optim.NAdam`: Adam with Nesterov momentum.', {
  lr: lr(2e-3),
  betas,
  eps: eps(1e-8),
  weight_decay: weightDecay(),
  momentum_decay: nonNegative(4e-3, "How fast NAdam's momentum schedule approaches beta1."),
  ...torchSwitches,
});
export type NAdamSpec = z.output<typeof nadamOptions>;

/** Under torch's state keys. */
type NAdamState = {
  step: number;
  /** Product of the momentum schedule μ₁·…·μₜ (a float32 scalar tensor in torch). */
  mu_product: number;
  readonly exp_avg: Float32Array;
  readonly exp_avg_sq: Float32Array;
};

/**
 * `torch.optim.NAdam` with PyTorch ≥ 2.0's update (`_single_tensor_nadam`). 1.13 multiplied μₜ into
 * the next-step product twice (mu_product·μₜ·μₜ₊₁); 2.0 fixed it to mu_product·μₜ₊₁, which is what
 * Dozat's algorithm and torch's own documentation say. At step t, with ψ = momentum_decay:
 *   g ← g + weight_decay·p
 *   μₜ = β1·(1 − ½·0.96^(tψ));   μₜ₊₁ = β1·(1 − ½·0.96^((t+1)ψ));   Πₜ = Πₜ₋₁·μₜ
 *   m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²;   denom = √(v / (1 − β2ᵗ)) + eps
 *   p ← p − lr·(1 − μₜ)/(1 − Πₜ) · g/denom − lr·μₜ₊₁/(1 − Πₜ·μₜ₊₁) · m/denom
 */
export class NAdam extends BaseOptimizer<NAdamSpec, NAdamState> {
  constructor(spec: NAdamSpec, params: readonly Parameter[]) {
    super(
      spec,
      params,
      (p) => ({ step: 0, mu_product: 1, exp_avg: new Float32Array(p.size), exp_avg_sq: new Float32Array(p.size) }),
      'betas',
    );
  }

  protected updateParam(param: Parameter, state: NAdamState): void {
    const { betas, eps, weight_decay: weightDecay, momentum_decay: psi } = this.spec;
    const beta1 = this.momentum as number;
    const beta2 = betas[1];
    const lr = this.lr;
    const step = ++state.step;
    const biasCorrection2 = 1 - beta2 ** step;
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * psi));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * psi));
    // torch keeps the product in a float32 tensor.
    state.mu_product = Math.fround(state.mu_product * mu);
    const muProductNext = state.mu_product * muNext;
    const gradCoef = (lr * (1 - mu)) / (1 - state.mu_product);
    const avgCoef = (lr * muNext) / (1 - muProductNext);
    const p = param.data;
    const grad = param.grad;
    const { exp_avg: m, exp_avg_sq: v } = state;
    for (let j = 0; j < p.length; j++) {
      let g = grad[j];
      if (weightDecay !== 0) g = Math.fround(g + weightDecay * p[j]);
      m[j] = beta1 * m[j] + (1 - beta1) * g;
      v[j] = beta2 * v[j] + (1 - beta2) * g * g;
      const denom = Math.fround(Math.sqrt(v[j] / biasCorrection2) + eps);
      // Two separate in-place additions in torch, each rounded to float32.
      p[j] -= (gradCoef * g) / denom;
      p[j] -= (avgCoef * m[j]) / denom;
    }
  }
}
