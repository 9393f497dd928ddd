/**
 * One training run, as a standard PyTorch loop: per epoch, (optionally) shuffle, then for each
 * mini-batch zero the gradients, forward, loss (+ weight penalty), backward, clip, optimizer step,
 * EMA update, per-step schedulers; at the end of each epoch evaluate the whole training and
 * validation sets in evaluation mode (with the EMA or the optimizer's averaged weights when there
 * are), step the per-epoch schedulers and decide early stopping. An optimizer that needs a closure
 * (L-BFGS) instead takes one `step(closure)` per epoch over the whole training set, as torch's
 * full-batch L-BFGS loop does.
 *
 * The caller drives the run in time slices (`runFor`), so a worker can interleave training with
 * messages, or synchronously (`runToEnd`). Everything is built once (assemble.ts); a step allocates
 * only its record. On probed steps a ProbeRecord follows the StepRecord; every loss, probe and
 * epoch goes to the diagnostics, whose findings follow the record that made them fire, and an
 * error finding ends the run as failed there.
 */
import type { Kernels } from '../core/kernels';
import type { DataSplit } from '../data/dataset';
import type { ExperimentSpec } from '../experiment/sections';
import type { ProbeRecord } from '../probes/record';
import { assembleRun, type RunParts } from './assemble';
import { loadWeights, resume, saveCheckpoint, type LoopPosition } from './checkpointing';
import { BoundaryCadence } from './boundaryCadence';
import { DecisionBoundary, hasDecisionBoundary } from './decisionBoundary';
import { evaluationRecord, evaluationWeights, finalTestEvaluation, nonFiniteLoss } from './epochEvaluation';
import { ImageViews, drawsImages } from './imageViews';
import type { EpochRecord, FindingRecord, MetricRecord, RunHeader, RunStatus, RunSummary, StepRecord, TestSummary, TrainEvent } from './events';
import { OptimizerSteps } from './steps';
import { runSummary } from './summary';

/** The experiment as the session runs it: resolved, every default filled in. */
export type SessionSpec = ExperimentSpec;

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
  /**
   * Report the decision boundary of a 2-D classifier (BoundaryRecord): at the first step, after a
   * probe when at least `intervalMs` of the clock have passed since the last one, and at the end.
   * Ignored for other data. The wall-clock rate keeps its cost bounded at any training speed.
   */
  decisionBoundary?: { intervalMs: number };
}

export class TrainingSession {
  readonly header: RunHeader;
  private readonly run: RunParts;
  private readonly position: LoopPosition = { step: 0, epochsDone: 0, batchInEpoch: 0, elapsedBefore: 0 };
  private readonly onEvent: (event: TrainEvent) => void;
  private readonly onCheckpoint: SessionOptions['onCheckpoint'];
  private readonly now: () => number;

  private started = false;
  private startTime = 0;
  private pending: MetricRecord[] = [];
  private pendingLogs: TrainEvent[] = [];
  private stopEarly = false;
  private restoredFinal: EpochRecord | undefined;
  private testResult: TestSummary | undefined;
  private summary: RunSummary | undefined;
  private stoppedBy: RunSummary['stopped_by'];
  private finishedEmitted = false;
  private readonly steps: OptimizerSteps;
  /** Absent unless asked for and the data is a 2-D classification. */
  private readonly boundary: BoundaryCadence | undefined;
  /** Views of image data (examples, confusion matrix, first-layer weights); absent for other data. */
  private readonly images: ImageViews | undefined;
  /** The views made with the epoch's evaluation, sent after its record. */
  private pendingImages: MetricRecord | undefined;

  constructor(
    private readonly spec: SessionSpec,
    private readonly data: DataSplit,
    options: SessionOptions,
  ) {
    this.onEvent = options.onEvent;
    this.onCheckpoint = options.onCheckpoint;
    this.now = options.now ?? defaultClock;
    this.run = assembleRun(spec, data, options.kernels);
    this.header = this.run.header;
    this.steps = new OptimizerSteps(this.run, spec, data.train);
    if (options.decisionBoundary && hasDecisionBoundary(data.train)) {
      this.boundary = new BoundaryCadence(new DecisionBoundary(this.run.model, data.train, this.run.maxRows), options.decisionBoundary.intervalMs, this.now);
    }
    if (drawsImages(data)) this.images = new ImageViews(this.run.model, this.run.loss, data, this.run.maxRows);
    if (options.checkpoint) {
      if (spec.checkpoint?.load_mode === 'resume') this.resume(options.checkpoint);
      else this.loadWeights(options.checkpoint);
    }
  }

  get done(): boolean {
    return this.summary !== undefined;
  }

  /** Past the first probes, one probe point in this many is taken (probes/cost.ts); undefined when probing is off. */
  get probeStride(): number | undefined {
    return this.run.probing?.prober.stride;
  }

  /**
   * The probes' work memory: bytes held and how often a buffer had to grow past the size set up
   * for this model (0 on a healthy run: probing allocates nothing but its records). Undefined
   * when probing is off. For tests and benchmarks.
   */
  get probeMemory(): { bytes: number; growths: number } | undefined {
    const scratch = this.run.probing?.prober.scratch;
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
    if (this.position.epochsDone >= this.spec.training.epochs) this.end('completed');
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

  // ---- checkpoints (checkpointing.ts) ------------------------------------------------------------

  /** The whole run state as safetensors bytes; call between steps. `optimizer: false`: weights only. */
  saveCheckpoint(options: { optimizer?: boolean } = {}): Uint8Array {
    return saveCheckpoint(this.run, this.position, this.elapsed(), this.spec.optimizer.type, options.optimizer ?? true);
  }

  /** Starts from the model weights in a safetensors file. Before the first `runFor` only. */
  loadWeights(bytes: Uint8Array): void {
    this.checkNotStarted();
    loadWeights(this.run, bytes);
  }

  /** Continues the run a checkpoint from `saveCheckpoint` was taken of. Before the first `runFor` only. */
  resume(bytes: Uint8Array): void {
    this.checkNotStarted();
    for (const warning of resume(this.run, this.position, bytes, this.spec.optimizer.type)) this.log('warning', warning);
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
    return this.position.elapsedBefore + (this.started ? this.now() - this.startTime : 0);
  }

  private runStep(): void {
    const { optimizer, probing, diagnostics, scheduler, momentumScheduler } = this.run;
    const stepNumber = this.position.step + 1;
    const epoch = this.position.epochsDone + 1;
    const probed = probing !== undefined && probing.prober.isDue(stepNumber);
    const measure = this.run.fullBatch ? this.steps.closureStep(probed) : this.steps.batchStep(this.position.batchInEpoch, probed);
    if (!Number.isFinite(measure.loss)) {
      this.lossNotFinite(stepNumber, epoch, measure.loss);
      return;
    }
    this.run.ema?.update();
    this.position.step = stepNumber;
    const record: StepRecord = { kind: 'step', step: stepNumber, epoch, loss: measure.loss, lr: optimizer.lr };
    if (optimizer.momentum !== undefined) record.momentum = optimizer.momentum;
    if (this.spec.training.clip_grad_norm) record.grad_norm = measure.gradNorm;
    if (this.run.penalty) record.penalty = measure.penalty;
    if (this.run.fullBatch) record.function_evaluations = optimizer.functionEvaluations;
    this.pending.push(record);
    // Before any scheduler step: the probe reports the lr and momentum this step used.
    let probe: ProbeRecord | undefined;
    if (probed) {
      probe = probing.prober.probe(stepNumber, epoch, probing.target.update(), probing.optimizer);
      this.pending.push(probe);
    }
    this.report(diagnostics.step(stepNumber, epoch, measure.loss));
    if (probe) this.report(diagnostics.probe(probe));
    if (this.stopIfDiagnosed()) return;
    const grid = this.boundary?.afterStep(stepNumber, epoch, probed);
    if (grid) this.pending.push(grid);

    if (scheduler?.interval === 'step') scheduler.step();
    if (momentumScheduler?.interval === 'step') momentumScheduler.step();

    this.position.batchInEpoch++;
    if (this.position.batchInEpoch === this.header.stepsPerEpoch) this.endEpoch();
  }

  /**
   * A step whose loss is NaN or infinite: no update was applied (L-BFGS's step was, but its record
   * would not survive JSON), so step N is not counted. The diagnostics get the loss and end the run
   * at step N with their nan-loss finding; with that rule disabled the run fails all the same.
   */
  private lossNotFinite(step: number, epoch: number, loss: number): void {
    this.report(this.run.diagnostics.step(step, epoch, loss));
    if (!this.stopIfDiagnosed()) this.finish('failed', `loss became ${loss} at step ${step}`);
  }

  /** Appends findings to the records, right after the record that made them fire. */
  private report(findings: readonly FindingRecord[]): void {
    for (const finding of findings) this.pending.push(finding);
  }

  /** Ends the run as failed when an error finding has fired; returns whether it did. */
  private stopIfDiagnosed(): boolean {
    const finding = this.run.diagnostics.stopFinding;
    if (finding === undefined) return false;
    this.stoppedBy = { rule: finding.rule, step: finding.step };
    this.finish('failed', finding.message);
    return true;
  }

  private endEpoch(): void {
    const { scheduler, momentumScheduler } = this.run;
    const position = this.position;
    position.batchInEpoch = 0;
    position.epochsDone++;
    const replacements = evaluationWeights(this.run);
    const record = replacements ? this.run.swap.run(replacements.values, () => this.evaluateEpoch(replacements.kind)) : this.evaluateEpoch(undefined);
    const broken = nonFiniteLoss(record);
    const monitored = record.val_loss ?? record.train_loss;
    // A NaN record would not survive JSON: then only its finding (and the failure) is reported.
    if (broken === undefined) {
      this.pending.push(record);
      if (this.pendingImages) this.pending.push(this.pendingImages);
      position.lastEpoch = record;
      if (!position.best || monitored < position.best.loss) position.best = { epoch: record.epoch, loss: monitored };
    }
    this.report(this.run.diagnostics.epoch(record));
    if (this.stopIfDiagnosed()) return;
    if (broken !== undefined) {
      // The last update overflowed the weights (and the nan-loss rule is disabled).
      this.finish('failed', `loss became ${broken} after step ${position.step} (end of epoch ${position.epochsDone})`);
      return;
    }

    // ReduceLROnPlateau reads the validation loss (the training loss without a validation set).
    if (scheduler?.interval === 'epoch') scheduler.step(monitored);
    if (momentumScheduler?.interval === 'epoch') momentumScheduler.step(monitored);

    if (this.stopEarly) {
      const es = this.run.earlyStopping!;
      const patience = this.spec.training.early_stopping!.patience;
      this.log(
        'info',
        `early stopping after epoch ${position.epochsDone}: ${es.monitor} did not improve for ${Math.max(patience, 1)} epoch(s) ` +
          `(best ${es.monitor} ${es.best} at epoch ${es.bestEpoch})`,
      );
      this.end('completed');
    } else if (position.epochsDone >= this.spec.training.epochs) {
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
    const elapsed = this.elapsed();
    // The image views, when due, count the evaluation's own predictions (with the same weights).
    const confusion = this.images?.due(elapsed, this.position.epochsDone >= this.spec.training.epochs);
    const record = evaluationRecord(this.run, this.data, this.position, elapsed, confusion);
    if (weights) record.weights = weights;
    this.pendingImages = confusion && this.images!.record(record.step, record.epoch, confusion);
    const es = this.run.earlyStopping;
    if (es && nonFiniteLoss(record) === undefined) {
      const decision = es.update(record.epoch, record[es.monitor]!);
      if (decision.improved) this.run.bestWeights?.capture();
      this.stopEarly = decision.stop;
    }
    return record;
  }

  /**
   * Ends a run that did not fail: puts back the best weights when early stopping keeps them (and
   * evaluates them for the summary's `final`), then delivers the final checkpoint.
   */
  private end(status: 'completed' | 'stopped'): void {
    const { bestWeights, earlyStopping } = this.run;
    if (bestWeights?.hasValues && earlyStopping) {
      bestWeights.restore();
      const record = evaluationRecord(this.run, this.data, this.position, this.elapsed());
      record.restored_from_epoch = earlyStopping.bestEpoch;
      this.restoredFinal = record;
      this.log('info', `restored the weights of epoch ${earlyStopping.bestEpoch} (best ${earlyStopping.monitor})`);
    }
    // The test split is the final verdict of a finished run; a stopped run ends at once without it.
    if (status === 'completed' && this.data.test) {
      this.testResult = finalTestEvaluation(this.run, this.data.test, this.position.epochsDone, this.restoredFinal?.restored_from_epoch);
    }
    this.finish(status);
    this.maybeSaveCheckpoint(true);
  }

  private maybeSaveCheckpoint(final: boolean): void {
    const spec = this.spec.checkpoint;
    if (!spec?.save || !this.onCheckpoint) return;
    const due = final || (spec.save_every > 0 && this.position.epochsDone % spec.save_every === 0);
    if (!due) return;
    const bytes = this.saveCheckpoint({ optimizer: spec.save_optimizer });
    this.onCheckpoint({ bytes, epoch: this.position.epochsDone, step: this.position.step, final });
  }

  private finish(status: RunStatus, error?: string): void {
    if (this.summary) return;
    const { step, epochsDone, batchInEpoch } = this.position;
    const grid = this.boundary?.atEnd(step, batchInEpoch > 0 ? epochsDone + 1 : epochsDone);
    if (grid) this.pending.push(grid);
    this.summary = runSummary(this.run, this.position, this.elapsed(), {
      status,
      error,
      restored: this.restoredFinal,
      stoppedBy: this.stoppedBy,
      test: this.testResult,
    });
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

function defaultClock(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
