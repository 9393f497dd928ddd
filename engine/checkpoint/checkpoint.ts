import type { OptimizerStateDict, ParamState } from '../optim/optimizer';
import { SpecError, type JsonPath } from '../core/errors';
import {
  decodeSafetensors,
  encodeSafetensors,
  SafetensorsFormatError,
  type SafeTensor,
  type SafetensorsFile,
  type TensorToWrite,
} from './safetensors';

/**
 * A whole run's state in one safetensors file, so training can resume exactly where it stopped.
 *
 * Tensors (all little-endian, row-major):
 *   "<state_dict name>"                   the model: parameters and buffers under torch's names
 *                                         ("0.weight", "1.running_mean", "1.num_batches_tracked" as I64)
 *   "optimizer.state.<i>.<key>"           F32 tensors of parameter i's optimizer state, torch's keys
 *                                         ("optimizer.state.0.momentum_buffer", ".exp_avg", ...)
 *   "ema.<state_dict name>"               the EMA averages (training.ema)
 *   "early_stopping.best.<name>"          the best epoch's weights (early_stopping.restore_best_weights)
 *   "session.order"                       I32, the current order of the training rows (shuffles are
 *                                         applied to the previous order, so it is part of the state)
 * __metadata__ (strings; JSON where structured):
 *   "format": "pt"                        as torch's save_file writes, for tools that look for it
 *   "trainscope.checkpoint": "1"          this layout's version
 *   "optimizer": {"type": "sgd", "state": {"<i>": {"step": 3}}, "param_groups": [{"lr": 0.1, ..., "params": [0, 1]}]}
 *                                         the numbers of each parameter's state; tensors are the ones above
 *   "scheduler", "momentum_scheduler":    the schedulers' state_dict() JSON
 *   "session":                            epoch, step, position in the epoch, random generator positions,
 *                                         best-so-far, early-stopping state (engine/train/session.ts)
 * Non-finite numbers in the JSON are written as {"$float": "Infinity" | "-Infinity" | "NaN"}.
 *
 * A torch user can load the model part with
 *   sd = safetensors.torch.load_file(path); model.load_state_dict({k: v for k, v in sd.items()
 *        if not k.split(".")[0] in ("optimizer", "ema", "early_stopping", "session")})
 */
export interface RunCheckpoint {
  /** The model's state_dict tensors, already named. */
  model: [string, TensorToWrite][];
  optimizer?: { type: string; state: OptimizerStateDict };
  scheduler?: Record<string, unknown>;
  momentumScheduler?: Record<string, unknown>;
  /** Tensors named without their prefix ("0.weight"). */
  ema?: [string, TensorToWrite][];
  earlyStoppingBest?: [string, TensorToWrite][];
  order?: Int32Array;
  session?: Record<string, unknown>;
}

export const CHECKPOINT_VERSION = '1';
const OPTIMIZER_STATE = 'optimizer.state.';

export function encodeRunCheckpoint(checkpoint: RunCheckpoint): Uint8Array {
  const tensors: [string, TensorToWrite][] = [...checkpoint.model];
  const metadata: Record<string, string> = { format: 'pt', 'trainscope.checkpoint': CHECKPOINT_VERSION };
  if (checkpoint.optimizer) {
    const { type, state } = checkpoint.optimizer;
    const numbers: Record<string, Record<string, number>> = {};
    for (const [index, entries] of Object.entries(state.state)) {
      numbers[index] = {};
      for (const [key, value] of Object.entries(entries)) {
        if (typeof value === 'number') numbers[index][key] = value;
        else tensors.push([`${OPTIMIZER_STATE}${index}.${key}`, { dtype: 'F32', shape: [value.length], data: value }]);
      }
    }
    metadata.optimizer = stringify({ type, state: numbers, param_groups: state.param_groups });
  }
  if (checkpoint.scheduler) metadata.scheduler = stringify(checkpoint.scheduler);
  if (checkpoint.momentumScheduler) metadata.momentum_scheduler = stringify(checkpoint.momentumScheduler);
  for (const [name, tensor] of checkpoint.ema ?? []) tensors.push([`ema.${name}`, tensor]);
  for (const [name, tensor] of checkpoint.earlyStoppingBest ?? []) tensors.push([`early_stopping.best.${name}`, tensor]);
  if (checkpoint.order) tensors.push(['session.order', { dtype: 'I32', shape: [checkpoint.order.length], data: checkpoint.order }]);
  if (checkpoint.session) metadata.session = stringify(checkpoint.session);
  return encodeSafetensors(tensors, metadata);
}

/** A decoded checkpoint: the raw file (for the model part) and the other parts, parsed. */
export interface DecodedCheckpoint {
  file: SafetensorsFile;
  /** Whether this engine wrote it with the run state (false: a weights-only file, e.g. from torch). */
  hasRunState: boolean;
  optimizer?: { type: string; state: OptimizerStateDict };
  scheduler?: Record<string, unknown>;
  momentumScheduler?: Record<string, unknown>;
  session?: Record<string, unknown>;
  order?: Int32Array;
  /** Tensors under `prefix` with the prefix removed ("ema." → "0.weight"). */
  tensorsUnder(prefix: string): Map<string, SafeTensor>;
}

/**
 * Parses checkpoint bytes. A file that is not valid safetensors, or whose run-state metadata does
 * not parse, throws SpecError at `path` (the experiment's checkpoint key).
 */
export function decodeRunCheckpoint(bytes: Uint8Array, path: JsonPath = ['checkpoint', 'load']): DecodedCheckpoint {
  let file: SafetensorsFile;
  try {
    file = decodeSafetensors(bytes);
  } catch (error) {
    if (error instanceof SafetensorsFormatError) throw new SpecError(`not a valid safetensors file: ${error.message}`, path);
    throw error;
  }
  const meta = file.metadata;
  const version = meta['trainscope.checkpoint'];
  if (version !== undefined && version !== CHECKPOINT_VERSION) {
    throw new SpecError(`the checkpoint has layout version ${version}; this engine reads version ${CHECKPOINT_VERSION}`, path);
  }
  const parse = (key: string): Record<string, unknown> | undefined => {
    const text = meta[key];
    if (text === undefined) return undefined;
    try {
      const value = parseJson(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
      return value as Record<string, unknown>;
    } catch (error) {
      throw new SpecError(`the checkpoint's "${key}" metadata is corrupt: ${error instanceof Error ? error.message : String(error)}`, path);
    }
  };
  const tensorsUnder = (prefix: string): Map<string, SafeTensor> => {
    const out = new Map<string, SafeTensor>();
    for (const [name, tensor] of file.tensors) if (name.startsWith(prefix)) out.set(name.slice(prefix.length), tensor);
    return out;
  };

  const decoded: DecodedCheckpoint = { file, hasRunState: version !== undefined, tensorsUnder };
  const optimizer = parse('optimizer');
  if (optimizer) decoded.optimizer = readOptimizer(optimizer, tensorsUnder(OPTIMIZER_STATE), path);
  const scheduler = parse('scheduler');
  if (scheduler) decoded.scheduler = scheduler;
  const momentumScheduler = parse('momentum_scheduler');
  if (momentumScheduler) decoded.momentumScheduler = momentumScheduler;
  const session = parse('session');
  if (session) decoded.session = session;
  const order = file.tensors.get('session.order');
  if (order) {
    if (!(order.data instanceof Int32Array)) throw new SpecError('the checkpoint\'s "session.order" must be I32', path);
    decoded.order = order.data;
  }
  return decoded;
}

function readOptimizer(
  meta: Record<string, unknown>,
  tensors: Map<string, SafeTensor>,
  path: JsonPath,
): { type: string; state: OptimizerStateDict } {
  const { type, state: numbers, param_groups: groups } = meta;
  if (typeof type !== 'string' || !Array.isArray(groups) || typeof numbers !== 'object' || numbers === null) {
    throw new SpecError('the checkpoint\'s "optimizer" metadata lacks type, state or param_groups', path);
  }
  const state: Record<number, ParamState> = {};
  const entry = (index: number): ParamState => (state[index] ??= {});
  for (const [index, values] of Object.entries(numbers as Record<string, Record<string, number>>)) {
    for (const [key, value] of Object.entries(values)) entry(Number(index))[key] = value;
  }
  for (const [name, tensor] of tensors) {
    const dot = name.indexOf('.');
    const index = Number(name.slice(0, dot));
    if (dot < 0 || !Number.isInteger(index) || !(tensor.data instanceof Float32Array)) {
      throw new SpecError(`the checkpoint's optimizer tensor "optimizer.state.${name}" is not <index>.<key> in F32`, path);
    }
    entry(index)[name.slice(dot + 1)] = tensor.data;
  }
  return { type, state: { state, param_groups: groups as Record<string, unknown>[] } };
}

/** JSON that keeps Infinity and NaN (JSON.stringify would turn them into null). */
export function stringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { $float: String(v) } : v,
  );
}

export function parseJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$float') return Number((v as { $float: string }).$float);
    }
    return v;
  });
}
