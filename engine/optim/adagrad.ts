import type * as z from 'zod';
import { kind } from '../core/options';
import type { Parameter } from '../core/parameter';
import { BaseOptimizer } from './optimizer';
import { eps, lr, maximizeAndSwitches, nonNegative, weightDecay } from './options';

export const adagradOptions = kind('adagrad', '`torch.optim.Adagrad`: per-coordinate learning rates that shrink with the sum of past squared gradients.', {
  lr: lr(1e-2),
  lr_decay: nonNegative(0, 'Learning-rate decay: step t uses lr / (1 + (t − 1)·lr_decay).'),
  weight_decay: weightDecay(),
  initial_accumulator_value: nonNegative(0, 'Starting value of the sum of squared gradients.'),
  eps: eps(1e-10),
  ...maximizeAndSwitches,
});
export type AdagradSpec = z.output<typeof adagradOptions>;

/** Under torch's state keys. */
type AdagradState = {
  step: number;
  /** Sum of squared gradients, starting at initial_accumulator_value. */
  readonly sum: Float32Array;
};

/**
 * `torch.optim.Adagrad` (PyTorch 1.13, `_single_tensor_adagrad`, dense gradients). At step t:
 *   g ← −g if maximize;  g ← g + weight_decay·p
 *   clr ← lr / (1 + (t − 1)·lr_decay)
 *   sum ← sum + g²;   p ← p − clr·g / (√sum + eps)
 */
export class Adagrad extends BaseOptimizer<AdagradSpec, AdagradState> {
  constructor(spec: AdagradSpec, params: readonly Parameter[]) {
    super(spec, params, (p) => ({ step: 0, sum: new Float32Array(p.size).fill(spec.initial_accumulator_value) }));
  }

  protected updateParam(param: Parameter, state: AdagradState): void {
    const { lr_decay: lrDecay, weight_decay: weightDecay, eps, maximize } = this.spec;
    const step = ++state.step;
    const clr = this.lr / (1 + (step - 1) * lrDecay);
    const p = param.data;
    const grad = param.grad;
    const sum = state.sum;
    for (let j = 0; j < p.length; j++) {
      let g = maximize ? -grad[j] : grad[j];
      if (weightDecay !== 0) g += weightDecay * p[j];
      sum[j] += g * g;
      p[j] -= (clr * g) / (Math.sqrt(sum[j]) + eps);
    }
  }
}
