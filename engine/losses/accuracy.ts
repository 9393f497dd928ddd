import { classIndex } from './crossEntropy';

/**
 * How many of `rows` rows have their largest output at the target class (ties: the first maximum,
 * like torch.argmax). Scores can be logits or probabilities: argmax is the same.
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
