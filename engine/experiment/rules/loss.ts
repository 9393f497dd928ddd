/** The loss against the data: its task, its number of classes, its class weights. */
import type { DataInfo } from '../../data/kinds';
import { classIndexOnly, twoClasses } from '../../losses';
import { binaryOutput, CLASS_INDEX_LOSSES, CLASSIFICATION_LOSSES, type LossKind } from '../../losses/kinds';
import { NO_IGNORED_CLASS } from '../../losses/targets';
import type { Reporter } from '../problems';
import type { Part } from './run';

export function checkLoss(loss: Part, info: DataInfo, report: Reporter): void {
  const { node, kind, values: v } = loss;
  if (CLASSIFICATION_LOSSES.includes(kind as LossKind) && info.task === 'regression') {
    report.blame(node, ['type'], `${kind} needs a classification task, but the data's task is 'regression'; use "mse", "huber" or "smooth_l1"`);
  } else if (CLASS_INDEX_LOSSES.includes(kind as LossKind) && info.task === 'probabilities') {
    report.blame(node, ['type'], classIndexOnly(kind!));
  } else if (kind !== undefined && binaryOutput(kind) && info.outputs !== undefined && info.outputs !== 2) {
    report.blame(node, ['type'], `${twoClasses(kind)}, but the data has ${info.outputs} classes; use "cross_entropy"`);
  }
  const weight = v.weight;
  if (typeof v.ignore_index === 'number' && v.ignore_index !== NO_IGNORED_CLASS && info.task === 'probabilities') {
    // torch: "ignore_index is not supported for floating point target"
    report.blame(node, ['ignore_index'], `ignore_index skips the examples of one class, but this data's targets are class probabilities, with no single class per example (torch refuses it too)`);
  }
  if (Array.isArray(weight) && info.outputs !== undefined && info.task !== 'regression' && weight.length !== info.outputs) {
    report.blame(node, ['weight'], `'weight' needs one number per class: the data has ${info.outputs} classes, but weight has ${weight.length} entries`);
  }
  if (Array.isArray(weight) && weight.length > 0 && weight.every(w => w === 0)) {
    report.blame(node, ['weight'], 'every class weight is 0: the loss is 0/0 (NaN) on every batch');
  }
}
