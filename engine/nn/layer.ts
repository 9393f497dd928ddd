import type { Parameter } from '../core/parameter';

/**
 * A non-trainable tensor a layer keeps between steps and that belongs in a checkpoint, like a torch
 * buffer (BatchNorm1d's running_mean, running_var, num_batches_tracked). `name` is its torch
 * state_dict key ("1.running_mean"). `dtype` is the tensor's torch dtype as a safetensors writer
 * needs it: float32 buffers live in a Float32Array; torch's int64 counters (num_batches_tracked) in a
 * Float64Array, which holds every integer up to 2^53 exactly (a run never gets near that).
 * A 0-dimensional tensor (num_batches_tracked) has shape [] and one element.
 */
export type NamedBuffer =
  | { readonly name: string; readonly shape: readonly number[]; readonly dtype: 'F32'; readonly data: Float32Array }
  | { readonly name: string; readonly shape: readonly number[]; readonly dtype: 'I64'; readonly data: Float64Array };

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
  /** Non-trainable state kept across steps (batch norm's running statistics); empty for most layers. */
  readonly buffers: readonly NamedBuffer[];
  /**
   * Computes the output for `rows` rows of `input` (rows × inFeatures, row-major). The layer keeps
   * what backward needs (the input or its output). `training` selects training-mode behaviour, as
   * torch's module.train()/eval(): dropout drops only when training; batch norm normalizes with the
   * batch's statistics and updates its running ones only when training. Other layers ignore it.
   */
  forward(input: Float32Array, rows: number, training: boolean): Float32Array;
  /**
   * Given ∂loss/∂output for the rows of the last forward, ADDS the parameter gradients into each
   * parameter's `grad` (like torch's .grad accumulation; the trainer zeroes them every step) and
   * returns ∂loss/∂input. A layer built without an input gradient returns an empty array.
   * Backward follows the mode of the last forward (e.g. batch norm through fixed running stats
   * after an evaluation-mode forward).
   */
  backward(gradOutput: Float32Array, rows: number): Float32Array;
  /** Short human-readable form, e.g. "Linear(2 → 64)", "ReLU". */
  describe(): string;
}

export const NO_PARAMETERS: readonly Parameter[] = [];
export const NO_BUFFERS: readonly NamedBuffer[] = [];
/** Returned by backward when a layer was built without an input gradient. */
export const EMPTY = new Float32Array(0);

export function checkRows(layer: Layer, rows: number): void {
  if (!(rows >= 0 && rows <= layer.maxRows)) {
    throw new RangeError(`${layer.describe()}: ${rows} rows exceed the ${layer.maxRows} rows its buffers hold`);
  }
}
