/**
 * Where a model's long-lived float32 buffers come from. By default a plain Float32Array; while a
 * training run builds its model, loss and optimizer inside `allocatingFrom(source, ...)`, every
 * parameter, gradient, activation and optimizer-state buffer comes from `source` instead — the
 * WebAssembly kernels' memory, so that their gemms and updates read and write those buffers in
 * place, without a copy per call. The buffers are planned once, when the model is built; a training
 * step allocates nothing.
 *
 * A scope rather than a parameter: layers, losses and optimizers are created through registries
 * that know nothing of memory, and threading an allocator through all of them would touch every
 * constructor signature for one concern that only the training run decides.
 */
export interface BufferSource {
  /** A zero-filled array of `length` floats that lives as long as any reference to it. */
  float32(length: number): Float32Array;
}

let current: BufferSource | undefined;

/** A zero-filled buffer from the current scope's source, or a plain Float32Array outside one. */
export function allocateFloat32(length: number): Float32Array {
  return current && length > 0 ? current.float32(length) : new Float32Array(length);
}

/** Runs `build` with `source` as the source of `allocateFloat32` (scopes nest). */
export function allocatingFrom<T>(source: BufferSource | undefined, build: () => T): T {
  const previous = current;
  current = source;
  try {
    return build();
  } finally {
    current = previous;
  }
}
