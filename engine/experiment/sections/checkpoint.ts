/**
 * `checkpoint`: files to load from and save to. Paths are relative to the experiment file (the
 * command line and the extension resolve them inside the workspace, as data files); no file is
 * read here.
 */
import { CHECKPOINT_FIELDS } from '../defaults';
import { describe, readFields } from '../fields';
import type { Reporter } from '../problems';
import { blame } from '../rules/context';
import { get, type SrcValue } from '../source';
import type { CheckpointSpec } from '../spec';
import { isAbsolutePath } from './data';

export function validateCheckpoint(node: SrcValue | undefined, report: Reporter): { present: boolean; spec?: CheckpointSpec } {
  if (!node || node.kind === 'null') return { present: false };
  if (node.kind !== 'object') {
    report.value(node, `'checkpoint' must be an object like { "save": "model.safetensors" } or null, not ${describe(node)}`);
    return { present: true };
  }
  const errorsBefore = report.errors;
  const { values: v } = readFields(node, CHECKPOINT_FIELDS, report, { what: 'checkpoint' });
  for (const key of ['load', 'save']) {
    const value = v[key];
    const at = get(node, key);
    if (typeof value !== 'string' || !at) continue;
    if (isAbsolutePath(value)) {
      report.value(at, `'${key}' must be relative to this experiment file's folder, not absolute ('${value}')`);
    } else if (!/\.safetensors$/i.test(value)) {
      report.value(at, `'${key}' names a safetensors file; '${value}' does not end in .safetensors`, 'warning');
    }
  }
  if (v.load_mode === 'resume' && v.load === undefined && !get(node, 'load')) {
    blame(report, node, ['load_mode'], `load_mode 'resume' needs 'load': the checkpoint file to resume from`);
  }
  if (typeof v.save_every === 'number' && v.save_every > 0 && v.save === undefined && !get(node, 'save')) {
    blame(report, node, ['save_every'], `save_every needs 'save': the file to write the checkpoints to`);
  }
  if (v.save_optimizer === false && v.save === undefined && get(node, 'save_optimizer')) {
    blame(report, node, ['save_optimizer'], `save_optimizer has no effect without 'save'`, 'warning');
  }
  if (report.errors > errorsBefore) return { present: true };
  return { present: true, spec: v as unknown as CheckpointSpec };
}
