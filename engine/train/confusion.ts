/**
 * Which classes a classifier confuses: the confusion matrix of its predictions (rows = the true
 * class, columns = the predicted one, as sklearn's confusion_matrix), the accuracy of each class,
 * and how many examples each class has. Pure functions of scores and labels, for the summary and
 * the views that draw them.
 */

/**
 * The class each row's scores predict: the first maximum (torch.argmax) over `width` scores, or,
 * for one logit per row (bce_with_logits), class 1 when the logit is > 0.
 */
export function predictedClass(scores: Float32Array, row: number, width: number): number {
  if (width === 1) return scores[row] > 0 ? 1 : 0;
  const at = row * width;
  let best = 0;
  let bestValue = scores[at];
  for (let j = 1; j < width; j++) {
    if (scores[at + j] > bestValue) {
      bestValue = scores[at + j];
      best = j;
    }
  }
  return best;
}

/** A classes × classes table of counts: `counts[true][predicted]`. */
export class ConfusionMatrix {
  readonly counts: Float64Array;

  constructor(readonly classes: number) {
    this.counts = new Float64Array(classes * classes);
  }

  /** Adds `rows` rows of scores (`width` per row) against their class-index targets. */
  add(scores: Float32Array, targets: Float32Array, rows: number, width: number): void {
    for (let r = 0; r < rows; r++) {
      const actual = targets[r];
      if (!(actual >= 0 && actual < this.classes)) continue;
      this.counts[actual * this.classes + predictedClass(scores, r, width)]++;
    }
  }

  /** The table as rows of counts (true class by row). */
  rows(): number[][] {
    const c = this.classes;
    return Array.from({ length: c }, (_, i) => Array.from(this.counts.subarray(i * c, (i + 1) * c)));
  }
}

/** Each class's accuracy (recall): correct / examples of that class; null for a class with none. */
export function perClassAccuracy(matrix: readonly (readonly number[])[]): (number | null)[] {
  return matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total > 0 ? row[i] / total : null;
  });
}

/** How many examples of each class `labels` (class indices) holds. */
export function classCounts(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l >= 0 && l < classes && Number.isInteger(l)) counts[l]++;
  }
  return counts;
}
