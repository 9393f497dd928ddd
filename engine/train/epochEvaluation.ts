/** The end-of-epoch evaluation: the whole training and validation sets, with the weights evaluation uses. */
import type { DataSplit } from '../data/dataset';
import type { TensorData } from '../loop/weightCopies';
import type { RunParts } from './assemble';
import type { LoopPosition } from './checkpointing';
import { evaluate } from './evaluate';
import type { EpochRecord } from './events';

/** Evaluates the whole training and validation sets with the weights in place. */
export function evaluationRecord(run: RunParts, data: DataSplit, position: LoopPosition, elapsedMs: number): EpochRecord {
  const { model, loss, maxRows, optimizer } = run;
  const onTrain = evaluate(model, loss, data.train, maxRows);
  const record: EpochRecord = { kind: 'epoch', epoch: position.epochsDone, step: position.step, train_loss: onTrain.loss, lr: optimizer.lr, elapsed_ms: 0 };
  if (onTrain.accuracy !== undefined) record.train_accuracy = onTrain.accuracy;
  if (data.validation.size > 0) {
    const onValidation = evaluate(model, loss, data.validation, maxRows);
    record.val_loss = onValidation.loss;
    if (onValidation.accuracy !== undefined) record.val_accuracy = onValidation.accuracy;
  }
  record.elapsed_ms = elapsedMs;
  return record;
}

/** The weights evaluation uses instead of the raw ones: the EMA, else the optimizer's averages (ASGD). */
export function evaluationWeights(run: RunParts): { kind: 'ema' | 'averaged'; values: (TensorData | undefined)[] } | undefined {
  const { ema, state, optimizer } = run;
  if (ema && ema.updates > 0) return { kind: 'ema', values: state.map(e => ema.averages[ema.targets.indexOf(e)]) };
  const averaged = optimizer.evaluationValues();
  if (averaged) return { kind: 'averaged', values: state.map(e => (e.parameter ? averaged.get(e.parameter) : undefined)) };
  return undefined;
}
