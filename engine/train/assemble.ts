/**
 * Everything a run is made of, built once from its resolved spec and its data: the model, the
 * loss, the optimizer and schedulers, the optional parts (penalty, early stopping, EMA), the
 * buffers a step reads, the probes and the diagnostics. All memory a run needs is taken here, so
 * that a step allocates only its record.
 */
import { SpecError } from '../core/errors';
import type { Kernels } from '../core/kernels';
import { allocateFloat32, allocatingFrom } from '../core/memory';
import { jsKernels } from '../core/jsKernels';
import { bufferSourceOf, createKernels } from '../core/selectKernels';
import { ArenaFullError } from '../core/wasm/arena';
import { Random } from '../core/random';
import { modelState, type StateEntry } from '../checkpoint/stateDict';
import type { DataSplit } from '../data/dataset';
import { hasClasses, targetWidth, type Task } from '../core/task';
import type { ExperimentSpec } from '../experiment/sections';
import { createLoss, type Loss } from '../losses';
import { buildModel, type Sequential } from '../nn/sequential';
import { createOptimizer, needsClosure, type Optimizer } from '../optim';
import { createMomentumScheduler, createScheduler, type Scheduler } from '../schedule';
import { batchesPerEpoch } from './batching';
import { EarlyStopping } from '../loop/earlyStopping';
import { WeightEma } from '../loop/ema';
import type { RunHeader } from './events';
import { WeightPenalty } from '../loop/penalties';
import { createProbing, type SessionProbing } from './probing';
import { inputScaleOf, RunDiagnostics } from './runDiagnostics';
import { TensorSnapshot, WeightSwap } from '../loop/weightCopies';

/**
 * Rows evaluated per forward pass at the end of an epoch: big enough to amortize per-call costs,
 * small enough that the activation buffers stay a few MB for wide models.
 */
const EVAL_CHUNK_ROWS = 1024;

export interface RunParts {
  readonly header: RunHeader;
  readonly model: Sequential;
  readonly loss: Loss;
  readonly optimizer: Optimizer;
  readonly scheduler?: Scheduler;
  readonly momentumScheduler?: Scheduler;
  /** Absent when there is nothing to penalize (or zero strengths): it would cost without effect. */
  readonly penalty?: WeightPenalty;
  readonly earlyStopping?: EarlyStopping;
  readonly ema?: WeightEma;
  /** The model's state_dict entries (parameters and buffers), sharing the live arrays. */
  readonly state: readonly StateEntry[];
  /** Puts averaged weights in place for an evaluation, and back. */
  readonly swap: WeightSwap;
  /** The best epoch's evaluated weights, when early stopping restores them. */
  readonly bestWeights?: TensorSnapshot;
  /** One full-batch closure step per epoch (L-BFGS) instead of mini-batches. */
  readonly fullBatch: boolean;
  /** Rows the buffers hold: a batch, or an evaluation chunk. */
  readonly maxRows: number;
  /** Values per target row: 1 class index, or the regression targets. */
  readonly targetWidth: number;
  /** The order of the training rows, reshuffled each epoch. */
  readonly order: Int32Array;
  readonly shuffleRng: Random;
  readonly batchX: Float32Array;
  readonly batchY: Float32Array;
  /** Absent when the experiment turns probing off. */
  readonly probing?: SessionProbing;
  readonly diagnostics: RunDiagnostics;
}

export function assembleRun(spec: ExperimentSpec, data: DataSplit, kernels: Kernels = createKernels()): RunParts {
  try {
    return assembleWith(spec, data, kernels);
  } catch (e) {
    if (!(e instanceof ArenaFullError)) throw e;
    // More than WebAssembly's 2 GiB of buffers: the JavaScript kernels have no such limit, only
    // less speed (the run's header says which kernels it used).
    return assembleWith(spec, data, jsKernels);
  }
}

function assembleWith(spec: ExperimentSpec, data: DataSplit, kernels: Kernels): RunParts {
  const train = data.train;
  const task = train.task;
  if (train.size === 0) throw new SpecError('the training set is empty', ['data']);

  const root = new Random(spec.training.seed);
  const fullBatch = needsClosure(spec.optimizer);
  const batchSize = fullBatch ? train.size : spec.training.batch_size;
  const largest = Math.max(train.size, data.validation.size, data.test?.size ?? 0);
  const maxRows = Math.max(Math.min(batchSize, train.size), Math.min(EVAL_CHUNK_ROWS, largest));

  // The run's buffers (parameters, gradients, activations, optimizer state, the batch) live in the
  // kernels' memory, where gemms and updates use them in place (docs/engine.md).
  const buffers = bufferSourceOf(kernels);
  // The loss decides the model's width: one score per class, but one logit for bce_with_logits.
  const loss = allocatingFrom(buffers, () => createLoss(spec.loss, train.outputs, maxRows, task));
  const model = allocatingFrom(buffers, () =>
    buildModel(spec.model, train.features, loss.modelOutputs, spec.init, root.fork('init'), maxRows, kernels, { task, source: data.source }),
  );
  const optimizer = allocatingFrom(buffers, () => createOptimizer(spec.optimizer, model.parameters));
  const state = modelState(model);

  const { regularization, ema, early_stopping: earlyStoppingSpec } = spec.training;
  const penalty = regularization ? new WeightPenalty(regularization, model.parameters) : undefined;
  const earlyStopping = earlyStoppingSpec ? new EarlyStopping(earlyStoppingSpec) : undefined;
  if (earlyStoppingSpec) checkMonitor(earlyStoppingSpec.monitor, task, data.validation.size > 0);

  const order = new Int32Array(train.size);
  for (let i = 0; i < train.size; i++) order[i] = i;
  const yWidth = targetWidth(task, train.outputs);

  const stepsPerEpoch = batchesPerEpoch(train.size, batchSize);
  const context = { stepsPerEpoch, epochs: spec.training.epochs };
  const header: RunHeader = {
    experiment: spec.name,
    task,
    data: dataHeader(data),
    layers: model.layerDescriptions(),
    parameters: model.parameterCount,
    epochs: spec.training.epochs,
    stepsPerEpoch,
    totalSteps: stepsPerEpoch * spec.training.epochs,
    kernels: kernels.name,
  };
  if (spec.variant !== undefined) header.variant = spec.variant;
  const expected = loss.expectedInitialLoss(train.outputs);
  if (expected !== undefined) header.expectedInitialLoss = expected;

  return {
    header,
    model,
    loss,
    optimizer,
    // Schedulers set the lr (and momentum) of step 0 at construction, as torch's do.
    scheduler: spec.schedule ? createScheduler(spec.schedule, optimizer, context) : undefined,
    momentumScheduler: spec.momentum_schedule ? createMomentumScheduler(spec.momentum_schedule, optimizer, context) : undefined,
    penalty: penalty?.active ? penalty : undefined,
    earlyStopping,
    ema: ema ? new WeightEma(ema, state) : undefined,
    state,
    swap: new WeightSwap(state.map(e => e.data)),
    bestWeights: earlyStoppingSpec?.restore_best_weights ? new TensorSnapshot(state.map(e => e.data)) : undefined,
    fullBatch,
    maxRows,
    targetWidth: yWidth,
    order,
    shuffleRng: root.fork('shuffle'),
    // Full-batch steps read the dataset in place; no gather buffers needed.
    batchX: allocatingFrom(buffers, () => allocateFloat32(fullBatch ? 0 : maxRows * train.features)),
    batchY: new Float32Array(fullBatch ? 0 : maxRows * yWidth),
    probing: createProbing(spec.probes, spec.model, model, optimizer, Math.min(batchSize, train.size)),
    diagnostics: new RunDiagnostics(spec, spec.diagnostics, header, inputScaleOf(train.x, train.size, train.features)),
  };
}

/** The monitored metric needs what the data has: a validation set, a classification. */
function checkMonitor(monitor: string, task: Task, hasValidation: boolean): void {
  const path = ['training', 'early_stopping', 'monitor'];
  if (monitor.startsWith('val_') && !hasValidation) {
    throw new SpecError(`early stopping monitors ${monitor} but there is no validation set; monitor train_loss or add a validation split`, path);
  }
  if (monitor.endsWith('accuracy') && !hasClasses(task)) {
    throw new SpecError(`early stopping monitors ${monitor}, but a regression has no accuracy; monitor a loss`, path);
  }
}

/** What the run's header says of its data: sizes, and the image shape and class names views need. */
function dataHeader(data: DataSplit): RunHeader['data'] {
  const { train } = data;
  const out: RunHeader['data'] = { description: data.description, train: train.size, validation: data.validation.size, features: train.features, outputs: train.outputs };
  if (data.test) out.test = data.test.size;
  if (train.shape) out.shape = [...train.shape];
  if (train.classNames) out.class_names = [...train.classNames];
  return out;
}
