/**
 * Reading a classification target: datasets store class indices as floats, so a target must be
 * an integer in 0..classes-1. Anything else is a data bug worth a clear error, not a silent cast.
 */
export function classIndex(value: number, classes: number): number {
  const t = value | 0;
  if (t !== value || t < 0 || t >= classes) {
    throw new RangeError(`target ${value} is not a class index in 0..${classes - 1}`);
  }
  return t;
}

/** torch's default ignore_index: no class has it. */
export const NO_IGNORED_CLASS = -100;

/**
 * The target of row r for a loss on 2 classes that reads one output per row: the class index 0
 * or 1, or with probability targets (rows [1 − p, p]) the probability p of class 1.
 */
export function binaryTarget(target: Float32Array, r: number, probabilities: boolean): number {
  return probabilities ? target[2 * r + 1] : classIndex(target[r], 2);
}

/** The class a row of probabilities makes most likely (the first on ties, as argmax). */
export function likeliestClass(target: Float32Array, row: number, classes: number): number {
  let best = 0;
  for (let j = 1; j < classes; j++) if (target[row + j] > target[row + best]) best = j;
  return best;
}

/**
 * Per-class weights as torch's `weight=` argument: one finite, non-negative number per class, kept
 * in double precision. `undefined` (no weights) stays undefined so the unweighted path stays exact.
 */
export function classWeights(weight: readonly number[] | undefined, classes: number, owner: string): Float64Array | undefined {
  if (weight === undefined) return undefined;
  if (weight.length !== classes) {
    throw new RangeError(`${owner}: weight has ${weight.length} entries, but there are ${classes} classes (one weight per class)`);
  }
  const w = Float64Array.from(weight);
  for (let j = 0; j < classes; j++) {
    if (!(Number.isFinite(w[j]) && w[j] >= 0)) {
      throw new RangeError(`${owner}: weight[${j}] = ${w[j]} must be a finite number ≥ 0`);
    }
  }
  return w;
}
