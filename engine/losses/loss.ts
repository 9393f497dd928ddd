/**
 * torch's `reduction` of a training loss: 'mean' or 'sum'. ('none' keeps one loss per example,
 * which cannot be minimized as it is: torch's backward needs a scalar.)
 */
export const REDUCTIONS = ['mean', 'sum'] as const;
export type Reduction = (typeof REDUCTIONS)[number];

/** What every loss takes besides its own options. */
export interface LossOptions {
  /** Default 'mean', as torch. */
  reduction?: Reduction;
}

/**
 * A loss over a batch of model outputs. Buffers are allocated once for `maxRows` rows; `forward`
 * and `backward` use the first `rows` rows. `backward` refers to the last `forward`.
 *
 * Targets are what a `Dataset` stores: one class index per row (as a float) for classification,
 * `outputs` values per row for regression.
 */
export interface Loss {
  /** The loss's `type` in the experiment format ('cross_entropy', 'mse', ...). */
  readonly kind: string;
  /**
   * Width of the model output this loss reads per row: the number of classes for cross_entropy /
   * nll_loss (and mse/huber/smooth_l1 on classification data, against one-hot rows), 1 for
   * bce_with_logits (the logit of class 1), the number of targets for regression. The model's
   * last linear layer must have exactly this many outputs (see `modelOutputs` in index.ts).
   */
  readonly modelOutputs: number;
  /** How the objective reduces the batch: its mean (torch's default) or its sum. */
  readonly reduction: Reduction;
  /**
   * The batch loss as a mean (torch's reduction='mean'), whatever the reduction, computed in double
   * precision: the value recorded and shown, so that runs compare on one scale.
   */
  forward(pred: Float32Array, target: Float32Array, rows: number): number;
  /** The last forward's objective: what torch's loss returns with this reduction (the mean, or the sum). */
  lastObjective(): number;
  /** ∂objective/∂pred for the rows of the last forward (a buffer owned by the loss). */
  backward(rows: number): Float32Array;
  /**
   * The denominator of the last forward's mean: rows (cross_entropy / nll_loss without weights,
   * bce_with_logits), rows × outputs (mse, huber, smooth_l1), or the sum of the targets' class
   * weights (weighted cross_entropy / nll_loss, as torch divides by it). To combine chunks into
   * the loss of the whole set exactly as one big batch would: Σ loss_i · n_i / Σ n_i.
   */
  lastNormalizer(): number;
  /**
   * Classification only: how many of `rows` rows the scores classify as their target class
   * (argmax, first maximum on ties; for bce_with_logits, logit > 0 means class 1).
   */
  countCorrect(scores: Float32Array, target: Float32Array, rows: number): number;
  /**
   * The loss a freshly initialized model (outputs near 0, so near-uniform class probabilities)
   * should start near, for a dataset with `outputs` classes / targets; undefined when there is no
   * such value. ln C for cross_entropy (with class weights or label smoothing, not both: then the
   * start depends on the class balance) and nll_loss after log_softmax, ln 2 for bce_with_logits
   * without pos_weight.
   */
  expectedInitialLoss(outputs: number): number | undefined;
}
