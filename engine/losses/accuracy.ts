import { classIndex } from './targets';

/**
 * How many of `rows` rows have their largest output at the target class (ties: the first maximum,
 * like torch.argmax). Scores can be logits, probabilities or log-probabilities: argmax is the same.
 */
export function countCorrect(scores: Float32Array, target: Float32Array, rows: number, classes: number): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const row = r * classes;
    let best = 0;
    let bestValue = scores[row];
    for (let j = 1; j < classes; j++) {
      if (scores[row + j] > bestValue) {
        bestValue = scores[row + j];
        best = j;
      }
    }
    if (best === classIndex(target[r], classes)) correct++;
  }
  return correct;
}

/**
 * Binary classification from one score per row: class 1 when the score is above `threshold` — 0
 * for a logit, ½ for a probability (sigmoid > ½). A score at the threshold counts as class 0,
 * which is what argmax over the implied scores [0, logit] gives, so both accuracy rules agree on ties.
 */
export function countCorrectBinary(scores: Float32Array, target: Float32Array, rows: number, threshold = 0): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const predicted = scores[r] > threshold ? 1 : 0;
    if (predicted === classIndex(target[r], 2)) correct++;
  }
  return correct;
}
