/**
 * Which kernels own the memory a Float32Array lives in. Optimizers and activation layers are built
 * without kernels; when their buffers live in a WebAssembly kernels' memory (a training run
 * allocated them there), they find those kernels here and run their loop as one SIMD call.
 */

/** The elementwise work the WebAssembly kernels do in place (engine/core/wasm/wasmKernels.ts). */
export interface ResidentKernels {
  /** y = x ≤ 0 ? 0 : x over n values; false (nothing done) when an array lives elsewhere. */
  relu(x: Float32Array, y: Float32Array, n: number): boolean;
  /** dx = y ≤ 0 ? 0 : dy over n values; false (nothing done) when an array lives elsewhere. */
  reluGrad(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): boolean;
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

const owners = new WeakMap<ArrayBufferLike, ResidentKernels>();

export function registerMemory(buffer: ArrayBufferLike, owner: ResidentKernels): void {
  owners.set(buffer, owner);
}

/** The kernels whose memory holds `array`, if any. */
export function residentKernelsFor(array: Float32Array): ResidentKernels | undefined {
  return owners.get(array.buffer);
}
