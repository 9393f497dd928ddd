/** `training`: the loop's settings and its optional parts (clipping, penalties, early stopping, EMA). */
import { TRAINING_FIELDS } from '../defaults';
import { describe, readFields } from '../fields';
import type { Reporter } from '../problems';
import type { SrcObject, SrcValue } from '../source';
import type { TrainingSpec } from '../spec';

const EMPTY: SrcObject = { kind: 'object', props: [], offset: 0, length: 0, path: ['training'] };

export function validateTraining(node: SrcValue | undefined, report: Reporter): TrainingSpec | undefined {
  if (node && node.kind !== 'object') {
    report.value(node, `'training' must be an object like { "epochs": 20, "batch_size": 32 }, not ${describe(node)}`);
    return undefined;
  }
  const { values, ok } = readFields(node ?? EMPTY, TRAINING_FIELDS, report, { what: 'training' });
  return ok ? (values as unknown as TrainingSpec) : undefined;
}
