/**
 * Dropout: torch's inverted dropout in distribution (the engine's generator is not torch's, so masks
 * are compared by their statistics, not draw by draw): the kept fraction is 1 − p, kept values are
 * scaled by float32(1/(1 − p)) exactly, backward reuses the mask, evaluation is the identity, p = 1
 * gives zeros, and masks are reproducible from the seed.
 */
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../../engine/core/jsKernels';
import { Random } from '../../../engine/core/random';
import { Dropout } from '../../../engine/nn/dropout';
import { buildModel } from '../../../engine/nn/sequential';

const ROWS = 200;
const FEATURES = 500;
const SIZE = ROWS * FEATURES;

function input(): Float32Array {
  const x = new Float32Array(SIZE);
  for (let i = 0; i < SIZE; i++) x[i] = 0.5 + Math.sin(i); // never 0, so a 0 output means dropped
  return x;
}

function dropout(p: number, seed = 1): Dropout {
  return new Dropout({ features: FEATURES, p, maxRows: ROWS, rng: new Random(seed).fork('dropout:0') });
}

describe('Dropout', () => {
  it.each([0.1, 0.3, 0.5, 0.8])('p = %s keeps a fraction 1 − p, scaled by 1/(1 − p)', (p) => {
    const layer = dropout(p);
    const x = input();
    const y = layer.forward(x, ROWS, true);
    const scale = Math.fround(1 / (1 - p));
    let kept = 0;
    for (let i = 0; i < SIZE; i++) {
      if (y[i] === 0) continue;
      kept++;
      if (y[i] !== Math.fround(x[i] * scale)) throw new Error(`kept value ${i}: ${y[i]} is not x·${scale}`);
    }
    // binomial: σ = √(p(1 − p)/n) ≤ 0.0016 for n = 100 000; 5σ
    expect(Math.abs(kept / SIZE - (1 - p))).toBeLessThan(0.008);
    // inverted dropout keeps the expected value: E[y] = x
    let sumX = 0;
    let sumY = 0;
    for (let i = 0; i < SIZE; i++) {
      sumX += Math.abs(x[i]);
      sumY += Math.abs(y[i]);
    }
    expect(sumY / sumX).toBeCloseTo(1, 1);
  });

  it('backward multiplies by the same mask', () => {
    const layer = dropout(0.4);
    const x = input();
    const y = layer.forward(x, ROWS, true);
    const g = new Float32Array(SIZE).fill(3);
    const dx = layer.backward(g, ROWS);
    const scale = Math.fround(1 / 0.6);
    for (let i = 0; i < SIZE; i++) {
      const expected = y[i] === 0 ? 0 : Math.fround(3 * scale);
      if (dx[i] !== expected) throw new Error(`grad ${i}: ${dx[i]} vs ${expected}`);
    }
    expect(layer.lastMask()[0] === 0 || layer.lastMask()[0] === scale).toBe(true);
  });

  it('is the identity in evaluation mode, forward and backward, and draws nothing', () => {
    const layer = dropout(0.5);
    const reference = dropout(0.5);
    const x = input();
    const y = layer.forward(x, ROWS, false);
    expect(Array.from(y.subarray(0, 1000))).toEqual(Array.from(x.subarray(0, 1000)));
    expect(y.every((v, i) => v === x[i])).toBe(true);
    const g = Float32Array.from(x, (v) => -v);
    expect(layer.backward(g, ROWS).every((v, i) => v === g[i])).toBe(true);
    // evaluation consumed no random numbers: the next training mask is the reference's first
    const a = Float32Array.from(layer.forward(x, ROWS, true));
    const b = reference.forward(x, ROWS, true);
    expect(a.every((v, i) => v === b[i])).toBe(true);
  });

  it('p = 1 gives all zeros (torch); p = 0 is the identity in training', () => {
    const x = input();
    expect(dropout(1).forward(x, ROWS, true).every((v) => v === 0)).toBe(true);
    expect(dropout(0).forward(x, ROWS, true).every((v, i) => v === x[i])).toBe(true);
    expect(() => dropout(1.2)).toThrow(RangeError);
  });

  it('is deterministic by seed, and draws a new mask every training step into the same buffer', () => {
    const x = input();
    const a = dropout(0.5, 7);
    const b = dropout(0.5, 7);
    const c = dropout(0.5, 8);
    const ya = a.forward(x, ROWS, true);
    const first = Float32Array.from(ya);
    expect(b.forward(x, ROWS, true).every((v, i) => v === first[i])).toBe(true);
    expect(c.forward(x, ROWS, true).some((v, i) => v !== first[i])).toBe(true);
    const second = a.forward(x, ROWS, true);
    expect(second).toBe(ya); // the layer's own buffer, reused
    expect(second.some((v, i) => v !== first[i])).toBe(true);
  });

  it('gets its own stream in buildModel (fork by layer index), reproducible from the seed', () => {
    const spec = [
      { type: 'linear', out_features: 50, bias: true },
      { type: 'dropout', p: 0.5 },
      { type: 'dropout', p: 0.5 },
      { type: 'linear', bias: true },
    ] as const;
    const init = { weight: { type: 'constant', value: 0.1 }, bias: { type: 'constant', value: 1 } } as const;
    const build = (seed: number) => buildModel([...spec], 2, 2, init, new Random(seed), 4, jsKernels);
    const x = Float32Array.from([1, 2, 3, 4]);
    const outputsOf = (seed: number) => {
      const model = build(seed);
      model.forward(x, 2, true);
      return model.layerOutputs().map((o) => Array.from(o.subarray(0, 100)));
    };
    const [, d1, d2] = outputsOf(3);
    expect(outputsOf(3)[1]).toEqual(d1);
    expect(outputsOf(4)[1]).not.toEqual(d1);
    // the two dropout layers draw different masks (their own streams): d2 zeroes some of d1's survivors
    const newlyDropped = d1.filter((v, i) => v !== 0 && d2[i] === 0).length;
    expect(newlyDropped).toBeGreaterThan(0);
    expect(build(3).layerDescriptions()[1]).toBe('Dropout(p=0.5)');
  });
});
