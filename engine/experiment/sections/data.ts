/** `data`: a synthetic set or a CSV file, and what the other sections may know of it in advance. */
import { validationCount } from '../../data/split';
import type { Reporter } from '../problems';
import { blame } from '../rules/context';
import { SLOTS } from '../slots';
import { get } from '../source';
import type { SrcValue } from '../source';
import type { DataSpec, Task } from '../spec';
import type { TypedReader } from '../typed';
import type { DataInfo } from './info';

export function validateData(node: SrcValue, reader: TypedReader, report: Reporter): { spec?: DataSpec; info: DataInfo } | undefined {
  const read = reader.read(SLOTS.data, node, 'data');
  if (!read) return undefined;
  const { obj, kind, values: v } = read;

  if (kind === 'csv') {
    const task = (v.task as Task | undefined) ?? 'classification';
    const info: DataInfo = { task };
    if (v.validation_split === 0) info.hasValidation = false;
    const pathNode = get(obj, 'path');
    if (typeof v.path === 'string' && pathNode && isAbsolutePath(v.path)) {
      report.value(pathNode, `'path' must be relative to this experiment file's folder, not absolute ('${v.path}')`);
      return { info };
    }
    return { spec: read.spec as DataSpec | undefined, info };
  }

  const info: DataInfo = { task: 'classification', features: 2 };
  const samples = typeof v.samples === 'number' ? v.samples : undefined;
  const classes = typeof v.classes === 'number' ? v.classes : undefined;
  const split = typeof v.validation_split === 'number' ? v.validation_split : undefined;
  if (classes !== undefined) info.outputs = classes;
  if (samples !== undefined && classes !== undefined && samples < classes) {
    blame(report, obj, ['samples', 'classes'], `'samples' (${samples}) must be at least 'classes' (${classes}): every class needs a point`);
    return { info };
  }
  if (samples !== undefined && split !== undefined) {
    const validation = validationCount(samples, split);
    if (samples - validation < 1) {
      blame(report, obj, ['validation_split', 'samples'], `validation_split ${split} of ${samples} samples leaves no training examples`);
      return { info };
    }
    info.train = samples - validation;
    info.validation = validation;
    info.hasValidation = validation > 0;
  }
  return { spec: read.spec as DataSpec | undefined, info };
}

export function isAbsolutePath(p: string): boolean {
  return /^([a-zA-Z]:)?[\\/]/.test(p) || p.startsWith('~') || /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(p);
}
