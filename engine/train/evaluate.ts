import type { Dataset } from '../data/dataset';
import { hasClasses, targetWidth } from '../core/task';
import type { Loss } from '../losses/loss';
import type { Sequential } from '../nn/sequential';
import type { ConfusionMatrix } from './confusion';

export interface Evaluation {
  /** Mean loss over the whole dataset. */
  loss: number;
  /** Fraction of rows classified correctly (with probability targets: as their most probable class). */
  accuracy?: number;
}

/**
 * The model's loss (and accuracy) on a whole dataset in evaluation mode, in chunks of at most
 * `chunkRows` rows so the model's buffers bound the memory. No gradients are computed. Each chunk's
 * loss is a mean over its own normalizer (rows, elements, or the targets' class weights for a
 * weighted cross-entropy), so chunks combine as Σ loss·normalizer / Σ normalizer: the same value
 * as one pass over the whole set, as torch would compute it. A `confusion` matrix, when given,
 * counts the predictions of the same pass.
 */
export function evaluate(model: Sequential, loss: Loss, data: Dataset, chunkRows: number, confusion?: ConfusionMatrix): Evaluation {
  const width = targetWidth(data.task, data.outputs);
  const classes = hasClasses(data.task);
  let lossSum = 0;
  let normalizerSum = 0;
  let correct = 0;
  for (let start = 0; start < data.size; start += chunkRows) {
    const rows = Math.min(chunkRows, data.size - start);
    // Contiguous rows: views into the dataset, no copy.
    const x = data.x.subarray(start * data.features, (start + rows) * data.features);
    const y = data.y.subarray(start * width, (start + rows) * width);
    const out = model.forward(x, rows, false);
    const chunkLoss = loss.forward(out, y, rows);
    const normalizer = loss.lastNormalizer();
    lossSum += chunkLoss * normalizer;
    normalizerSum += normalizer;
    if (classes) correct += loss.countCorrect(out, y, rows);
    confusion?.add(out, y, rows, loss.modelOutputs);
  }
  const result: Evaluation = { loss: data.size > 0 ? lossSum / normalizerSum : NaN };
  if (classes) result.accuracy = data.size > 0 ? correct / data.size : NaN;
  return result;
}
