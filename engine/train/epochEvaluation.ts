/**
 * The end-of-epoch evaluation: the whole training and validation sets (and the test split when
 * the data asks for it every epoch), with the weights evaluation uses; and the test split's
 * evaluation at the end of a run.
 */
import type { Dataset, DataSplit } from '../data/dataset';
import type { TensorData } from '../loop/weightCopies';
import type { RunParts } from './assemble';
import type { LoopPosition } from './checkpointing';
import { evaluate } from './evaluate';
import { ConfusionMatrix } from './confusion';
import type { EpochRecord, TestSummary } from './events';

/**
 * Evaluates the whole training and validation sets with the weights in place. A `heldOut`
 * confusion matrix counts the predictions of the same pass on the validation set (on the training
 * set when there is none).
 */
export function evaluationRecord(run: RunParts, data: DataSplit, position: LoopPosition, elapsedMs: number, heldOut?: ConfusionMatrix): EpochRecord {
  const { model, loss, maxRows, optimizer } = run;
  const validated = data.validation.size > 0;
  const onTrain = evaluate(model, loss, data.train, maxRows, validated ? undefined : heldOut);
  const record: EpochRecord = { kind: 'epoch', epoch: position.epochsDone, step: position.step, train_loss: onTrain.loss, lr: optimizer.lr, elapsed_ms: 0 };
  if (onTrain.accuracy !== undefined) record.train_accuracy = onTrain.accuracy;
  if (validated) {
    const onValidation = evaluate(model, loss, data.validation, maxRows, heldOut);
    record.val_loss = onValidation.loss;
    if (onValidation.accuracy !== undefined) record.val_accuracy = onValidation.accuracy;
  }
  if (data.test && data.testEveryEpoch) {
    const onTest = evaluate(model, loss, data.test, maxRows);
    record.test_loss = onTest.loss;
    if (onTest.accuracy !== undefined) record.test_accuracy = onTest.accuracy;
  }
  record.elapsed_ms = elapsedMs;
  return record;
}

/** Largest class count whose confusion matrix the summary keeps (100 × 100 counts). */
const CONFUSION_CLASSES = 100;

/**
 * The test split with the weights in place (the caller swaps averaged ones in), and its confusion
 * matrix for a classification of not too many classes.
 */
export function testEvaluation(run: RunParts, test: Dataset, epoch: number): TestSummary {
  const classes = test.task === 'classification' && test.outputs <= CONFUSION_CLASSES ? new ConfusionMatrix(Math.max(test.outputs, 2)) : undefined;
  const onTest = evaluate(run.model, run.loss, test, run.maxRows, classes);
  const summary: TestSummary = { loss: onTest.loss, examples: test.size, epoch };
  if (onTest.accuracy !== undefined) summary.accuracy = onTest.accuracy;
  if (classes) summary.confusion = classes.rows();
  return summary;
}

/** The weights evaluation uses instead of the raw ones: the EMA, else the optimizer's averages (ASGD). */
export function evaluationWeights(run: RunParts): { kind: 'ema' | 'averaged'; values: (TensorData | undefined)[] } | undefined {
  const { ema, state, optimizer } = run;
  if (ema && ema.updates > 0) return { kind: 'ema', values: state.map(e => ema.averages[ema.targets.indexOf(e)]) };
  const averaged = optimizer.evaluationValues();
  if (averaged) return { kind: 'averaged', values: state.map(e => (e.parameter ? averaged.get(e.parameter) : undefined)) };
  return undefined;
}

/** The test split with the weights a run ends with: restored ones (of epoch `restored`) as they are, else those evaluation uses. */
export function finalTestEvaluation(run: RunParts, test: Dataset, epoch: number, restored: number | undefined): TestSummary {
  if (restored !== undefined) return testEvaluation(run, test, restored);
  const replacements = evaluationWeights(run);
  if (!replacements) return testEvaluation(run, test, epoch);
  return { ...run.swap.run(replacements.values, () => testEvaluation(run, test, epoch)), weights: replacements.kind };
}

/** The training or validation loss of an epoch record that is NaN or infinite, if any. */
export function nonFiniteLoss(record: EpochRecord): number | undefined {
  if (!Number.isFinite(record.train_loss)) return record.train_loss;
  if (record.val_loss !== undefined && !Number.isFinite(record.val_loss)) return record.val_loss;
  return undefined;
}
