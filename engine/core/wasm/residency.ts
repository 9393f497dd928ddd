/**
 * Which kernels own the memory a Float32Array lives in. An optimizer is built from parameters, not
 * from kernels; when its parameters and state live in a WebAssembly kernels' memory (a training run
 * allocated them there), it finds those kernels here and runs its update as one SIMD call.
 */

/** The optimizer updates the WebAssembly kernels provide (engine/core/wasm/wasmKernels.ts). */
export interface SimdUpdates {
  /** torch.optim.Adam's update of one tensor; false (nothing done) when an array lives elsewhere. */
  adam(
    p: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    vMax: Float32Array,
    options: AdamStep,
  ): boolean;
  /** torch.optim.SGD's update of one tensor; false (nothing done) when an array lives elsewhere. */
  sgd(p: Float32Array, grad: Float32Array, buffer: Float32Array, options: SgdStep): boolean;
}

export interface AdamStep {
  maximize: boolean;
  amsgrad: boolean;
  beta1: number;
  beta2: number;
  weightDecay: number;
  stepSize: number;
  biasCorrection2Sqrt: number;
  eps: number;
}

export interface SgdStep {
  maximize: boolean;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  firstStep: boolean;
  weightDecay: number;
  lr: number;
}

const owners = new WeakMap<ArrayBufferLike, SimdUpdates>();

export function registerMemory(buffer: ArrayBufferLike, owner: SimdUpdates): void {
  owners.set(buffer, owner);
}

/** The kernels whose memory holds `array`, if any. */
export function simdUpdatesFor(array: Float32Array): SimdUpdates | undefined {
  return owners.get(array.buffer);
}
