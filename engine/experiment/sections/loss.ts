/** `loss`: its keys, and whether it fits the data's task and classes. */
import { CLASSIFICATION_LOSSES, DEFAULT_LOSS, type FieldTable } from '../defaults';
import type { Reporter } from '../problems';
import { blame, blameType } from '../rules/context';
import { SLOTS } from '../slots';
import type { SrcValue } from '../source';
import type { LossKind, LossSpec } from '../spec';
import type { TypedReader } from '../typed';
import type { DataInfo } from './info';

export function validateLoss(node: SrcValue | undefined, info: DataInfo, reader: TypedReader, report: Reporter): LossSpec | undefined {
  if (!node) {
    const type = DEFAULT_LOSS[info.task];
    return { type, ...defaultsOf(SLOTS.loss.tables[type]) } as LossSpec;
  }
  const read = reader.read(SLOTS.loss, node, 'loss');
  if (!read) return undefined;
  const { obj, kind, values: v } = read;
  const errorsBefore = report.errors;
  if (CLASSIFICATION_LOSSES.includes(kind as LossKind) && info.task === 'regression') {
    blameType(report, obj, `${kind} needs a classification task, but the data's task is 'regression'; use "mse", "huber" or "smooth_l1"`);
  } else if (kind === 'bce_with_logits' && info.outputs !== undefined && info.outputs !== 2) {
    blameType(
      report,
      obj,
      `bce_with_logits is for 2 classes (the model outputs one logit, the score of class 1), but the data has ${info.outputs} classes; use "cross_entropy"`,
    );
  }
  const weight = v.weight;
  if (Array.isArray(weight) && info.outputs !== undefined && info.task === 'classification' && weight.length !== info.outputs) {
    blame(
      report,
      obj,
      ['weight'],
      `'weight' needs one number per class: the data has ${info.outputs} classes, but weight has ${weight.length} entries`,
    );
  }
  if (Array.isArray(weight) && weight.length > 0 && weight.every(w => w === 0)) {
    blame(report, obj, ['weight'], 'every class weight is 0: the loss is 0/0 (NaN) on every batch', 'error');
  }
  return report.errors === errorsBefore ? (read.spec as LossSpec | undefined) : undefined;
}

/** The defaults a table gives (the resolved form of a kind written by name alone). */
export function defaultsOf(table: FieldTable): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(table)) {
    if ('default' in field && field.default !== undefined) out[key] = Array.isArray(field.default) ? [...field.default] : field.default;
  }
  return out;
}
