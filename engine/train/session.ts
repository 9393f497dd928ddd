import { decodeRunCheckpoint, encodeRunCheckpoint, type DecodedCheckpoint, type RunCheckpoint } from '../checkpoint/checkpoint';
import { isCheckpointPart, loadModelState, modelState, type StateEntry } from '../checkpoint/stateDict';
import type { TensorToWrite } from '../checkpoint/safetensors';
import type { Kernels } from '../core/kernels';
import { allocateFloat32, allocatingFrom } from '../core/memory';
import { bufferSourceOf, createKernels } from '../core/selectKernels';
import { Random } from '../core/random';
import type { DataSplit } from '../data/dataset';
import type { ExperimentSpec } from '../experiment/spec';
import { SpecError, type JsonPath } from '../experiment/specError';
import { createLoss, type Loss } from '../losses';
import { buildModel, type Sequential } from '../nn/sequential';
import { createOptimizer, type Optimizer } from '../optim';
import { Lookahead } from '../optim/lookahead';
import { ModelProbeTarget } from '../probes/modelTarget';
import type { ProbeOptimizer } from '../probes/optimizerState';
import { Prober } from '../probes/prober';
import type { ProbeRecord } from '../probes/record';
import { resolveProbeSettings, type ProbeSettings } from '../probes/settings';
import { createMomentumScheduler, createScheduler, type Scheduler } from '../schedule';
import type { MomentumScheduleSpec, ScheduleSpec } from '../schedule/spec';
import { batchesPerEpoch, gatherRows } from './batching';
import { clipGradNorm, clipGradValue } from './clipping';
import { EarlyStopping, type EarlyStoppingState } from './earlyStopping';
import { WeightEma } from './ema';
import { evaluate } from './evaluate';
import type {
  EarlyStoppingSummary,
  EpochRecord,
  FindingRecord,
  MetricRecord,
  RunHeader,
  RunStatus,
  RunSummary,
  StepRecord,
  TrainEvent,
} from './events';
import { WeightPenalty } from './penalties';
import { layerRandoms, randomState, setRandomState } from './randomState';
import { RunDiagnostics, type DiagnosticsSpec, type DiagnosticsState } from './runDiagnostics';
import type { CheckpointSpec, TrainingExtrasSpec } from './spec';
import { TensorSnapshot, WeightSwap, type TensorData } from './weightCopies';

export type { DiagnosticsSpec };

/**
 * The experiment as the session reads it: the resolved ExperimentSpec plus the optional parts of
 * issue 3 — `training.{clip_grad_norm, clip_grad_value, regularization, early_stopping, ema}`,
 * the top-level `schedule` / `momentum_schedule` (engine/schedule) and `checkpoint` — and of
 * issue 4: `probes` (absent = the defaults: every 50 steps and at step 1; `{ "every": 0,
 * "at_init": false }` = none) and `diagnostics` (absent = every rule at its default thresholds).
 * Every extra is optional, so a plain ExperimentSpec is a SessionSpec.
 */
export interface SessionSpec extends ExperimentSpec {
  training: ExperimentSpec['training'] & TrainingExtrasSpec;
  schedule?: ScheduleSpec;
  momentum_schedule?: MomentumScheduleSpec;
  checkpoint?: CheckpointSpec;
  probes?: Partial<ProbeSettings>;
  diagnostics?: DiagnosticsSpec;
}

export interface SessionOptions {
  /** Default: the fastest this runtime has (createKernels: TRAINSCOPE_KERNELS, TRAINSCOPE_THREADS). */
  kernels?: Kernels;
  onEvent(event: TrainEvent): void;
  /** Milliseconds clock; default performance.now. Tests pass a fake one. */
  now?: () => number;
  /**
   * The bytes of the file `checkpoint.load` names (the engine reads no files), applied as
   * `checkpoint.load_mode` says: 'weights' (the default) or 'resume'.
   */
  checkpoint?: Uint8Array;
  /**
   * Receives a checkpoint (safetensors bytes) when `checkpoint.save` is set: every
   * `checkpoint.save_every` epochs and once at the end of a completed or stopped run (`final`).
   * The caller writes it to the file.
   */
  onCheckpoint?(checkpoint: { bytes: Uint8Array; epoch: number; step: number; final: boolean }): void;
}

/**
 * Rows evaluated per forward pass at the end of an epoch: big enough to amortize per-call costs,
 * small enough that the activation buffers stay a few MB for wide models.
 */
const EVAL_CHUNK_ROWS = 1024;
const LOAD_PATH: JsonPath = ['checkpoint', 'load'];
const PROBES_PATH: JsonPath = ['probes'];

/** The loss terms of one step, as the step record reports them. */
interface StepMeasure {
  loss: number;
  penalty: number;
  gradNorm: number;
}

/**
 * One training run, as a standard PyTorch loop: per epoch, (optionally) shuffle, then for each
 * mini-batch zero the gradients, forward, loss (+ weight penalty), backward, clip, optimizer step,
 * EMA update, per-step schedulers; at the end of each epoch evaluate the whole training and
 * validation sets in evaluation mode (with the EMA or the optimizer's averaged weights when there
 * are), step the per-epoch schedulers and decide early stopping. An optimizer that needs a closure
 * (L-BFGS) instead takes one `step(closure)` per epoch over the whole training set, as torch's
 * full-batch L-BFGS loop does. The caller drives the run in time slices (`runFor`), so a worker can
 * interleave training with messages, or synchronously (`runToEnd`). All buffers are allocated here;
 * a step allocates only its record.
 *
 * Probes and diagnostics (issue 4): on the steps `probes` says (step 1 and every 50th by default)
 * the parameters are copied before the optimizer step and, after it, a ProbeRecord describes the
 * step's activations, gradients, update and optimizer state; it follows the StepRecord. Every step
 * loss, probe and epoch evaluation goes to a Diagnostician, in that order, and its findings follow
 * the record that made them fire. An 'error' finding (a NaN or exploding loss, NaN weights) ends the
 * run as failed at that step, with the finding's message as the summary's error.
 */
export class TrainingSession {
  readonly header: RunHeader;
  /** The kernels the run computes with (e.g. "wasm-relaxed-2t", "js"). */
  readonly kernelsName: string;
  private readonly spec: SessionSpec;
  private readonly data: DataSplit;
  private readonly onEvent: (event: TrainEvent) => void;
  private readonly onCheckpoint: SessionOptions['onCheckpoint'];
  private readonly now: () => number;
  private readonly model: Sequential;
  private readonly loss: Loss;
  private readonly optimizer: Optimizer;
  private readonly scheduler: Scheduler | undefined;
  private readonly momentumScheduler: Scheduler | undefined;
  private readonly penalty: WeightPenalty | undefined;
  private readonly earlyStopping: EarlyStopping | undefined;
  private readonly ema: WeightEma | undefined;
  /** The model's state_dict entries (parameters and buffers), sharing the live arrays. */
  private readonly state: readonly StateEntry[];
  private readonly swap: WeightSwap;
  /** The best epoch's evaluated weights, when early stopping restores them. */
  private readonly bestWeights: TensorSnapshot | undefined;
  private readonly fullBatch: boolean;
  private readonly maxRows: number;
  private readonly targetWidth: number;
  private readonly order: Int32Array;
  private readonly shuffleRng: Random;
  private readonly batchX: Float32Array;
  private readonly batchY: Float32Array;
  /** Absent when the experiment turns probing off. */
  private readonly probing: { prober: Prober; target: ModelProbeTarget; optimizer: ProbeOptimizer } | undefined;
  private readonly diagnostics: RunDiagnostics;

  private started = false;
  private startTime = 0;
  /** Wall time of the run this one resumes (added to elapsed_ms). */
  private elapsedBefore = 0;
  private step = 0;
  private epochsDone = 0;
  private batchInEpoch = 0;
  private pending: MetricRecord[] = [];
  private pendingLogs: TrainEvent[] = [];
  private lastEpoch: EpochRecord | undefined;
  private best: { epoch: number; loss: number } | undefined;
  private stopEarly = false;
  private restoredFinal: EpochRecord | undefined;
  private summary: RunSummary | undefined;
  private stoppedBy: RunSummary['stopped_by'];
  private finishedEmitted = false;
  /** The last loss-and-gradient evaluation (reused: a step allocates only its record). */
  private readonly measure: StepMeasure = { loss: 0, penalty: 0, gradNorm: NaN };
  /** The first closure evaluation of the current L-BFGS step (what its record reports). */
  private readonly firstEvaluation: StepMeasure = { loss: 0, penalty: 0, gradNorm: NaN };
  private closureCalls = 0;

  constructor(spec: SessionSpec, data: DataSplit, options: SessionOptions) {
    this.spec = spec;
    this.data = data;
    this.onEvent = options.onEvent;
    this.onCheckpoint = options.onCheckpoint;
    this.now = options.now ?? defaultClock;
    const train = data.train;
    const task = train.task;
    if (train.size === 0) throw new SpecError('the training set is empty', ['data']);

    const root = new Random(spec.training.seed);
    this.shuffleRng = root.fork('shuffle');
    // Whether the optimizer needs a closure is known only once it exists, and it needs the model's
    // parameters; the model needs maxRows. The spec's type says it first.
    this.fullBatch = needsClosure(spec);
    const batchSize = this.fullBatch ? train.size : spec.training.batch_size;
    const largest = Math.max(train.size, data.validation.size);
    this.maxRows = Math.max(Math.min(batchSize, train.size), Math.min(EVAL_CHUNK_ROWS, largest));

    const kernels = options.kernels ?? createKernels();
    this.kernelsName = kernels.name;
    // The run's buffers (parameters, gradients, activations, optimizer state, the batch) live in
    // the kernels' memory, where gemms and updates use them in place.
    const buffers = bufferSourceOf(kernels);
    // The loss decides the model's width: one score per class, but one logit for bce_with_logits.
    this.loss = allocatingFrom(buffers, () => createLoss(spec.loss, train.outputs, this.maxRows, task));
    this.model = allocatingFrom(buffers, () =>
      buildModel(spec.model, train.features, this.loss.modelOutputs, spec.init, root.fork('init'), this.maxRows, kernels, { task }),
    );
    this.optimizer = allocatingFrom(buffers, () => createOptimizer(spec.optimizer, this.model.parameters));
    if (this.optimizer.requiresClosure !== this.fullBatch) {
      throw new Error(`optimizer '${spec.optimizer.type}': requiresClosure disagrees with needsClosure()`);
    }
    this.state = modelState(this.model);
    this.swap = new WeightSwap(this.state.map((e) => e.data));

    const extras = spec.training;
    const penalty = extras.regularization ? new WeightPenalty(extras.regularization, this.model.parameters) : undefined;
    // Zero strengths (or nothing to penalize) cost nothing and report no penalty.
    this.penalty = penalty?.active ? penalty : undefined;
    this.ema = extras.ema ? new WeightEma(extras.ema, this.state) : undefined;
    if (extras.early_stopping) {
      checkMonitor(extras.early_stopping.monitor, task, data.validation.size > 0);
      this.earlyStopping = new EarlyStopping(extras.early_stopping);
      if (extras.early_stopping.restore_best_weights) this.bestWeights = new TensorSnapshot(this.state.map((e) => e.data));
    }

    this.targetWidth = task === 'classification' ? 1 : train.outputs;
    this.order = new Int32Array(train.size);
    for (let i = 0; i < train.size; i++) this.order[i] = i;
    // Full-batch steps read the dataset in place; no gather buffers needed.
    this.batchX = allocatingFrom(buffers, () => allocateFloat32(this.fullBatch ? 0 : this.maxRows * train.features));
    this.batchY = new Float32Array(this.fullBatch ? 0 : this.maxRows * this.targetWidth);

    const stepsPerEpoch = batchesPerEpoch(train.size, batchSize);
    const context = { stepsPerEpoch, epochs: spec.training.epochs };
    // Schedulers set the lr (and momentum) of step 0 at construction, as torch's do.
    this.scheduler = spec.schedule ? createScheduler(spec.schedule, this.optimizer, context) : undefined;
    this.momentumScheduler = spec.momentum_schedule
      ? createMomentumScheduler(spec.momentum_schedule, this.optimizer, context)
      : undefined;

    const header: RunHeader = {
      experiment: spec.name,
      task,
      data: {
        description: data.description,
        train: train.size,
        validation: data.validation.size,
        features: train.features,
        outputs: train.outputs,
      },
      layers: this.model.layerDescriptions(),
      parameters: this.model.parameterCount,
      epochs: spec.training.epochs,
      stepsPerEpoch,
      totalSteps: stepsPerEpoch * spec.training.epochs,
    };
    if (spec.variant !== undefined) header.variant = spec.variant;
    const expected = this.loss.expectedInitialLoss(train.outputs);
    if (expected !== undefined) header.expectedInitialLoss = expected;
    this.header = header;

    this.probing = createProbing(spec, this.model, this.optimizer);
    this.diagnostics = new RunDiagnostics(spec, spec.diagnostics, header);

    if (options.checkpoint) {
      if (spec.checkpoint?.load_mode === 'resume') this.resume(options.checkpoint);
      else this.loadWeights(options.checkpoint);
    }
  }

  get done(): boolean {
    return this.summary !== undefined;
  }

  /**
   * The probes' work memory: bytes held and how often a buffer had to grow past the size set up
   * for this model (0 on a healthy run: probing allocates nothing but its records). Undefined
   * when probing is off. For tests and benchmarks.
   */
  get probeMemory(): { bytes: number; growths: number } | undefined {
    const scratch = this.probing?.prober.scratch;
    return scratch && { bytes: scratch.bytes, growths: scratch.growths };
  }

  /**
   * Runs whole steps until budgetMs of wall time has passed or training ends (at least one step per
   * call, so every call makes progress); emits `started` on the first call, the records produced
   * during the call at its end, and `finished` when the run ends. Returns done.
   */
  runFor(budgetMs: number): boolean {
    if (this.summary) return true;
    const callStart = this.now();
    this.start(callStart);
    if (this.epochsDone >= this.spec.training.epochs) this.end('completed');
    while (!this.summary) {
      try {
        this.runStep();
      } catch (error) {
        // e.g. a target that is not a class index: the run fails with the reason instead of
        // taking down the worker that drives it.
        this.finish('failed', error instanceof Error ? error.message : String(error));
      }
      if (this.now() - callStart >= budgetMs) break;
    }
    this.flush();
    return this.summary !== undefined;
  }

  /** Ends the run now as 'stopped' (emits finished with the summary so far). No-op once done. */
  stop(): void {
    if (this.summary) return;
    this.start(this.now());
    this.end('stopped');
    this.flush();
  }

  /** Synchronously runs to the end; returns the summary. */
  runToEnd(): RunSummary {
    while (!this.runFor(Infinity));
    return this.summary!;
  }

  // ---- checkpoints -------------------------------------------------------------------------------

  /**
   * The whole run state as safetensors bytes (engine/checkpoint/checkpoint.ts describes the layout):
   * model, optimizer, schedulers, EMA, early stopping, epoch / step / position in the epoch, the
   * order of the rows and the random generators' positions. Call between steps (e.g. between
   * `runFor` calls); a session given these bytes with `resume` continues exactly as this one would.
   */
  saveCheckpoint(options: { optimizer?: boolean } = {}): Uint8Array {
    const withRunState = options.optimizer ?? true;
    const tensors = (entries: readonly StateEntry[], values: readonly TensorData[]): [string, TensorToWrite][] =>
      entries.map((e, i) => [e.name, { dtype: e.dtype, shape: e.shape, data: values[i] }]);
    const checkpoint: RunCheckpoint = { model: tensors(this.state, this.state.map((e) => e.data)) };
    if (!withRunState) return encodeRunCheckpoint(checkpoint);

    checkpoint.optimizer = { type: this.spec.optimizer.type, state: this.optimizer.stateDict() };
    if (this.scheduler) checkpoint.scheduler = this.scheduler.stateDict();
    if (this.momentumScheduler) checkpoint.momentumScheduler = this.momentumScheduler.stateDict();
    if (this.ema) checkpoint.ema = tensors(this.ema.targets, this.ema.averages);
    if (this.bestWeights?.hasValues) checkpoint.earlyStoppingBest = tensors(this.state, this.bestWeights.copies);
    checkpoint.order = this.order;
    const session: SessionState = {
      epochs_done: this.epochsDone,
      step: this.step,
      batch_in_epoch: this.batchInEpoch,
      elapsed_ms: this.elapsed(),
      random: {
        shuffle: randomState(this.shuffleRng),
        layers: layerRandoms(this.model).map(({ layer, random }) => ({ layer, state: randomState(random) })),
      },
    };
    if (this.best) session.best = { ...this.best };
    if (this.lastEpoch) session.last_epoch = { ...this.lastEpoch };
    if (this.earlyStopping) session.early_stopping = this.earlyStopping.stateDict();
    if (this.ema) session.ema = this.ema.stateDict();
    session.diagnostics = this.diagnostics.stateDict();
    checkpoint.session = session as unknown as Record<string, unknown>;
    return encodeRunCheckpoint(checkpoint);
  }

  /**
   * Starts from the model weights in a safetensors file — one this engine saved, or one torch wrote
   * with `save_file(model.state_dict(), path)` — leaving everything else fresh. The file must hold
   * every parameter and buffer of the model with the same shape (torch's strict load); the parts of
   * a full checkpoint besides the model are ignored. Before the first `runFor` only.
   * Problems throw SpecError at ["checkpoint", "load"].
   */
  loadWeights(bytes: Uint8Array): void {
    this.checkNotStarted();
    const decoded = decodeRunCheckpoint(bytes, LOAD_PATH);
    loadModelState(this.model, decoded.file, { ignore: isCheckpointPart, path: LOAD_PATH });
  }

  /**
   * Continues the run a checkpoint from `saveCheckpoint` was taken of: after this, the session
   * produces the records and weights the original would have produced from that point on (given the
   * same experiment; the records before it are not repeated). Before the first `runFor` only.
   * Problems throw SpecError at ["checkpoint", "load"]; the session must not be used after one.
   */
  resume(bytes: Uint8Array): void {
    this.checkNotStarted();
    const decoded = decodeRunCheckpoint(bytes, LOAD_PATH);
    if (!decoded.hasRunState || !decoded.session || !decoded.optimizer) {
      throw new SpecError(
        'this file holds only model weights (no optimizer, epoch or random state), so the run cannot resume from it; ' +
          'set "load_mode": "weights" to start a new run from these weights',
        LOAD_PATH,
      );
    }
    loadModelState(this.model, decoded.file, { ignore: isCheckpointPart, path: LOAD_PATH });
    this.resumeOptimizer(decoded);
    this.resumeSchedulers(decoded);
    this.resumeSession(decoded, decoded.session as unknown as SessionState);
    this.header.resumed_from = { epoch: this.epochsDone, step: this.step };
  }

  private resumeOptimizer(decoded: DecodedCheckpoint): void {
    const saved = decoded.optimizer!;
    if (saved.type !== this.spec.optimizer.type) {
      throw new SpecError(
        `the checkpoint was trained with optimizer '${saved.type}' but the experiment uses '${this.spec.optimizer.type}'`,
        LOAD_PATH,
      );
    }
    try {
      this.optimizer.loadStateDict(saved.state);
    } catch (error) {
      throw new SpecError(`the checkpoint's optimizer state does not fit: ${messageOf(error)}`, LOAD_PATH);
    }
  }

  private resumeSchedulers(decoded: DecodedCheckpoint): void {
    const pairs: [Scheduler | undefined, Record<string, unknown> | undefined, string][] = [
      [this.scheduler, decoded.scheduler, 'schedule'],
      [this.momentumScheduler, decoded.momentumScheduler, 'momentum_schedule'],
    ];
    for (const [scheduler, saved, key] of pairs) {
      if (scheduler && !saved) {
        throw new SpecError(`the experiment has a ${key} but the checkpoint has no state for one, so it cannot resume it`, LOAD_PATH);
      }
      if (!scheduler && saved) {
        this.log('warning', `the checkpoint has a ${key} state but the experiment has no ${key}: the lr continues unscheduled`);
      }
      if (scheduler && saved) {
        try {
          scheduler.loadStateDict(saved);
        } catch (error) {
          throw new SpecError(`the checkpoint's ${key} state does not fit: ${messageOf(error)}`, LOAD_PATH);
        }
      }
    }
  }

  private resumeSession(decoded: DecodedCheckpoint, saved: SessionState): void {
    if (decoded.order) {
      if (decoded.order.length !== this.order.length) {
        throw new SpecError(
          `the checkpoint was trained on ${decoded.order.length} rows but this training set has ${this.order.length}`,
          LOAD_PATH,
        );
      }
      this.order.set(decoded.order);
    }
    this.epochsDone = saved.epochs_done;
    this.step = saved.step;
    this.batchInEpoch = saved.batch_in_epoch;
    if (this.batchInEpoch >= this.header.stepsPerEpoch) {
      throw new SpecError('the checkpoint stopped inside an epoch longer than this experiment\'s epochs (another batch_size?)', LOAD_PATH);
    }
    this.elapsedBefore = saved.elapsed_ms;
    this.best = saved.best;
    this.lastEpoch = saved.last_epoch;
    setRandomState(this.shuffleRng, saved.random.shuffle);
    const randoms = layerRandoms(this.model);
    for (const { layer, state } of saved.random.layers) {
      const target = randoms.find((r) => r.layer === layer);
      if (target) setRandomState(target.random, state);
    }
    if (this.ema) {
      const averages = decoded.tensorsUnder('ema.');
      if (saved.ema && averages.size > 0) {
        this.ema.loadStateDict(saved.ema, this.ema.targets.map((t) => tensorFor(averages, t)));
      } else {
        this.log('warning', 'the checkpoint has no EMA of the weights; the average starts over');
      }
    }
    if (this.earlyStopping && saved.early_stopping) this.earlyStopping.loadStateDict(saved.early_stopping);
    if (saved.diagnostics) this.diagnostics.loadStateDict(saved.diagnostics);
    if (this.bestWeights) {
      const best = decoded.tensorsUnder('early_stopping.best.');
      if (best.size > 0) this.bestWeights.load(this.state.map((e) => tensorFor(best, e)));
    }
  }

  private checkNotStarted(): void {
    if (this.started) throw new Error('checkpoints must be loaded before the run starts');
  }

  // ---- the loop ----------------------------------------------------------------------------------

  private start(time: number): void {
    if (this.started) return;
    this.started = true;
    this.startTime = time;
    this.onEvent({ type: 'started', header: this.header });
  }

  private elapsed(): number {
    return this.elapsedBefore + (this.started ? this.now() - this.startTime : 0);
  }

  private runStep(): void {
    const stepNumber = this.step + 1;
    const epoch = this.epochsDone + 1;
    const probing = this.probing;
    const probed = probing !== undefined && probing.prober.isDue(stepNumber);
    const measure = this.fullBatch ? this.closureStep(probed) : this.batchStep(probed);
    if (!Number.isFinite(measure.loss)) {
      this.lossNotFinite(stepNumber, epoch, measure.loss);
      return;
    }
    this.ema?.update();
    this.step = stepNumber;
    const record: StepRecord = { kind: 'step', step: stepNumber, epoch, loss: measure.loss, lr: this.optimizer.lr };
    const momentum = this.optimizer.momentum;
    if (momentum !== undefined) record.momentum = momentum;
    if (this.spec.training.clip_grad_norm) record.grad_norm = measure.gradNorm;
    if (this.penalty) record.penalty = measure.penalty;
    if (this.fullBatch) record.function_evaluations = this.optimizer.functionEvaluations;
    this.pending.push(record);
    // Before any scheduler step: the probe reports the lr and momentum this step used.
    let probe: ProbeRecord | undefined;
    if (probed) {
      probe = probing.prober.probe(stepNumber, epoch, probing.target.update(), probing.optimizer);
      this.pending.push(probe);
    }
    this.report(this.diagnostics.step(stepNumber, epoch, measure.loss));
    if (probe) this.report(this.diagnostics.probe(probe));
    if (this.stopIfDiagnosed()) return;

    if (this.scheduler?.interval === 'step') this.scheduler.step();
    if (this.momentumScheduler?.interval === 'step') this.momentumScheduler.step();

    this.batchInEpoch++;
    if (this.batchInEpoch === this.header.stepsPerEpoch) this.endEpoch();
  }

  /**
   * A step whose loss is NaN or infinite: no update was applied (L-BFGS's step was, but its record
   * would not survive JSON), so step N is not counted. The Diagnostician gets the loss and ends the
   * run at step N with its nan-loss finding; with that rule disabled the run fails all the same.
   */
  private lossNotFinite(step: number, epoch: number, loss: number): void {
    this.report(this.diagnostics.step(step, epoch, loss));
    if (!this.stopIfDiagnosed()) this.finish('failed', `loss became ${loss} at step ${step}`);
  }

  /** Appends findings to the records, right after the record that made them fire. */
  private report(findings: readonly FindingRecord[]): void {
    for (const finding of findings) this.pending.push(finding);
  }

  /** Ends the run as failed when an error finding has fired; returns whether it did. */
  private stopIfDiagnosed(): boolean {
    const finding = this.diagnostics.stopFinding;
    if (finding === undefined) return false;
    this.stoppedBy = { rule: finding.rule, step: finding.step };
    this.finish('failed', finding.message);
    return true;
  }

  /**
   * One mini-batch step. When the loss is not finite nothing is updated (the caller ends the run).
   * On a probed step the parameters are copied right before the optimizer's update.
   */
  private batchStep(probed: boolean): StepMeasure {
    const train = this.data.train;
    const batchSize = this.spec.training.batch_size;
    if (this.batchInEpoch === 0 && this.spec.training.shuffle) this.shuffleRng.shuffle(this.order);

    const first = this.batchInEpoch * batchSize;
    const rows = Math.min(batchSize, train.size - first);
    gatherRows(train.x, train.features, this.order, first, rows, this.batchX);
    gatherRows(train.y, this.targetWidth, this.order, first, rows, this.batchY);

    this.optimizer.zeroGrad();
    const measure = this.lossAndGradients(this.batchX, this.batchY, rows);
    if (!Number.isFinite(measure.loss)) return measure;
    if (probed) this.probing!.prober.beforeStep(this.model.parameters);
    this.optimizer.step();
    return measure;
  }

  /**
   * One `optimizer.step(closure)` over the whole training set (L-BFGS): the closure zeroes the
   * gradients and evaluates loss + penalty and their gradients (clipped, if asked) at the current
   * weights; the record reports its first evaluation, as torch's step returns. A probe of this step
   * sees the weights before it and the activations and gradients of its last evaluation.
   */
  private closureStep(probed: boolean): StepMeasure {
    this.closureCalls = 0;
    if (probed) this.probing!.prober.beforeStep(this.model.parameters);
    this.optimizer.step(this.closure);
    if (this.closureCalls === 0) throw new Error(`optimizer '${this.spec.optimizer.type}' did not evaluate its closure`);
    return this.firstEvaluation;
  }

  private readonly closure = (): number => {
    const train = this.data.train;
    this.optimizer.zeroGrad();
    const measure = this.lossAndGradients(train.x, train.y, train.size);
    if (this.closureCalls++ === 0) Object.assign(this.firstEvaluation, measure);
    return measure.loss + measure.penalty;
  };

  /**
   * Forward, loss, backward into zeroed gradients; then the penalty and its gradient, then clipping
   * (torch order: loss = data + penalty; loss.backward(); clip_grad_norm_).
   */
  private lossAndGradients(x: Float32Array, y: Float32Array, rows: number): StepMeasure {
    const measure = this.measure;
    const output = this.model.forward(x, rows, true);
    measure.loss = this.loss.forward(output, y, rows);
    measure.penalty = 0;
    measure.gradNorm = NaN;
    if (!Number.isFinite(measure.loss)) return measure;
    this.model.backward(this.loss.backward(rows), rows);
    if (this.penalty) {
      measure.penalty = this.penalty.value();
      this.penalty.addGradients();
    }
    const { clip_grad_norm: byNorm, clip_grad_value: byValue } = this.spec.training;
    const params = this.model.parameters;
    if (byNorm) measure.gradNorm = clipGradNorm(params, byNorm.max_norm, byNorm.norm_type, byNorm.error_if_nonfinite);
    if (byValue) clipGradValue(params, byValue.clip_value);
    return measure;
  }

  private endEpoch(): void {
    this.batchInEpoch = 0;
    this.epochsDone++;
    const replacements = this.evaluationWeights();
    const record = replacements
      ? this.swap.run(replacements.values, () => this.evaluateEpoch(replacements.kind))
      : this.evaluateEpoch(undefined);
    const broken = nonFiniteLoss(record);
    const monitored = record.val_loss ?? record.train_loss;
    // A NaN record would not survive JSON: then only its finding (and the failure) is reported.
    if (broken === undefined) {
      this.pending.push(record);
      this.lastEpoch = record;
      if (!this.best || monitored < this.best.loss) this.best = { epoch: record.epoch, loss: monitored };
    }
    this.report(this.diagnostics.epoch(record));
    if (this.stopIfDiagnosed()) return;
    if (broken !== undefined) {
      // The last update overflowed the weights (and the nan-loss rule is disabled).
      this.finish('failed', `loss became ${broken} after step ${this.step} (end of epoch ${this.epochsDone})`);
      return;
    }

    // ReduceLROnPlateau reads the validation loss (the training loss without a validation set).
    if (this.scheduler?.interval === 'epoch') this.scheduler.step(monitored);
    if (this.momentumScheduler?.interval === 'epoch') this.momentumScheduler.step(monitored);

    if (this.stopEarly) {
      const es = this.earlyStopping!;
      const patience = this.spec.training.early_stopping!.patience;
      this.log(
        'info',
        `early stopping after epoch ${this.epochsDone}: ${es.monitor} did not improve for ${Math.max(patience, 1)} epoch(s) ` +
          `(best ${es.monitor} ${es.best} at epoch ${es.bestEpoch})`,
      );
      this.end('completed');
    } else if (this.epochsDone >= this.spec.training.epochs) {
      this.end('completed');
    } else {
      this.maybeSaveCheckpoint(false);
    }
  }

  /**
   * The epoch's record with whatever weights are in place (the caller swaps averaged ones in), the
   * early-stopping decision, and a copy of these weights when they are the best so far. When a
   * loss is not finite the run is about to fail: early stopping is left alone.
   */
  private evaluateEpoch(weights: EpochRecord['weights']): EpochRecord {
    const record = this.evaluationRecord();
    if (weights) record.weights = weights;
    if (this.earlyStopping && nonFiniteLoss(record) === undefined) {
      const value = record[this.earlyStopping.monitor]!;
      const decision = this.earlyStopping.update(record.epoch, value);
      if (decision.improved) this.bestWeights?.capture();
      this.stopEarly = decision.stop;
    }
    return record;
  }

  /** Evaluates the whole training and validation sets with the weights in place. */
  private evaluationRecord(): EpochRecord {
    const onTrain = evaluate(this.model, this.loss, this.data.train, this.maxRows);
    const record: EpochRecord = {
      kind: 'epoch',
      epoch: this.epochsDone,
      step: this.step,
      train_loss: onTrain.loss,
      lr: this.optimizer.lr,
      elapsed_ms: 0,
    };
    if (onTrain.accuracy !== undefined) record.train_accuracy = onTrain.accuracy;
    if (this.data.validation.size > 0) {
      const onValidation = evaluate(this.model, this.loss, this.data.validation, this.maxRows);
      record.val_loss = onValidation.loss;
      if (onValidation.accuracy !== undefined) record.val_accuracy = onValidation.accuracy;
    }
    record.elapsed_ms = this.elapsed();
    return record;
  }

  /** The weights evaluation uses instead of the raw ones: the EMA, else the optimizer's averages. */
  private evaluationWeights(): { kind: 'ema' | 'averaged'; values: (TensorData | undefined)[] } | undefined {
    if (this.ema && this.ema.updates > 0) {
      const ema = this.ema;
      return { kind: 'ema', values: this.state.map((e) => ema.averages[ema.targets.indexOf(e)]) };
    }
    const averaged = this.optimizer.evaluationValues();
    if (averaged) return { kind: 'averaged', values: this.state.map((e) => (e.parameter ? averaged.get(e.parameter) : undefined)) };
    return undefined;
  }

  /**
   * Ends a run that did not fail: puts back the best weights when early stopping keeps them (and
   * evaluates them for the summary's `final`), then delivers the final checkpoint.
   */
  private end(status: 'completed' | 'stopped'): void {
    if (this.bestWeights?.hasValues && this.earlyStopping) {
      this.bestWeights.restore();
      const record = this.evaluationRecord();
      record.restored_from_epoch = this.earlyStopping.bestEpoch;
      this.restoredFinal = record;
      this.log('info', `restored the weights of epoch ${this.earlyStopping.bestEpoch} (best ${this.earlyStopping.monitor})`);
    }
    this.finish(status);
    this.maybeSaveCheckpoint(true);
  }

  private maybeSaveCheckpoint(final: boolean): void {
    const spec = this.spec.checkpoint;
    if (!spec?.save || !this.onCheckpoint) return;
    const due = final || (spec.save_every > 0 && this.epochsDone % spec.save_every === 0);
    if (!due) return;
    this.onCheckpoint({ bytes: this.saveCheckpoint({ optimizer: spec.save_optimizer }), epoch: this.epochsDone, step: this.step, final });
  }

  private finish(status: RunStatus, error?: string): void {
    if (this.summary) return;
    const elapsed = this.elapsed();
    const summary: RunSummary = {
      status,
      epochs: this.epochsDone,
      steps: this.step,
      elapsed_ms: elapsed,
      steps_per_second: elapsed > 0 ? (this.step * 1000) / elapsed : 0,
    };
    const final = this.restoredFinal ?? this.lastEpoch;
    if (final) {
      const { kind: _kind, ...rest } = final;
      summary.final = rest;
    }
    if (this.best) summary.best = { ...this.best };
    if (this.earlyStopping) summary.early_stopping = this.earlyStoppingSummary(this.earlyStopping);
    if (error !== undefined) summary.error = error;
    if (this.stoppedBy) summary.stopped_by = { ...this.stoppedBy };
    summary.findings = this.diagnostics.counts();
    this.summary = summary;
  }

  private earlyStoppingSummary(es: EarlyStopping): EarlyStoppingSummary {
    const out: EarlyStoppingSummary = { monitor: es.monitor, mode: es.mode, restored: this.restoredFinal !== undefined };
    if (es.bestEpoch > 0) {
      out.best = es.best;
      out.best_epoch = es.bestEpoch;
    }
    if (es.stoppedEpoch > 0) out.stopped_epoch = es.stoppedEpoch;
    return out;
  }

  private log(level: 'info' | 'warning', message: string): void {
    this.pendingLogs.push({ type: 'log', level, message });
  }

  /** Emits the records gathered since the last flush, then logs, then `finished` once the run has ended. */
  private flush(): void {
    if (this.pending.length > 0) {
      const records = this.pending;
      this.pending = [];
      this.onEvent({ type: 'records', records });
    }
    if (this.pendingLogs.length > 0) {
      const logs = this.pendingLogs;
      this.pendingLogs = [];
      for (const event of logs) this.onEvent(event);
    }
    if (this.summary && !this.finishedEmitted) {
      this.finishedEmitted = true;
      this.onEvent({ type: 'finished', summary: this.summary });
    }
  }
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
  /** Absent in checkpoints from before issue 4: the diagnostics then start over. */
  diagnostics?: DiagnosticsState;
}

/** The training or validation loss of an epoch record that is NaN or infinite, if any. */
function nonFiniteLoss(record: EpochRecord): number | undefined {
  if (!Number.isFinite(record.train_loss)) return record.train_loss;
  if (record.val_loss !== undefined && !Number.isFinite(record.val_loss)) return record.val_loss;
  return undefined;
}

/**
 * The probes of a run, or undefined when `probes` turns them off (every 0 and no initialization
 * probe: then no scratch memory is taken either). Bad settings are SpecErrors at their key.
 */
function createProbing(spec: SessionSpec, model: Sequential, optimizer: Optimizer): SessionProbing | undefined {
  // A key present but undefined means "the default", as an absent one does.
  const partial = Object.fromEntries(Object.entries(spec.probes ?? {}).filter(([, value]) => value !== undefined)) as Partial<ProbeSettings>;
  let settings: ProbeSettings;
  try {
    settings = resolveProbeSettings(partial);
  } catch (error) {
    const key = Object.keys(partial).find((k) => !accepts(() => resolveProbeSettings({ [k]: partial[k as keyof ProbeSettings] })));
    throw new SpecError(messageOf(error), key === undefined ? PROBES_PATH : [...PROBES_PATH, key]);
  }
  if (settings.every === 0 && !settings.at_init) return undefined;
  const target = new ModelProbeTarget(model, spec.model.map((layer) => layer.type));
  return { prober: new Prober(target.layout(), settings), target, optimizer: probeOptimizerOf(optimizer) };
}

interface SessionProbing {
  prober: Prober;
  target: ModelProbeTarget;
  optimizer: ProbeOptimizer;
}

/**
 * What the probe reads of the optimizer. Lookahead's own spec says nothing of the moments it
 * keeps, so the probe reads it as the inner optimizer (whose type and betas describe its state),
 * with the slow weights among the state.
 */
function probeOptimizerOf(optimizer: Optimizer): ProbeOptimizer {
  if (!(optimizer instanceof Lookahead)) return optimizer;
  return {
    get lr() {
      return optimizer.lr;
    },
    get momentum() {
      return optimizer.momentum;
    },
    spec: optimizer.inner.spec,
    states: () => optimizer.states(),
  };
}

function accepts(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

/** Optimizers that take one closure step per epoch over the whole training set. */
function needsClosure(spec: ExperimentSpec): boolean {
  const optimizer = spec.optimizer as { type: string; optimizer?: { type: string } };
  return optimizer.type === 'lbfgs' || optimizer.optimizer?.type === 'lbfgs';
}

function checkMonitor(monitor: string, task: string, hasValidation: boolean): void {
  const path = ['training', 'early_stopping', 'monitor'];
  if (monitor.startsWith('val_') && !hasValidation) {
    throw new SpecError(`early stopping monitors ${monitor} but there is no validation set; monitor train_loss or add a validation split`, path);
  }
  if (monitor.endsWith('accuracy') && task !== 'classification') {
    throw new SpecError(`early stopping monitors ${monitor}, but a regression has no accuracy; monitor a loss`, path);
  }
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

function defaultClock(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
