import { describe, expect, it } from 'vitest';
import { countCorrect, createLoss, CrossEntropyLoss, MseLoss } from '../../../engine/losses';
import { SpecError } from '../../../engine/experiment/specError';

/** Reference cross-entropy in double precision, straight from the definition. */
function referenceCe(logits: number[][], targets: number[]): number {
  let total = 0;
  for (let r = 0; r < logits.length; r++) {
    const sumExp = logits[r].reduce((s, v) => s + Math.exp(v), 0);
    total += -Math.log(Math.exp(logits[r][targets[r]]) / sumExp);
  }
  return total / logits.length;
}

describe('CrossEntropyLoss', () => {
  const logits = [
    [1, 2, 0.5],
    [-1, 0, 3],
  ];
  const targets = [1, 0];

  it('matches the definition and torch\'s mean reduction', () => {
    const ce = new CrossEntropyLoss(3, 4);
    const loss = ce.forward(Float32Array.from(logits.flat()), Float32Array.from(targets), 2);
    expect(loss).toBeCloseTo(referenceCe(logits, targets), 6);
  });

  it('gives (softmax − onehot) / rows as the gradient', () => {
    const ce = new CrossEntropyLoss(3, 4);
    ce.forward(Float32Array.from(logits.flat()), Float32Array.from(targets), 2);
    const g = ce.backward(2);
    for (let r = 0; r < 2; r++) {
      const sumExp = logits[r].reduce((s, v) => s + Math.exp(v), 0);
      for (let j = 0; j < 3; j++) {
        const p = Math.exp(logits[r][j]) / sumExp;
        expect(g[r * 3 + j]).toBeCloseTo((p - (j === targets[r] ? 1 : 0)) / 2, 6);
      }
    }
  });

  it('is stable for huge logits (log-sum-exp)', () => {
    const ce = new CrossEntropyLoss(2, 1);
    const loss = ce.forward(Float32Array.from([1000, 0]), Float32Array.from([1]), 1);
    expect(loss).toBeCloseTo(1000, 6);
    expect(ce.forward(Float32Array.from([1000, 0]), Float32Array.from([0]), 1)).toBe(0);
    const g = ce.backward(1);
    expect(Array.from(g.subarray(0, 2)).every(Number.isFinite)).toBe(true);
  });

  it('propagates NaN logits into the loss', () => {
    const ce = new CrossEntropyLoss(2, 1);
    expect(Number.isNaN(ce.forward(Float32Array.from([NaN, 0]), Float32Array.from([0]), 1))).toBe(true);
  });

  it('expects ln C initially and rejects invalid class indices', () => {
    const ce = new CrossEntropyLoss(3, 1);
    expect(ce.expectedInitialLoss(3)).toBeCloseTo(Math.log(3), 12);
    expect(() => ce.forward(Float32Array.from([0, 0, 0]), Float32Array.from([3]), 1)).toThrow(RangeError);
    expect(() => ce.forward(Float32Array.from([0, 0, 0]), Float32Array.from([0.5]), 1)).toThrow(RangeError);
  });
});

describe('MseLoss', () => {
  it('is the mean over all elements with gradient 2(pred − target)/N', () => {
    const mse = new MseLoss(2, 4, 'regression');
    const pred = Float32Array.from([1, 2, 3, 4]);
    const target = Float32Array.from([0, 2, 5, 3]);
    expect(mse.forward(pred, target, 2)).toBeCloseTo((1 + 0 + 4 + 1) / 4, 12);
    expect(Array.from(mse.backward(2).subarray(0, 4))).toEqual([0.5, 0, -1, 0.5]);
    expect(mse.expectedInitialLoss(2)).toBeUndefined();
  });

  it('compares with one-hot targets on classification data', () => {
    const mse = new MseLoss(3, 2, 'classification');
    const pred = Float32Array.from([0.2, 0.5, 0.3, 1, 0, 0]);
    const loss = mse.forward(pred, Float32Array.from([1, 0]), 2);
    expect(loss).toBeCloseTo((0.04 + 0.25 + 0.09 + 0) / 6, 7);
    const g = mse.backward(2);
    expect(g[1]).toBeCloseTo((2 * (0.5 - 1)) / 6, 7);
    expect(g[3]).toBe(0);
  });
});

describe('createLoss', () => {
  it('creates the named loss', () => {
    expect(createLoss({ type: 'cross_entropy' }, 3, 4, 'classification')).toBeInstanceOf(CrossEntropyLoss);
    expect(createLoss({ type: 'mse' }, 1, 4, 'regression')).toBeInstanceOf(MseLoss);
    expect(createLoss({ type: 'mse' }, 3, 4, 'classification').kind).toBe('mse');
  });

  it('refuses cross-entropy on regression data at ["loss"]', () => {
    let error: unknown;
    try {
      createLoss({ type: 'cross_entropy' }, 1, 4, 'regression');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).path).toEqual(['loss']);
    expect((error as SpecError).message).toMatch(/regression.*mse/);
  });
});

describe('countCorrect', () => {
  it('counts argmax hits, first maximum on ties', () => {
    const scores = Float32Array.from([0.1, 0.9, 0.5, 0.5, 2, 1]);
    expect(countCorrect(scores, Float32Array.from([1, 0, 0]), 3, 2)).toBe(3);
    expect(countCorrect(scores, Float32Array.from([0, 1, 1]), 3, 2)).toBe(0);
  });
});
