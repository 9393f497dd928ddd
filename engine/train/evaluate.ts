import type { Dataset } from '../data/dataset';
import { countCorrect } from '../losses/accuracy';
import type { Loss } from '../losses/loss';
import type { Sequential } from '../nn/sequential';

export interface Evaluation {
  /** Mean loss over the whole dataset. */
  loss: number;
  /** Fraction of rows classified correctly (classification only). */
  accuracy?: number;
}

/**
 * The model's loss (and accuracy) on a whole dataset in evaluation mode, in chunks of at most
 * `chunkRows` rows so the model's buffers bound the memory. No gradients are computed. Chunk
 * losses are means, so they are weighted by their row counts (for MSE every row has the same
 * number of elements, so this is still the mean over all elements).
 */
export function evaluate(model: Sequential, loss: Loss, data: Dataset, chunkRows: number): Evaluation {
  const targetWidth = data.task === 'classification' ? 1 : data.outputs;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < data.size; start += chunkRows) {
    const rows = Math.min(chunkRows, data.size - start);
    // Contiguous rows: views into the dataset, no copy.
    const x = data.x.subarray(start * data.features, (start + rows) * data.features);
    const y = data.y.subarray(start * targetWidth, (start + rows) * targetWidth);
    const out = model.forward(x, rows, false);
    lossSum += loss.forward(out, y, rows) * rows;
    if (data.task === 'classification') correct += countCorrect(out, y, rows, data.outputs);
  }
  const result: Evaluation = { loss: data.size > 0 ? lossSum / data.size : NaN };
  if (data.task === 'classification') result.accuracy = data.size > 0 ? correct / data.size : NaN;
  return result;
}
