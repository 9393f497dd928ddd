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
 * Binary classification from one logit per row: class 1 when the logit is > 0 (sigmoid > 0.5).
 * A logit of exactly 0 counts as class 0, which is what argmax over the implied scores [0, logit]
 * gives, so both accuracy rules agree on ties.
 */
export function countCorrectBinary(logits: Float32Array, target: Float32Array, rows: number): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const predicted = logits[r] > 0 ? 1 : 0;
    if (predicted === classIndex(target[r], 2)) correct++;
  }
  return correct;
}
