/**
 * Gradient clipping against torch.nn.utils (fixture: test/torch/gen_train_golden.py).
 */
import { describe, expect, it } from 'vitest';
import { Parameter } from '../../../engine/core/parameter';
import { clipGradNorm, clipGradValue, totalGradNorm } from '../../../engine/loop/clipping';
import fixture from '../../fixtures/torch/train_clipping.json';

type Nested = number | Nested[];
const flat = (values: Nested): number[] => (Array.isArray(values) ? values.flatMap(flat) : [values]);

function paramsWithGrads(grads: Record<string, Nested>): Parameter[] {
  return Object.entries(fixture.shapes).map(([name, shape]) => {
    const p = new Parameter(name, shape);
    p.grad.set(flat(grads[name]));
    return p;
  });
}

function expectClose(actual: ArrayLike<number>, expected: number[], label: string, rtol = 1e-6, atol = 1e-7): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) {
      throw new Error(`${label}[${i}]: got ${actual[i]}, torch ${expected[i]}`);
    }
  }
}

const normType = (n: number | string): number => (n === 'inf' ? Infinity : Number(n));

describe('clip_grad_norm_ vs torch', () => {
  for (const c of fixture.norm_cases) {
    it(`norm_type ${c.norm_type}, max_norm ${c.max_norm}`, () => {
      const params = paramsWithGrads(c.grads);
      const total = clipGradNorm(params, c.max_norm, normType(c.norm_type));
      // float32 norms of float32 sums: torch's vectorized reduction sums in another order (≤ 1 ulp apart).
      expect(Math.abs(total - c.total_norm)).toBeLessThanOrEqual(2e-7 * c.total_norm);
      for (const p of params) expectClose(p.grad, flat((c.clipped as Record<string, Nested>)[p.name]), p.name);
    });
  }

  it('covers both clipping and leaving small gradients alone', () => {
    expect(fixture.norm_cases.some((c) => c.total_norm > c.max_norm)).toBe(true);
    const small = fixture.norm_cases.find((c) => c.total_norm < c.max_norm)!;
    const params = paramsWithGrads(small.grads);
    clipGradNorm(params, small.max_norm);
    for (const p of params) expect(Array.from(p.grad)).toEqual(Array.from(Float32Array.from(flat((small.grads as Record<string, Nested>)[p.name]))));
  });

  it('returns the total norm without clipping through totalGradNorm, and 0 for no parameters', () => {
    const c = fixture.norm_cases[0];
    const params = paramsWithGrads(c.grads);
    expect(totalGradNorm(params, 2)).toBe(clipGradNorm(paramsWithGrads(c.grads), c.max_norm));
    expect(clipGradNorm([], 1)).toBe(0);
  });

  it('non-finite norm: scales by NaN like torch, or throws torch’s error when asked', () => {
    const p = new Parameter('w', [3]);
    p.grad.set([1, Infinity, 2]);
    expect(clipGradNorm([p], 1)).toBe(Infinity);
    expect(Number.isNaN(p.grad[0])).toBe(false); // 1/(inf + 1e-6) = 0, torch gives 0·g
    expect(p.grad[0]).toBe(0);
    const q = new Parameter('w', [2]);
    q.grad.set([NaN, 1]);
    expect(() => clipGradNorm([q], 1, 2, true)).toThrow(/total norm of order 2\.0 .* non-finite/);
    expect(() => clipGradNorm([q], 1, Infinity, true)).toThrow(/order inf/);
  });
});

describe('clip_grad_value_ vs torch', () => {
  for (const c of fixture.value_cases) {
    it(`clip_value ${c.clip_value}`, () => {
      const params = paramsWithGrads(c.grads);
      clipGradValue(params, c.clip_value);
      for (const p of params) expect(Array.from(p.grad)).toEqual(Array.from(Float32Array.from(flat((c.clipped as Record<string, Nested>)[p.name]))));
    });
  }
});
