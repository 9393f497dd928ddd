import * as z from 'zod';
import { kind } from '../core/options';
import type { Parameter } from '../core/parameter';
import { BaseOptimizer } from './optimizer';
import { lr } from './options';

/** Gradient descent whose learning rate decays geometrically: before step t, lr ← decay·lr (lr₀·decayᵗ). */
export const sgdLrDecayOptions = kind(
  'sgd_lr_decay',
  "Gradient descent whose learning rate decays geometrically: before every step, lr ← decay·lr (the course notes' scheme).",
  {
    // The defaults of the course's code (alpha = 0.1, factor 0.99).
    lr: lr(0.1),
    decay: z.number().gt(0).max(1).default(0.99).describe('The learning rate is multiplied by this before every step, in (0, 1].'),
  },
);
export type SgdLrDecaySpec = z.output<typeof sgdLrDecayOptions>;

/** No per-parameter state: the decayed learning rate is the optimizer's `lr` (param_groups[0].lr). */
type NoState = Record<string, never>;

/**
 * Gradient descent with learning-rate decay, the course's `vanilla_gd_lrdecay` (the course notes,
 * "Adding a decay to hyperparameters"): on every iteration, first α ← K·α, then x ← x − α·f'(x).
 * So step t (from 1) uses lr₀·decayᵗ, and `lr` reads back the rate the last step used. Not in
 * torch.optim (torch's equivalent is SGD with ExponentialLR, which uses lr₀·decayᵗ⁻¹ at step t).
 */
export class SgdLrDecay extends BaseOptimizer<SgdLrDecaySpec, NoState> {
  constructor(spec: SgdLrDecaySpec, params: readonly Parameter[]) {
    super(spec, params, () => ({}));
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
