/**
 * What an experiment's `loss` resolves to: torch.nn.functional losses with reduction='mean'.
 *
 * Options are optional in the resolved spec: an absent option means torch's default (no class
 * weights, label_smoothing 0, pos_weight 1, delta 1, beta 1), so `{ type: 'cross_entropy' }` is
 * exactly `F.cross_entropy(input, target)`. The parser may fill them in or leave them out.
 */

// ---- losses -----------------------------------------------------------------------

export interface CrossEntropySpec {
  type: 'cross_entropy';
  /** Per-class rescaling weights (length = number of classes, each ≥ 0); absent = all 1. */
  weight?: readonly number[];
  /** torch ≥ 1.10: mixes the target with the uniform distribution, in [0, 1]; absent = 0. */
  label_smoothing?: number;
}

/** F.nll_loss: the model's outputs are log-probabilities (it ends with log_softmax). */
export interface NllLossSpec {
  type: 'nll_loss';
  weight?: readonly number[];
}

export interface MseSpec {
  type: 'mse';
}

/**
 * F.binary_cross_entropy_with_logits for 2-class data: the model outputs ONE logit per row (the
 * score of class 1) and the target is the class index 0/1 as a float.
 */
export interface BceWithLogitsSpec {
  type: 'bce_with_logits';
  /** Weight of the positive (class 1) term, ≥ 0; absent = 1. */
  pos_weight?: number;
}

/** F.huber_loss: quadratic below |d| = delta, linear (slope delta) above; delta > 0, absent = 1. */
export interface HuberSpec {
  type: 'huber';
  delta?: number;
}

/** F.smooth_l1_loss: huber / beta, i.e. quadratic below beta and slope 1 above; beta ≥ 0, absent = 1. */
export interface SmoothL1Spec {
  type: 'smooth_l1';
  beta?: number;
}

export type LossSpec = CrossEntropySpec | NllLossSpec | MseSpec | BceWithLogitsSpec | HuberSpec | SmoothL1Spec;
export type LossKind = LossSpec['type'];
