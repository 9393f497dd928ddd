/**
 * One optimizer step, as torch's loop takes it: a mini-batch (gather the rows, zero the gradients,
 * forward, loss + penalty, backward, clip, step), or one `step(closure)` over the whole training
 * set for an optimizer that needs a closure (L-BFGS). Its buffers are the run's; a step allocates
 * nothing.
 */
import type { Dataset } from '../data/dataset';
import type { ExperimentSpec } from '../experiment/sections';
import { clipGradNorm, clipGradValue } from '../loop/clipping';
import type { RunParts } from './assemble';
import { gatherRows } from './batching';

/** The loss terms of one step, as the step record reports them. */
export interface StepMeasure {
  loss: number;
  penalty: number;
  gradNorm: number;
}

export class OptimizerSteps {
  /** The last loss-and-gradient evaluation (reused). */
  private readonly measure: StepMeasure = { loss: 0, penalty: 0, gradNorm: NaN };
  /** The first closure evaluation of the current L-BFGS step (what its record reports). */
  private readonly firstEvaluation: StepMeasure = { loss: 0, penalty: 0, gradNorm: NaN };
  private closureCalls = 0;

  constructor(
    private readonly run: RunParts,
    private readonly spec: ExperimentSpec,
    private readonly train: Dataset,
  ) {}

  /**
   * One mini-batch step. When the loss is not finite nothing is updated (the caller ends the run).
   * On a probed step the parameters are copied right before the optimizer's update.
   */
  batchStep(batchInEpoch: number, probed: boolean): StepMeasure {
    const { order, batchX, batchY, targetWidth, optimizer } = this.run;
    const train = this.train;
    const batchSize = this.spec.training.batch_size;
    if (batchInEpoch === 0 && this.spec.training.shuffle) this.run.shuffleRng.shuffle(order);

    const first = batchInEpoch * batchSize;
    const rows = Math.min(batchSize, train.size - first);
    gatherRows(train.x, train.features, order, first, rows, batchX);
    gatherRows(train.y, targetWidth, order, first, rows, batchY);

    optimizer.zeroGrad();
    const measure = this.lossAndGradients(batchX, batchY, rows);
    if (!Number.isFinite(measure.loss)) return measure;
    if (probed) this.run.probing!.prober.beforeStep(this.run.model.parameters);
    optimizer.step();
    return measure;
  }

  /**
   * One `optimizer.step(closure)` over the whole training set (L-BFGS): the closure zeroes the
   * gradients and evaluates loss + penalty and their gradients (clipped, if asked) at the current
   * weights; the record reports its first evaluation, as torch's step returns. A probe of this step
   * sees the weights before it and the activations and gradients of its last evaluation.
   */
  closureStep(probed: boolean): StepMeasure {
    this.closureCalls = 0;
    if (probed) this.run.probing!.prober.beforeStep(this.run.model.parameters);
    this.run.optimizer.step(this.closure);
    if (this.closureCalls === 0) throw new Error(`optimizer '${this.spec.optimizer.type}' did not evaluate its closure`);
    return this.firstEvaluation;
  }

  private readonly closure = (): number => {
    const train = this.train;
    this.run.optimizer.zeroGrad();
    const measure = this.lossAndGradients(train.x, train.y, train.size);
    if (this.closureCalls++ === 0) Object.assign(this.firstEvaluation, measure);
    // What torch's closure returns: the loss with its reduction (whose gradient backward gave) + penalty.
    return this.run.loss.lastObjective() + measure.penalty;
  };

  /**
   * Forward, loss, backward into zeroed gradients; then the penalty and its gradient, then clipping
   * (torch order: loss = data + penalty; loss.backward(); clip_grad_norm_).
   */
  private lossAndGradients(x: Float32Array, y: Float32Array, rows: number): StepMeasure {
    const { model, loss, penalty } = this.run;
    const measure = this.measure;
    const output = model.forward(x, rows, true);
    measure.loss = loss.forward(output, y, rows);
    measure.penalty = 0;
    measure.gradNorm = NaN;
    if (!Number.isFinite(measure.loss)) return measure;
    model.backward(loss.backward(rows), rows);
    if (penalty) {
      measure.penalty = penalty.value();
      penalty.addGradients();
    }
    const { clip_grad_norm: byNorm, clip_grad_value: byValue } = this.spec.training;
    const params = model.parameters;
    if (byNorm) measure.gradNorm = clipGradNorm(params, byNorm.max_norm, byNorm.norm_type, byNorm.error_if_nonfinite);
    if (byValue) clipGradValue(params, byValue.clip_value);
    return measure;
  }
}
