import { binaryTarget, classIndex, likeliestClass } from './targets';

/**
 * How many of `rows` rows have their largest output at the target class (ties: the first maximum,
 * like torch.argmax). Scores can be logits, probabilities or log-probabilities: argmax is the same.
 * With probability targets (`probabilities`: rows of C), the target class is the likeliest one.
 */
export function countCorrect(scores: Float32Array, target: Float32Array, rows: number, classes: number, probabilities = false): number {
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
    if (best === (probabilities ? likeliestClass(target, row, classes) : classIndex(target[r], classes))) correct++;
  }
  return correct;
}

/**
 * Binary classification from one score per row: class 1 when the score is above `threshold` — 0
 * for a logit, ½ for a probability (sigmoid > ½). A score at the threshold counts as class 0,
 * which is what argmax over the implied scores [0, logit] gives, so both accuracy rules agree on ties.
 * With probability targets, the target class is 1 when its probability is above ½.
 */
export function countCorrectBinary(scores: Float32Array, target: Float32Array, rows: number, threshold: number, probabilities: boolean): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const predicted = scores[r] > threshold ? 1 : 0;
    // A probability target of exactly ½ is class 0, as argmax of [½, ½] is.
    const wanted = probabilities ? (binaryTarget(target, r, true) > 0.5 ? 1 : 0) : classIndex(target[r], 2);
    if (predicted === wanted) correct++;
  }
  return correct;
}
