import { jsKernels } from '../core/jsKernels';
import type { Kernels } from '../core/kernels';
import { Random } from '../core/random';
import type { DataSplit } from '../data/dataset';
import type { ExperimentSpec } from '../experiment/spec';
import { SpecError } from '../experiment/specError';
import { createLoss, type Loss } from '../losses';
import { buildModel, type Sequential } from '../nn/sequential';
import { createOptimizer, type Optimizer } from '../optim';
import { batchesPerEpoch, gatherRows } from './batching';
import { evaluate } from './evaluate';
import type { EpochRecord, MetricRecord, RunHeader, RunStatus, RunSummary, TrainEvent } from './events';

export interface SessionOptions {
  /** Default: jsKernels. */
  kernels?: Kernels;
  onEvent(event: TrainEvent): void;
  /** Milliseconds clock; default performance.now. Tests pass a fake one. */
  now?: () => number;
}

/**
 * Rows evaluated per forward pass at the end of an epoch: big enough to amortize per-call costs,
 * small enough that the activation buffers stay a few MB for wide models.
 */
const EVAL_CHUNK_ROWS = 1024;

/**
 * One training run, as a standard PyTorch loop: per epoch, (optionally) shuffle, then for each
 * mini-batch zero the gradients, forward, loss, backward, optimizer step; at the end of each epoch
 * evaluate the whole training and validation sets in evaluation mode. The caller drives it in
 * time slices (`runFor`), so a worker can interleave training with messages, or synchronously
 * (`runToEnd`). All buffers are allocated here; a step allocates only its record.
 */
export class TrainingSession {
  readonly header: RunHeader;
  private readonly spec: ExperimentSpec;
  private readonly data: DataSplit;
  private readonly onEvent: (event: TrainEvent) => void;
  private readonly now: () => number;
  private readonly model: Sequential;
  private readonly loss: Loss;
  private readonly optimizer: Optimizer;
  private readonly maxRows: number;
  private readonly targetWidth: number;
  private readonly order: Int32Array;
  private readonly shuffleRng: Random;
  private readonly batchX: Float32Array;
  private readonly batchY: Float32Array;

  private started = false;
  private startTime = 0;
  private step = 0;
  private epochsDone = 0;
  private batchInEpoch = 0;
  private pending: MetricRecord[] = [];
  private lastEpoch: EpochRecord | undefined;
  private best: { epoch: number; loss: number } | undefined;
  private summary: RunSummary | undefined;
  private finishedEmitted = false;

  constructor(spec: ExperimentSpec, data: DataSplit, options: SessionOptions) {
    this.spec = spec;
    this.data = data;
    this.onEvent = options.onEvent;
    this.now = options.now ?? defaultClock;
    const train = data.train;
    const task = train.task;
    if (train.size === 0) throw new SpecError('the training set is empty', ['data']);

    const batchSize = spec.training.batch_size;
    const largest = Math.max(train.size, data.validation.size);
    this.maxRows = Math.max(Math.min(batchSize, train.size), Math.min(EVAL_CHUNK_ROWS, largest));

    const kernels = options.kernels ?? jsKernels;
    const root = new Random(spec.training.seed);
    this.model = buildModel(spec.model, train.features, train.outputs, spec.init, root.fork('init'), this.maxRows, kernels, {
      task,
    });
    this.loss = createLoss(spec.loss, train.outputs, this.maxRows, task);
    this.optimizer = createOptimizer(spec.optimizer, this.model.parameters);
    this.shuffleRng = root.fork('shuffle');

    this.targetWidth = task === 'classification' ? 1 : train.outputs;
    this.order = new Int32Array(train.size);
    for (let i = 0; i < train.size; i++) this.order[i] = i;
    this.batchX = new Float32Array(this.maxRows * train.features);
    this.batchY = new Float32Array(this.maxRows * this.targetWidth);

    const stepsPerEpoch = batchesPerEpoch(train.size, batchSize);
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
  }

  get done(): boolean {
    return this.summary !== undefined;
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
    if (this.spec.training.epochs <= 0) this.finish('completed');
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
    this.finish('stopped');
    this.flush();
  }

  /** Synchronously runs to the end; returns the summary. */
  runToEnd(): RunSummary {
    while (!this.runFor(Infinity));
    return this.summary!;
  }

  private start(time: number): void {
    if (this.started) return;
    this.started = true;
    this.startTime = time;
    this.onEvent({ type: 'started', header: this.header });
  }

  private runStep(): void {
    const train = this.data.train;
    const batchSize = this.spec.training.batch_size;
    if (this.batchInEpoch === 0 && this.spec.training.shuffle) this.shuffleRng.shuffle(this.order);

    const first = this.batchInEpoch * batchSize;
    const rows = Math.min(batchSize, train.size - first);
    gatherRows(train.x, train.features, this.order, first, rows, this.batchX);
    gatherRows(train.y, this.targetWidth, this.order, first, rows, this.batchY);

    this.optimizer.zeroGrad();
    const output = this.model.forward(this.batchX, rows, true);
    const loss = this.loss.forward(output, this.batchY, rows);
    const stepNumber = this.step + 1;
    if (!Number.isFinite(loss)) {
      this.finish('failed', `loss became ${loss} at step ${stepNumber}`);
      return;
    }
    this.model.backward(this.loss.backward(rows), rows);
    this.optimizer.step();
    this.step = stepNumber;
    this.pending.push({ kind: 'step', step: stepNumber, epoch: this.epochsDone + 1, loss, lr: this.optimizer.lr });

    this.batchInEpoch++;
    if (this.batchInEpoch === this.header.stepsPerEpoch) this.endEpoch();
  }

  private endEpoch(): void {
    this.batchInEpoch = 0;
    this.epochsDone++;
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
    record.elapsed_ms = this.now() - this.startTime;

    const monitored = record.val_loss ?? record.train_loss;
    const broken = [record.train_loss, monitored].find((loss) => !Number.isFinite(loss));
    if (broken !== undefined) {
      // The last update overflowed the weights; the record would not survive JSON anyway.
      this.finish('failed', `loss became ${broken} after step ${this.step} (end of epoch ${this.epochsDone})`);
      return;
    }
    this.pending.push(record);
    this.lastEpoch = record;
    if (!this.best || monitored < this.best.loss) this.best = { epoch: record.epoch, loss: monitored };
    if (this.epochsDone >= this.spec.training.epochs) this.finish('completed');
  }

  private finish(status: RunStatus, error?: string): void {
    const elapsed = this.now() - this.startTime;
    const summary: RunSummary = {
      status,
      epochs: this.epochsDone,
      steps: this.step,
      elapsed_ms: elapsed,
      steps_per_second: elapsed > 0 ? (this.step * 1000) / elapsed : 0,
    };
    if (this.lastEpoch) {
      const { kind: _kind, ...final } = this.lastEpoch;
      summary.final = final;
    }
    if (this.best) summary.best = { ...this.best };
    if (error !== undefined) summary.error = error;
    this.summary = summary;
  }

  /** Emits the records gathered since the last flush, then `finished` once the run has ended. */
  private flush(): void {
    if (this.pending.length > 0) {
      const records = this.pending;
      this.pending = [];
      this.onEvent({ type: 'records', records });
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
