import type { Parameter } from './parameter';

/**
 * One stage of a feed-forward network. Layers own their output and input-gradient buffers,
 * allocated once for `maxRows` rows; `forward`/`backward` work on the first `rows` rows of them, so
 * a training step allocates nothing. The returned buffers are the layer's own: valid until its next
 * forward/backward call.
 */
export interface Layer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly maxRows: number;
  /** Trainable tensors (empty for activations), named like torch's state_dict keys. */
  readonly parameters: readonly Parameter[];
  /**
   * Computes the output for `rows` rows of `input` (rows × inFeatures, row-major). The layer keeps
   * what backward needs (the input or its output). `training` selects training-mode behaviour for
   * layers that have one (none yet; dropout or batch norm would).
   */
  forward(input: Float32Array, rows: number, training: boolean): Float32Array;
  /**
   * Given ∂loss/∂output for the rows of the last forward, ADDS the parameter gradients into each
   * parameter's `grad` (like torch's .grad accumulation; the trainer zeroes them every step) and
   * returns ∂loss/∂input. A layer built without an input gradient returns an empty array.
   */
  backward(gradOutput: Float32Array, rows: number): Float32Array;
  /** Short human-readable form, e.g. "Linear(2 → 64)", "ReLU". */
  describe(): string;
}

export function checkRows(layer: Layer, rows: number): void {
  if (!(rows >= 0 && rows <= layer.maxRows)) {
    throw new RangeError(`${layer.describe()}: ${rows} rows exceed the ${layer.maxRows} rows its buffers hold`);
  }
}
