import type { Task } from '../core/task';
import { SpecError } from '../core/errors';
import { binaryOutput, CLASS_INDEX_LOSSES, CLASSIFICATION_LOSSES, LOSSES, type LossContext, type LossSpec } from './kinds';
import type { Loss } from './loss';

export type { Loss } from './loss';
export { binaryOutput, CLASS_INDEX_LOSSES, CLASS_WEIGHT_LOSSES, CLASSIFICATION_LOSSES, DEFAULT_LOSS, LOSSES, type LossKind, type LossSpec } from './kinds';
export { BceLoss } from './bce';
export { CrossEntropyLoss, type CrossEntropyOptions } from './crossEntropy';
export { NllLoss } from './nll';
export { BceWithLogitsLoss } from './bceWithLogits';
export { ElementwiseLoss, HuberLoss, L1Loss, MseLoss, SmoothL1Loss } from './elementwise';
export { countCorrect, countCorrectBinary } from './accuracy';
export { classIndex } from './targets';

/**
 * How many outputs the model's last linear layer must have for this loss, given the dataset's
 * `dataOutputs` (its number of classes, or of regression targets):
 *
 * - cross_entropy, nll_loss: one score per class (classification only, ≥ 2 classes);
 * - bce_with_logits, bce: 1, the logit (bce: the probability) of class 1 (classification with exactly 2 classes);
 * - mse, huber, smooth_l1, l1_loss: one per target (regression), or one per class compared with one-hot rows.
 *
 * Throws a SpecError at ["loss"] when the loss cannot be used with the data at all. The training
 * loop builds the model with this width (not the dataset's outputs).
 */
export function modelOutputs(spec: LossSpec, dataOutputs: number, task: Task): number {
  switch (spec.type) {
    case 'cross_entropy':
    case 'nll_loss':
      if (task === 'regression') {
        throw new SpecError(
          `${spec.type} needs a classification dataset, but this data is regression (numeric targets); use "mse", "huber" or "smooth_l1"`,
          ['loss'],
        );
      }
      if (task === 'probabilities' && CLASS_INDEX_LOSSES.includes(spec.type)) throw new SpecError(classIndexOnly(spec.type), ['loss']);
      if (dataOutputs < 2) {
        throw new SpecError(`${spec.type} needs at least 2 classes, but the data has ${dataOutputs}`, ['loss']);
      }
      return dataOutputs;
    case 'bce_with_logits':
    case 'bce': {
      if (task === 'regression') {
        throw new SpecError(
          `${spec.type} needs a classification dataset with 2 classes (targets 0/1), but this data is regression; use "mse", "huber" or "smooth_l1"`,
          ['loss'],
        );
      }
      if (dataOutputs !== 2) {
        throw new SpecError(`${twoClasses(spec.type)}, but the data has ${dataOutputs} classes; use "cross_entropy"`, ['loss']);
      }
      return 1;
    }
    case 'mse':
    case 'huber':
    case 'smooth_l1':
    case 'l1_loss':
      return dataOutputs;
  }
}

/**
 * The loss an experiment names. `outputs` is the DATASET's width — its number of classes
 * (classification) or regression targets — exactly `Dataset.outputs`; the model width the loss
 * reads is `loss.modelOutputs` (= `modelOutputs(spec, outputs, task)`; 1 for bce_with_logits and bce).
 * `task` defaults to the loss's natural task. SpecErrors point at ["loss"] (or ["loss", "weight"]).
 */
export function createLoss(spec: LossSpec, outputs: number, maxRows: number, task?: Task): Loss {
  const dataTask: Task = task ?? (CLASSIFICATION_LOSSES.includes(spec.type) ? 'classification' : 'regression');
  const width = modelOutputs(spec, outputs, dataTask);
  if ('weight' in spec) checkClassWeights(spec.weight, width);
  const create = LOSSES.kinds[spec.type].create as (spec: LossSpec, c: LossContext) => Loss;
  return create(spec, { width, maxRows, task: dataTask });
}

/**
 * Refuses a model whose last layer does not have the width the loss reads, with the reason, e.g.
 * "bce_with_logits needs a last linear layer with 1 output for 2 classes (the logit of class 1), not 2".
 */
export function checkModelOutputs(loss: Loss, modelWidth: number): void {
  if (modelWidth === loss.modelOutputs) return;
  const binary = binaryOutput(loss.kind);
  const what = binary ? `1 output for 2 classes (${binary})` : `${loss.modelOutputs} output${loss.modelOutputs === 1 ? '' : 's'}`;
  throw new SpecError(`${loss.kind} needs a last linear layer with ${what}, not ${modelWidth}`, ['model']);
}

function checkClassWeights(weight: readonly number[] | undefined, classes: number): void {
  if (weight === undefined) return;
  if (weight.length !== classes) {
    throw new SpecError(
      `'weight' needs one number per class: the data has ${classes} classes, but weight has ${weight.length} entries`,
      ['loss', 'weight'],
    );
  }
  weight.forEach((w, j) => {
    if (!(Number.isFinite(w) && w >= 0)) {
      throw new SpecError(`weight[${j}] = ${w}: class weights must be finite numbers ≥ 0`, ['loss', 'weight', j]);
    }
  });
}

/** Why a loss that reads class indices cannot train on probability targets. */
export function classIndexOnly(kind: string): string {
  return `${kind} reads one class index per row, but this data's targets are class probabilities (torch's ${kind} has no probability targets); use "cross_entropy"`;
}

/** "bce_with_logits is for 2 classes (the model outputs one logit, the score of class 1)". */
export function twoClasses(kind: string): string {
  const what = binaryOutput(kind) === 'the probability of class 1' ? 'one probability, that of class 1' : 'one logit, the score of class 1';
  return `${kind} is for 2 classes (the model outputs ${what})`;
}
