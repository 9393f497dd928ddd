/**
 * A run's checkpoints: the whole run state as safetensors bytes (engine/checkpoint/checkpoint.ts
 * describes the layout) — model, optimizer, schedulers, EMA, early stopping, the loop's position,
 * the order of the rows and the random generators' positions — and starting from one: the model
 * weights alone, or everything, so that the run continues exactly as the saved one would have.
 */
import { decodeRunCheckpoint, encodeRunCheckpoint, type DecodedCheckpoint, type RunCheckpoint } from '../checkpoint/checkpoint';
import { isCheckpointPart, loadModelState, type StateEntry } from '../checkpoint/stateDict';
import type { TensorToWrite } from '../checkpoint/safetensors';
import { SpecError, type JsonPath } from '../core/errors';
import type { Scheduler } from '../schedule';
import type { RunParts } from './assemble';
import type { EarlyStoppingState } from '../loop/earlyStopping';
import type { EpochRecord } from './events';
import { layerRandoms, randomState, setRandomState } from './randomState';
import type { DiagnosticsState } from './runDiagnostics';
import type { TensorData } from '../loop/weightCopies';

const LOAD_PATH: JsonPath = ['checkpoint', 'load'];

/** Where the loop is: what it must know to continue (and what a resumed run starts from). */
export interface LoopPosition {
  step: number;
  epochsDone: number;
  batchInEpoch: number;
  /** Wall time of the run this one resumes (added to elapsed_ms). */
  elapsedBefore: number;
  best?: { epoch: number; loss: number };
  lastEpoch?: EpochRecord;
}

/** The run state a checkpoint's "session" metadata holds (besides tensors). */
interface SessionState {
  epochs_done: number;
  step: number;
  batch_in_epoch: number;
  elapsed_ms: number;
  random: { shuffle: number[]; layers: { layer: number; state: number[] }[] };
  best?: { epoch: number; loss: number };
  last_epoch?: EpochRecord;
  early_stopping?: EarlyStoppingState;
  ema?: { n_averaged: number };
  /** Absent in checkpoints of runs without diagnostics: they then start over. */
  diagnostics?: DiagnosticsState;
}

/** The run's state as safetensors bytes; `optimizer: false` keeps only the model's weights. */
export function saveCheckpoint(run: RunParts, position: LoopPosition, elapsedMs: number, optimizerType: string, withRunState = true): Uint8Array {
  const tensors = (entries: readonly StateEntry[], values: readonly TensorData[]): [string, TensorToWrite][] =>
    entries.map((e, i) => [e.name, { dtype: e.dtype, shape: e.shape, data: values[i] }]);
  const checkpoint: RunCheckpoint = { model: tensors(run.state, run.state.map(e => e.data)) };
  if (!withRunState) return encodeRunCheckpoint(checkpoint);

  checkpoint.optimizer = { type: optimizerType, state: run.optimizer.stateDict() };
  if (run.scheduler) checkpoint.scheduler = run.scheduler.stateDict();
  if (run.momentumScheduler) checkpoint.momentumScheduler = run.momentumScheduler.stateDict();
  if (run.ema) checkpoint.ema = tensors(run.ema.targets, run.ema.averages);
  if (run.bestWeights?.hasValues) checkpoint.earlyStoppingBest = tensors(run.state, run.bestWeights.copies);
  checkpoint.order = run.order;
  const session: SessionState = {
    epochs_done: position.epochsDone,
    step: position.step,
    batch_in_epoch: position.batchInEpoch,
    elapsed_ms: elapsedMs,
    random: {
      shuffle: randomState(run.shuffleRng),
      layers: layerRandoms(run.model).map(({ layer, random }) => ({ layer, state: randomState(random) })),
    },
  };
  if (position.best) session.best = { ...position.best };
  if (position.lastEpoch) session.last_epoch = { ...position.lastEpoch };
  if (run.earlyStopping) session.early_stopping = run.earlyStopping.stateDict();
  if (run.ema) session.ema = run.ema.stateDict();
  session.diagnostics = run.diagnostics.stateDict();
  checkpoint.session = session as unknown as Record<string, unknown>;
  return encodeRunCheckpoint(checkpoint);
}

/**
 * Loads the model weights of a safetensors file — one this engine saved, or one torch wrote with
 * `save_file(model.state_dict(), path)` — leaving everything else fresh. The file must hold every
 * parameter and buffer of the model with the same shape (torch's strict load); the other parts of a
 * full checkpoint are ignored. Problems throw SpecError at ["checkpoint", "load"].
 */
export function loadWeights(run: RunParts, bytes: Uint8Array): void {
  const decoded = decodeRunCheckpoint(bytes, LOAD_PATH);
  loadModelState(run.model, decoded.file, { ignore: isCheckpointPart, path: LOAD_PATH });
}

/**
 * Continues a run from its checkpoint: afterwards the loop produces the records and weights the
 * original would have produced from that point on (given the same experiment). Returns warnings
 * for the log. Problems throw SpecError at ["checkpoint", "load"]; the run must not be used after one.
 */
export function resume(run: RunParts, position: LoopPosition, bytes: Uint8Array, optimizerType: string): string[] {
  const decoded = decodeRunCheckpoint(bytes, LOAD_PATH);
  if (!decoded.hasRunState || !decoded.session || !decoded.optimizer) {
    throw new SpecError(
      'this file holds only model weights (no optimizer, epoch or random state), so the run cannot resume from it; ' +
        'set "load_mode": "weights" to start a new run from these weights',
      LOAD_PATH,
    );
  }
  loadModelState(run.model, decoded.file, { ignore: isCheckpointPart, path: LOAD_PATH });
  resumeOptimizer(run, decoded, optimizerType);
  const warnings = resumeSchedulers(run, decoded);
  warnings.push(...resumeLoop(run, position, decoded, decoded.session as unknown as SessionState));
  run.header.resumed_from = { epoch: position.epochsDone, step: position.step };
  return warnings;
}

function resumeOptimizer(run: RunParts, decoded: DecodedCheckpoint, optimizerType: string): void {
  const saved = decoded.optimizer!;
  if (saved.type !== optimizerType) {
    throw new SpecError(`the checkpoint was trained with optimizer '${saved.type}' but the experiment uses '${optimizerType}'`, LOAD_PATH);
  }
  try {
    run.optimizer.loadStateDict(saved.state);
  } catch (error) {
    throw new SpecError(`the checkpoint's optimizer state does not fit: ${messageOf(error)}`, LOAD_PATH);
  }
}

function resumeSchedulers(run: RunParts, decoded: DecodedCheckpoint): string[] {
  const warnings: string[] = [];
  const pairs: [Scheduler | undefined, Record<string, unknown> | undefined, string][] = [
    [run.scheduler, decoded.scheduler, 'schedule'],
    [run.momentumScheduler, decoded.momentumScheduler, 'momentum_schedule'],
  ];
  for (const [scheduler, saved, key] of pairs) {
    if (scheduler && !saved) {
      throw new SpecError(`the experiment has a ${key} but the checkpoint has no state for one, so it cannot resume it`, LOAD_PATH);
    }
    if (!scheduler && saved) warnings.push(`the checkpoint has a ${key} state but the experiment has no ${key}: the lr continues unscheduled`);
    if (scheduler && saved) {
      try {
        scheduler.loadStateDict(saved);
      } catch (error) {
        throw new SpecError(`the checkpoint's ${key} state does not fit: ${messageOf(error)}`, LOAD_PATH);
      }
    }
  }
  return warnings;
}

function resumeLoop(run: RunParts, position: LoopPosition, decoded: DecodedCheckpoint, saved: SessionState): string[] {
  const warnings: string[] = [];
  if (decoded.order) {
    if (decoded.order.length !== run.order.length) {
      throw new SpecError(`the checkpoint was trained on ${decoded.order.length} rows but this training set has ${run.order.length}`, LOAD_PATH);
    }
    run.order.set(decoded.order);
  }
  position.epochsDone = saved.epochs_done;
  position.step = saved.step;
  position.batchInEpoch = saved.batch_in_epoch;
  if (position.batchInEpoch >= run.header.stepsPerEpoch) {
    throw new SpecError("the checkpoint stopped inside an epoch longer than this experiment's epochs (another batch_size?)", LOAD_PATH);
  }
  position.elapsedBefore = saved.elapsed_ms;
  position.best = saved.best;
  position.lastEpoch = saved.last_epoch;
  setRandomState(run.shuffleRng, saved.random.shuffle);
  const randoms = layerRandoms(run.model);
  for (const { layer, state } of saved.random.layers) {
    const target = randoms.find(r => r.layer === layer);
    if (target) setRandomState(target.random, state);
  }
  if (run.ema) {
    const averages = decoded.tensorsUnder('ema.');
    if (saved.ema && averages.size > 0) {
      run.ema.loadStateDict(saved.ema, run.ema.targets.map(t => tensorFor(averages, t)));
    } else {
      warnings.push('the checkpoint has no EMA of the weights; the average starts over');
    }
  }
  if (run.earlyStopping && saved.early_stopping) run.earlyStopping.loadStateDict(saved.early_stopping);
  if (saved.diagnostics) run.diagnostics.loadStateDict(saved.diagnostics);
  if (run.bestWeights) {
    const best = decoded.tensorsUnder('early_stopping.best.');
    if (best.size > 0) run.bestWeights.load(run.state.map(e => tensorFor(best, e)));
  }
  return warnings;
}

function tensorFor(tensors: Map<string, { data: ArrayLike<number>; shape: number[] }>, entry: StateEntry): ArrayLike<number> {
  const tensor = tensors.get(entry.name);
  if (!tensor || tensor.data.length !== entry.data.length) {
    throw new SpecError(`the checkpoint's copy of ${entry.name} is missing or has the wrong size`, LOAD_PATH);
  }
  return tensor.data;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
