import type { SgdLrDecaySpec } from './spec';
import type { Parameter } from '../nn/parameter';
import { BaseOptimizer, invalid } from './optimizer';

/** No per-parameter state: the decayed learning rate is the optimizer's `lr` (param_groups[0].lr). */
type NoState = Record<string, never>;

/**
 * Gradient descent with learning-rate decay, the course's `vanilla_gd_lrdecay` (seed 004,
 * "Adding a decay to hyperparameters"): on every iteration, first α ← K·α, then x ← x − α·f'(x).
 * So step t (from 1) uses lr₀·decayᵗ, and `lr` reads back the rate the last step used. Not in
 * torch.optim (torch's equivalent is SGD with ExponentialLR, which uses lr₀·decayᵗ⁻¹ at step t).
 */
export class SgdLrDecay extends BaseOptimizer<SgdLrDecaySpec, NoState> {
  constructor(spec: SgdLrDecaySpec, params: readonly Parameter[]) {
    super(spec, params, () => ({}));
    if (!(spec.decay > 0 && spec.decay <= 1)) invalid(`Invalid decay value: ${spec.decay} (expected 0 < decay ≤ 1)`, 'decay');
  }

  override step(closure?: () => number): void {
    this.lr *= this.spec.decay;
    super.step(closure);
  }

  protected updateParam(param: Parameter): void {
    const lr = this.lr;
    const p = param.data;
    const grad = param.grad;
    for (let j = 0; j < p.length; j++) p[j] -= lr * grad[j];
  }
}
