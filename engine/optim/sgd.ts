import * as z from 'zod';
import { about, kind, type Rules } from '../core/options';
import type { Parameter } from '../core/parameter';
import { allocateFloat32 } from '../core/memory';
import { residentKernelsFor } from '../core/wasm/residency';
import { BaseOptimizer, NO_STATE, type ParamState, type ParamStateView } from './optimizer';
import { maximizeAndSwitches, momentumBelowOne, nonNegative, weightDecay } from './options';

export const sgdOptions = kind('sgd', '`torch.optim.SGD`: gradient descent, with optional momentum (heavy ball or Nesterov) and weight decay.', {
  // torch.optim.SGD has no default learning rate (it was `required` until 2.x and is still the one
  // setting everyone must choose), so the file must say it.
  lr: z
    .number()
    .gt(0)
    .describe('Learning rate. Required: `torch.optim.SGD` has no default.')
    .register(about, { missingHint: '(the learning rate: torch.optim.SGD has no default; e.g. "lr": 0.1)' }),
  momentum: nonNegative(0, 'Momentum factor (PyTorch form: v ← μ·v + g; p ← p − lr·v).'),
  dampening: z.number().default(0).describe('Dampening for momentum (v ← μ·v + (1 − dampening)·g).'),
  weight_decay: weightDecay(),
  nesterov: z.boolean().default(false).describe('Nesterov momentum. Requires `momentum > 0` and `dampening = 0`.'),
  ...maximizeAndSwitches,
});
export type SgdSpec = z.output<typeof sgdOptions>;

export const sgdRules: Rules<SgdSpec> = ({ momentum, dampening, nesterov }, report) => {
  if (nesterov === true && momentum !== undefined && dampening !== undefined && (momentum <= 0 || dampening !== 0)) {
    const why = momentum <= 0 ? `momentum is ${momentum}` : `dampening is ${dampening}`;
    report.error(['nesterov'], `nesterov requires momentum > 0 and dampening = 0 (torch.optim.SGD raises otherwise); ${why}`);
  }
  momentumBelowOne(momentum, report.warn);
};

type SgdState = {
  /** Velocity; meaningful only once `hasBuffer` (torch's momentum_buffer starts as None). */
  readonly momentum_buffer: Float32Array;
  hasBuffer: boolean;
};

/**
 * `torch.optim.SGD` (PyTorch 1.13 / 2.x, `_single_tensor_sgd`). Per element, with g the gradient:
 *   g ← −g if maximize;  g ← g + weight_decay·p
 *   buf ← g on the first step, else momentum·buf + (1 − dampening)·g      (if momentum ≠ 0)
 *   g ← g + momentum·buf if nesterov, else buf
 *   p ← p − lr·g
 */
export class Sgd extends BaseOptimizer<SgdSpec, SgdState> {
  constructor(spec: SgdSpec, params: readonly Parameter[]) {
    super(spec, params, (p) => ({ momentum_buffer: allocateFloat32(p.size), hasBuffer: false }), 'momentum');
  }

  protected updateParam(param: Parameter, state: SgdState): void {
    const { dampening, weight_decay: weightDecay, nesterov, maximize } = this.spec;
    const momentum = this.momentum as number;
    const lr = this.lr;
    const p = param.data;
    const grad = param.grad;
    const buf = state.momentum_buffer;
    const firstStep = !state.hasBuffer;
    // In WebAssembly memory (a training run's buffers): the same arithmetic as below, as SIMD.
    const simd = residentKernelsFor(p);
    if (simd?.sgd(p, grad, buf, { maximize, momentum, dampening, nesterov, firstStep, weightDecay, lr })) {
      if (momentum !== 0) state.hasBuffer = true;
      return;
    }
    for (let j = 0; j < p.length; j++) {
      let g = maximize ? -grad[j] : grad[j];
      if (weightDecay !== 0) g += weightDecay * p[j];
      if (momentum !== 0) {
        buf[j] = firstStep ? g : momentum * buf[j] + (1 - dampening) * g;
        // Read back the float32 buffer, as torch uses the stored tensor.
        g = nesterov ? g + momentum * buf[j] : buf[j];
      }
      p[j] -= lr * g;
    }
    if (momentum !== 0) state.hasBuffer = true;
  }

  /** As exportState, without the copy: the live buffer once there is one. */
  protected override viewState(state: SgdState): ParamStateView {
    return state.hasBuffer ? { momentum_buffer: state.momentum_buffer } : NO_STATE;
  }

  /** torch keeps momentum_buffer = None until momentum is used; a None buffer is left out. */
  protected override exportState(state: SgdState): ParamState {
    return state.hasBuffer ? { momentum_buffer: state.momentum_buffer.slice() } : {};
  }

  protected override importState(fresh: SgdState, saved: ParamState, param: Parameter): void {
    super.importState(fresh, saved, param);
    fresh.hasBuffer = saved.momentum_buffer !== undefined;
  }
}
