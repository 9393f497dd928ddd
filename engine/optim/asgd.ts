import type * as z from 'zod';
import { kind } from '../core/options';
import type { Parameter } from '../core/parameter';
import { BaseOptimizer } from './optimizer';
import { lr, maximizeAndSwitches, nonNegative, weightDecay } from './options';

/** Averaged SGD: evaluation uses the running average `ax` of the parameters once step > t0. */
export const asgdOptions = kind('asgd', '`torch.optim.ASGD`: averaged SGD; evaluation uses the running average of the weights.', {
  lr: lr(1e-2),
  lambd: nonNegative(1e-4, "Decay term of ASGD's learning rate."),
  alpha: nonNegative(0.75, 'Power of the learning-rate decay: eta = lr / (1 + lambd·lr·t)^alpha.'),
  t0: nonNegative(1e6, 'The step from which the weights are averaged.'),
  weight_decay: weightDecay(),
  ...maximizeAndSwitches,
});
export type AsgdSpec = z.output<typeof asgdOptions>;

/** Under torch's state keys (eta and mu are float32 scalar tensors in torch). */
type AsgdState = {
  step: number;
  /** The step size of the next update. */
  eta: number;
  /** The averaging weight of the next update: 1 until step > t0, then 1/(step − t0). */
  mu: number;
  /** The averaged parameters. */
  readonly ax: Float32Array;
};

/**
 * `torch.optim.ASGD` (PyTorch 1.13, `_single_tensor_asgd`; Polyak–Juditsky averaging). At step t,
 * with η and μ from the previous step (η₀ = lr, μ₀ = 1):
 *   g ← −g if maximize;  g ← g + weight_decay·p
 *   p ← p·(1 − λ·η);   p ← p − η·g
 *   ax ← ax + μ·(p − ax) if μ ≠ 1, else ax ← p
 *   η ← lr / (1 + λ·lr·t)^α;   μ ← 1 / max(1, t − t0)
 * Once averaging has started, `evaluationValues()` returns `ax`: what the averaged model predicts.
 */
export class Asgd extends BaseOptimizer<AsgdSpec, AsgdState> {
  private readonly averages: ReadonlyMap<Parameter, Float32Array>;

  constructor(spec: AsgdSpec, params: readonly Parameter[]) {
    super(spec, params, (p) => ({ step: 0, eta: Math.fround(spec.lr), mu: 1, ax: new Float32Array(p.size) }));
    this.averages = this.averageMap();
  }

  protected updateParam(param: Parameter, state: AsgdState): void {
    const { lambd, alpha, t0, weight_decay: weightDecay, maximize } = this.spec;
    const lr = this.lr;
    const step = ++state.step;
    const eta = state.eta;
    const mu = state.mu;
    const decay = 1 - lambd * eta;
    const p = param.data;
    const grad = param.grad;
    const ax = state.ax;
    for (let j = 0; j < p.length; j++) {
      let g = maximize ? -grad[j] : grad[j];
      if (weightDecay !== 0) g = Math.fround(g + weightDecay * p[j]);
      // Two in-place operations in torch, each rounded to float32.
      p[j] *= decay;
      p[j] -= eta * g;
      if (mu !== 1) ax[j] += Math.fround(p[j] - ax[j]) * mu;
      else ax[j] = p[j];
    }
    state.eta = Math.fround(lr / Math.pow(1 + lambd * lr * step, alpha));
    state.mu = Math.fround(1 / Math.max(1, step - t0));
  }

  /** The averages `ax` once averaging has started (μ < 1), else undefined (ax would equal p). */
  override evaluationValues(): ReadonlyMap<Parameter, Float32Array> | undefined {
    const first = this.state[0];
    return first !== undefined && first.mu < 1 ? this.averages : undefined;
  }

  private averageMap(): ReadonlyMap<Parameter, Float32Array> {
    const map = new Map<Parameter, Float32Array>();
    this.params.forEach((p, i) => map.set(p, this.state[i].ax));
    return map;
  }
}
