import type * as z from 'zod';
import { kind } from '../core/options';
import type { Parameter } from '../core/parameter';
import { BaseOptimizer } from './optimizer';
import { lr, nonNegative } from './options';

/**
 * Gradient descent with "gradient-based learning-rate control": before each step every coordinate's
 * learning rate is multiplied by 1 / (1 + control_factor·√|g|).
 */
export const sgdGradLrControlOptions = kind(
  'sgd_grad_lr_control',
  "Gradient descent with gradient-based learning-rate control: each coordinate's step is scaled by 1 / (1 + control_factor·√|g|) (the course notes' scheme).",
  {
    lr: lr(0.1),
    control_factor: nonNegative(0.99, 'How strongly large gradients shrink their own step: scale 1 / (1 + control_factor·√|g|).'),
  },
);
export type SgdGradLrControlSpec = z.output<typeof sgdGradLrControlOptions>;

type GradLrControlState = {
  step: number;
  /** Each coordinate's learning rate as a fraction of lr: the product of the control factors so far. */
  readonly lr_factor: Float32Array;
};

/**
 * Gradient descent with "gradient-based learning-rate control", the course's `vanilla_gd_gradlr`
 * (the course notes): on every iteration, with the gradient g = f'(x) and c = control_factor,
 *   α ← α · 1/(1 + c·√|g|);   x ← x − α·g
 * The seed's x is a scalar; with a vector x its NumPy code makes α a vector (α·array broadcasts),
 * so every coordinate keeps its own α = lr·lr_factor. Large gradients shrink a coordinate's rate
 * faster; the rate never grows. Not in torch.optim.
 */
export class SgdGradLrControl extends BaseOptimizer<SgdGradLrControlSpec, GradLrControlState> {
  constructor(spec: SgdGradLrControlSpec, params: readonly Parameter[]) {
    super(spec, params, (p) => ({ step: 0, lr_factor: new Float32Array(p.size).fill(1) }));
  }

  protected updateParam(param: Parameter, state: GradLrControlState): void {
    const c = this.spec.control_factor;
    const lr = this.lr;
    state.step++;
    const p = param.data;
    const grad = param.grad;
    const factor = state.lr_factor;
    for (let j = 0; j < p.length; j++) {
      const g = grad[j];
      factor[j] *= 1 / (1 + c * Math.sqrt(Math.abs(g)));
      p[j] -= lr * factor[j] * g;
    }
  }
}
