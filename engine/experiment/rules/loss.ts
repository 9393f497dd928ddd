/** The loss against the data: its task, its number of classes, its class weights. */
import type { DataInfo } from '../../data/kinds';
import { classIndexOnly, twoClasses } from '../../losses';
import { binaryOutput, CLASS_INDEX_LOSSES, CLASSIFICATION_LOSSES, type LossKind } from '../../losses/kinds';
import { NO_IGNORED_CLASS } from '../../losses/targets';
import type { Reporter } from '../problems';
import type { Part } from './run';

export function checkLoss({ node, kind, values: { weight, ignore_index: ignored } }: Part, { task, outputs }: DataInfo, report: Reporter): void {
  if (CLASSIFICATION_LOSSES.includes(kind as LossKind) && task === 'regression') {
    report.blame(node, ['type'], `${kind} needs a classification task, but the data's task is 'regression'; use "mse", "huber" or "smooth_l1"`);
  } else if (CLASS_INDEX_LOSSES.includes(kind as LossKind) && task === 'probabilities') {
    report.blame(node, ['type'], classIndexOnly(kind!));
  } else if (kind !== undefined && binaryOutput(kind) && outputs !== undefined && outputs !== 2) {
    report.blame(node, ['type'], `${twoClasses(kind)}, but the data has ${outputs} classes; use "cross_entropy"`);
  }
  if (typeof ignored === 'number' && ignored !== NO_IGNORED_CLASS && task === 'probabilities') {
    // torch: "ignore_index is not supported for floating point target"
    const why = `this data's targets are class probabilities, with no single class per example (torch refuses it too)`;
    report.blame(node, ['ignore_index'], `ignore_index skips the examples of one class, but ${why}`);
  }
  if (Array.isArray(weight) && outputs !== undefined && task !== 'regression' && weight.length !== outputs) {
    report.blame(node, ['weight'], `'weight' needs one number per class: the data has ${outputs} classes, but weight has ${weight.length} entries`);
  }
  if (Array.isArray(weight) && weight.length > 0 && weight.every(w => w === 0)) {
    report.blame(node, ['weight'], 'every class weight is 0: the loss is 0/0 (NaN) on every batch');
  }
}
