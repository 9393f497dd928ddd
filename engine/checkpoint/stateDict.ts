import type { JsonPath } from '../core/errors';
import { SpecError } from '../core/errors';
import type { NamedBuffer } from '../nn/layer';
import type { Parameter } from '../core/parameter';
import type { Sequential } from '../nn/sequential';
import type { SafeTensor, SafetensorsFile, TensorToWrite } from './safetensors';

/**
 * A model's `state_dict` as torch would list it for the equivalent nn.Sequential: per layer in
 * order, its parameters then its buffers, named "0.weight", "1.running_mean", ...
 */
export interface StateEntry {
  name: string;
  shape: readonly number[];
  /** torch's dtype: float32 everything, except int64 counters (num_batches_tracked) kept in float64. */
  dtype: 'F32' | 'I64';
  data: Float32Array | Float64Array;
  /** Set for trainable tensors; absent for buffers. */
  parameter?: Parameter;
}

export function modelState(model: Sequential): StateEntry[] {
  const entries: StateEntry[] = [];
  for (const layer of model.layers) {
    for (const p of layer.parameters) entries.push({ name: p.name, shape: p.shape, dtype: 'F32', data: p.data, parameter: p });
    // `buffers` may be missing on a layer written before buffers existed; treat that as none.
    const buffers: readonly NamedBuffer[] = layer.buffers ?? [];
    for (const b of buffers) entries.push({ name: b.name, shape: b.shape, dtype: b.dtype, data: b.data });
  }
  return entries;
}

/** The model's state as tensors to write, named `prefix + name`. */
export function modelStateTensors(model: Sequential, prefix = ''): [string, TensorToWrite][] {
  return modelState(model).map((e) => [prefix + e.name, { dtype: e.dtype, shape: e.shape, data: e.data }]);
}

export interface LoadStateOptions {
  /** Read tensors named `prefix + name` (e.g. "ema."). Default: the plain state_dict names. */
  prefix?: string;
  /**
   * Names that may be in the file without being the model's (the other parts of a full
   * checkpoint); any other unknown tensor is an error, as torch's strict load_state_dict.
   */
  ignore?: (name: string) => boolean;
  /** Where to blame problems in the experiment. Default ["checkpoint", "load"]. */
  path?: JsonPath;
}

/** The prefixes of the non-model parts of a checkpoint written by this engine. */
export const CHECKPOINT_PART_PREFIXES = ['optimizer.', 'ema.', 'early_stopping.', 'session.', 'scheduler.'] as const;

export function isCheckpointPart(name: string): boolean {
  return CHECKPOINT_PART_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * Copies a state_dict from a safetensors file into the model's parameters and buffers, like
 * torch's `model.load_state_dict(load_file(path))` with strict=True: every tensor of the model must
 * be there with the same shape (but a BatchNorm's num_batches_tracked, which torch then sets to 0),
 * and no unknown tensor may be (except `ignore`d ones). Everything is
 * checked before anything is written, so a failed load leaves the model untouched. Float tensors
 * may be stored as F32, F64, F16 or BF16 (converted to float32); int64 buffers as any integer type.
 * Throws SpecError at `path` saying every problem found.
 */
export function loadModelState(model: Sequential, file: SafetensorsFile, options: LoadStateOptions = {}): void {
  const prefix = options.prefix ?? '';
  const path = options.path ?? ['checkpoint', 'load'];
  const entries = modelState(model);
  const problems: string[] = [];
  const missing: string[] = [];
  const sources: (SafeTensor | undefined)[] = [];
  for (const entry of entries) {
    const tensor = file.tensors.get(prefix + entry.name);
    if (!tensor) {
      // As torch's BatchNorm loads a state from before the counter existed: it counts from 0.
      if (entry.name.endsWith('num_batches_tracked')) sources.push(undefined);
      else missing.push(prefix + entry.name);
      continue;
    }
    const problem = mismatch(prefix + entry.name, entry, tensor);
    if (problem) problems.push(problem);
    sources.push(tensor);
  }
  if (missing.length > 0) {
    problems.unshift(`the file has no tensor ${listNames(missing)} that the model needs`);
  }
  const known = new Set(entries.map((e) => prefix + e.name));
  const unexpected = [...file.tensors.keys()].filter(
    (name) => !known.has(name) && (prefix === '' || name.startsWith(prefix)) && !(options.ignore?.(name) ?? false),
  );
  if (unexpected.length > 0) {
    problems.push(`the file has tensor${unexpected.length === 1 ? '' : 's'} ${listNames(unexpected)} that the model does not (a different model?)`);
  }
  if (problems.length > 0) throw new SpecError(problems.join('; '), path);
  entries.forEach((entry, i) => {
    const source = sources[i];
    if (source) copyValues(source.data, entry.data);
    else entry.data.fill(0);
  });
}

function mismatch(name: string, entry: StateEntry, tensor: SafeTensor): string | undefined {
  if (!sameShape(tensor.shape, entry.shape)) {
    return `${name} has shape ${formatShape(tensor.shape)} in the file but the model needs ${formatShape(entry.shape)}`;
  }
  const floatFile = tensor.dtype === 'F32' || tensor.dtype === 'F64' || tensor.dtype === 'F16' || tensor.dtype === 'BF16';
  if (entry.dtype === 'F32' && !floatFile) {
    return `${name} is ${tensor.dtype} in the file but the model needs floating point (F32)`;
  }
  if (entry.dtype === 'I64' && (floatFile || tensor.dtype === 'BOOL')) {
    return `${name} is ${tensor.dtype} in the file but the model needs an integer (I64)`;
  }
  return undefined;
}

function copyValues(from: ArrayLike<number>, to: Float32Array | Float64Array): void {
  if (from instanceof Float32Array || from instanceof Float64Array) {
    to.set(from); // converts, rounding float64 to float32 where needed
    return;
  }
  for (let i = 0; i < to.length; i++) to[i] = from[i];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 8).map((n) => `"${n}"`).join(', ');
  return names.length > 8 ? `${shown} and ${names.length - 8} more` : shown;
}
