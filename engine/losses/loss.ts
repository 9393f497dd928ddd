import type { LossKind } from './spec';

/**
 * A loss over a batch of model outputs. Buffers are allocated once for `maxRows` rows; `forward`
 * and `backward` use the first `rows` rows. `backward` refers to the last `forward`.
 */
export interface Loss {
  readonly kind: LossKind;
  /** The batch loss (a mean, as torch's reduction='mean'), computed in double precision. */
  forward(pred: Float32Array, target: Float32Array, rows: number): number;
  /** ∂loss/∂pred for the rows of the last forward (a buffer owned by the loss). */
  backward(rows: number): Float32Array;
  /** The loss a freshly initialized model should start near, when there is such a value. */
  expectedInitialLoss(outputs: number): number | undefined;
}
