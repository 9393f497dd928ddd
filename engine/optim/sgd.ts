import type { SgdSpec } from './spec';
import type { Parameter } from '../nn/parameter';
import { BaseOptimizer, invalid, NO_STATE, type ParamState, type ParamStateView } from './optimizer';
import { residentKernelsFor } from '../core/wasm/residency';
import { allocateFloat32 } from '../core/memory';

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
    if (!(spec.momentum >= 0)) invalid(`Invalid momentum value: ${spec.momentum}`, 'momentum');
    if (!(spec.weight_decay >= 0)) invalid(`Invalid weight_decay value: ${spec.weight_decay}`, 'weight_decay');
    if (spec.nesterov && (spec.momentum <= 0 || spec.dampening !== 0)) {
      invalid('Nesterov momentum requires a momentum and zero dampening', 'nesterov');
    }
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
