import type { FieldTable, NumberListField } from '../experiment/fieldTypes';
import type { LossKind } from './spec';

/** The `loss` kinds and their keys (besides `type`). */
export const LOSS_KINDS: readonly LossKind[] = ['cross_entropy', 'nll_loss', 'mse', 'bce_with_logits', 'huber', 'smooth_l1'];

/** What each loss is (hovers, completion, the reference). */
export const LOSS_DOCS: Readonly<Record<LossKind, string>> = {
  cross_entropy: '`torch.nn.CrossEntropyLoss` on the raw scores (logits) of the last layer. Classification.',
  nll_loss: '`torch.nn.NLLLoss`: the negative log-likelihood of log-probabilities (end the model with `log_softmax`). Classification.',
  mse: '`torch.nn.MSELoss` (mean squared error).',
  bce_with_logits: '`torch.nn.BCEWithLogitsLoss` for 2 classes: the model outputs one logit, the score of class 1.',
  huber: '`torch.nn.HuberLoss`: quadratic for errors below `delta`, linear above (robust to outliers).',
  smooth_l1: '`torch.nn.SmoothL1Loss`: quadratic below `beta`, then |error|; `beta` = 0 is the L1 loss.',
};

/** torch's optional per-class `weight` (see CLASS_WEIGHT_LOSSES): one number ≥ 0 per class. */
const classWeight: NumberListField = {
  kind: 'number_list',
  minimum: 0,
  doc: "Per-class weights of the loss (torch's `weight`): one number ≥ 0 per class, in class order. Default: all 1.",
};

/** Keys of each loss besides `type`, with torch.nn.functional's defaults. */
export const LOSS_FIELDS: Readonly<Record<LossKind, FieldTable>> = {
  // torch: "label_smoothing must be between 0.0 and 1.0"
  cross_entropy: {
    weight: classWeight,
    label_smoothing: {
      kind: 'number',
      default: 0,
      minimum: 0,
      maximum: 1,
      doc: 'Mixes the one-hot target with the uniform distribution by this amount, in [0, 1].',
    },
  },
  nll_loss: { weight: classWeight },
  mse: {},
  // torch's default pos_weight=None weighs the positive term by 1.
  bce_with_logits: {
    pos_weight: {
      kind: 'number',
      default: 1,
      minimum: 0,
      doc: 'Weight of the positive (class 1) term; for unbalanced data, the ratio negatives / positives.',
    },
  },
  // torch: "huber_loss does not support non-positive values for delta."
  huber: {
    delta: { kind: 'number', default: 1, minimum: 0, exclusiveMinimum: true, doc: 'Where the loss turns from quadratic to linear (> 0).' },
  },
  // torch: "smooth_l1_loss does not support negative values for beta." (0 = plain L1)
  smooth_l1: {
    beta: { kind: 'number', default: 1, minimum: 0, doc: 'Where the loss turns from quadratic to linear (≥ 0; 0 is the L1 loss).' },
  },
};

/**
 * Losses that take torch's optional `weight`: a list with one finite number ≥ 0 per class (its
 * length must equal the number of classes, known once the data is), default none (= all 1). With
 * mean reduction the loss is divided by the sum of the targets' weights, so a batch whose targets
 * all have weight 0 gives 0/0 = NaN, in torch as here.
 */
export const CLASS_WEIGHT_LOSSES: readonly LossKind[] = ['cross_entropy', 'nll_loss'];

/** Losses that read class labels (refused on regression data). */
export const CLASSIFICATION_LOSSES: readonly LossKind[] = ['cross_entropy', 'nll_loss', 'bce_with_logits'];

/** The loss when the file does not say: by the data's task. */
export const DEFAULT_LOSS: Readonly<Record<'classification' | 'regression', LossKind>> = {
  classification: 'cross_entropy',
  regression: 'mse',
};
