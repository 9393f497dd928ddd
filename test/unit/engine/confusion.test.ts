import { describe, expect, it } from 'vitest';
import { classCounts, ConfusionMatrix, perClassAccuracy, predictedClass } from '../../../engine/train/confusion';

describe('confusion matrix', () => {
  it('counts predictions (argmax, first maximum on ties) by true class and predicted class', () => {
    const m = new ConfusionMatrix(3);
    // Rows of scores: predicted 2, 0 (tie 0/1 → 0), 1, 1.
    const scores = Float32Array.from([0, 1, 5, 3, 3, -1, 0.1, 0.2, 0.15, -2, 4, 1]);
    m.add(scores, Float32Array.from([2, 1, 1, 0]), 4, 3);
    expect(m.rows()).toEqual([
      [0, 1, 0],
      [1, 1, 0],
      [0, 0, 1],
    ]);
    expect(perClassAccuracy(m.rows())).toEqual([0, 0.5, 1]);
  });

  it('reads one logit per row as a binary prediction (logit > 0 is class 1)', () => {
    expect([predictedClass(Float32Array.from([2]), 0, 1), predictedClass(Float32Array.from([0]), 0, 1), predictedClass(Float32Array.from([-1]), 0, 1)]).toEqual([1, 0, 0]);
    const m = new ConfusionMatrix(2);
    m.add(Float32Array.from([2, -1, 0.5]), Float32Array.from([1, 1, 0]), 3, 1);
    expect(m.rows()).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });

  it('per-class accuracy is null for a class without examples; class counts count labels', () => {
    expect(perClassAccuracy([[2, 0], [0, 0]])).toEqual([1, null]);
    expect(classCounts(Float32Array.from([0, 2, 2, 1, 2]), 4)).toEqual([1, 1, 3, 0]);
  });
});
