import type * as z from 'zod';
import { kind, type Rules } from '../core/options';
import type { Parameter } from '../core/parameter';
import { BaseOptimizer } from './optimizer';
import { lr, maximizeAndSwitches, positivePair } from './options';

export const rpropOptions = kind(
  'rprop',
  '`torch.optim.Rprop`: resilient backpropagation; per-coordinate steps grow or shrink with the sign of the gradient (a full-batch method).',
  {
    lr: lr(1e-2),
    /** (etaminus, etaplus): 0 < etaminus < 1 < etaplus. */
    etas: positivePair([0.5, 1.2], 'Multiplicative decrease and increase factors (etaminus, etaplus), with 0 < etaminus < 1 < etaplus.'),
    /** (minimal, maximal) step size. */
    step_sizes: positivePair([1e-6, 50], 'The smallest and largest allowed step sizes (minimal, maximal).'),
    ...maximizeAndSwitches,
  },
);
export type RpropSpec = z.output<typeof rpropOptions>;

export const rpropRules: Rules<RpropSpec> = ({ etas, step_sizes: sizes }, report) => {
  if (etas && !(etas[0] > 0 && etas[0] < 1 && etas[1] > 1)) {
    report.error(
      ['etas'],
      `etas must be (etaminus, etaplus) with 0 < etaminus < 1 < etaplus (torch.optim.Rprop raises "Invalid eta values"), not [${etas.join(', ')}]: ` +
        'the step shrinks by etaminus when the gradient changes sign and grows by etaplus when it keeps it',
    );
  }
  if (sizes && !(sizes[0] <= sizes[1])) {
    report.error(['step_sizes'], `step_sizes must be (minimal, maximal) with minimal ≤ maximal, not [${sizes.join(', ')}]`);
  }
};

/** Under torch's state keys. */
type RpropState = {
  step: number;
  /** The previous gradient (zeroed where its sign flipped). */
  readonly prev: Float32Array;
  /** Each coordinate's own step size, starting at lr. */
  readonly step_size: Float32Array;
};

/**
 * `torch.optim.Rprop` (PyTorch 1.13, `_single_tensor_rprop`; Riedmiller & Braun's resilient
 * backpropagation, which uses only the sign of the gradient). Per element:
 *   g ← −g if maximize;  s = sign(g·prev)
 *   step_size ← clamp(step_size·(etaplus if s > 0, etaminus if s < 0, 1 if s = 0), min, max)
 *   g ← 0 where s < 0 (a sign flip: skip this coordinate once)
 *   p ← p − sign(g)·step_size;   prev ← g
 * The step sizes start at the lr of the first step; later changes of lr have no effect (as in torch).
 */
export class Rprop extends BaseOptimizer<RpropSpec, RpropState> {
  constructor(spec: RpropSpec, params: readonly Parameter[]) {
    super(spec, params, (p) => ({ step: 0, prev: new Float32Array(p.size), step_size: new Float32Array(p.size) }));
  }

  protected updateParam(param: Parameter, state: RpropState): void {
    const { etas, step_sizes: stepSizes, maximize } = this.spec;
    // torch holds the factors and the clamp bounds as float32.
    const etaminus = Math.fround(etas[0]);
    const etaplus = Math.fround(etas[1]);
    const stepSizeMin = Math.fround(stepSizes[0]);
    const stepSizeMax = Math.fround(stepSizes[1]);
    const { prev, step_size: stepSize } = state;
    // torch creates the step sizes lazily, filled with the lr in force at the first step.
    if (state.step === 0) stepSize.fill(this.lr);
    state.step++;
    const p = param.data;
    const grad = param.grad;
    for (let j = 0; j < p.length; j++) {
      let g = maximize ? -grad[j] : grad[j];
      // The float32 product, as torch's grad.mul(prev) may underflow to 0 (no change of step size).
      const s = Math.sign(Math.fround(g * prev[j]));
      const factor = s > 0 ? etaplus : s < 0 ? etaminus : s === 0 ? 1 : NaN;
      // Math.min/max propagate NaN as torch.clamp does.
      stepSize[j] = Math.min(Math.max(stepSize[j] * factor, stepSizeMin), stepSizeMax);
      if (s < 0) g = 0;
      p[j] -= Math.sign(g) * stepSize[j];
      prev[j] = g;
    }
  }
}
