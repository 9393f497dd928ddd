/**
 * L1/L2 penalties against torch autograd (fixture: test/torch/gen_train_golden.py).
 */
import { describe, expect, it } from 'vitest';
import { Parameter } from '../../../engine/core/parameter';
import { WeightPenalty, penalizedByDefault } from '../../../engine/loop/penalties';
import clipping from '../../fixtures/torch/train_clipping.json';
import fixture from '../../fixtures/torch/train_penalties.json';

type Nested = number | Nested[];
const flat = (values: Nested): number[] => (Array.isArray(values) ? values.flatMap(flat) : [values]);

function params(): Parameter[] {
  return Object.entries(clipping.shapes).map(([name, shape]) => {
    const p = new Parameter(name, shape);
    p.data.set(flat((fixture.values as Record<string, Nested>)[name]));
    return p;
  });
}

describe('WeightPenalty vs torch', () => {
  for (const c of fixture.cases) {
    it(`l1 ${c.l1}, l2 ${c.l2}, ${c.apply_to}`, () => {
      const ps = params();
      const penalty = new WeightPenalty({ l1: c.l1, l2: c.l2, apply_to: c.apply_to as 'weights' | 'all' }, ps);
      expect(penalty.active).toBe(true);
      // torch sums in float32; the engine in float64: agreement to float32 rounding.
      expect(penalty.value()).toBeCloseTo(c.penalty, 6);
      expect(Math.abs(penalty.value() - c.penalty)).toBeLessThan(1e-6 * c.penalty);
      penalty.addGradients();
      for (const p of ps) {
        const expected = flat((c.grads as Record<string, Nested>)[p.name]);
        p.grad.forEach((g, i) => {
          if (!(Math.abs(g - expected[i]) <= 1e-7 + 1e-6 * Math.abs(expected[i]))) {
            throw new Error(`${p.name}[${i}]: got ${g}, torch ${expected[i]}`);
          }
        });
      }
    });
  }

  it('adds to existing gradients (after the data backward)', () => {
    const ps = params();
    for (const p of ps) p.grad.fill(1);
    const penalty = new WeightPenalty({ l1: 0, l2: 0.5, apply_to: 'weights' }, ps);
    penalty.addGradients();
    const w = ps[0];
    expect(w.grad[1]).toBeCloseTo(1 + 0.5 * w.data[1], 6);
    expect(Array.from(ps[1].grad)).toEqual([1, 1, 1, 1]); // a bias: untouched
  });

  it('weights only = tensors with two or more dimensions; zero strengths are inactive', () => {
    expect(penalizedByDefault(params()).map((p) => p.name)).toEqual(['0.weight', '2.weight']);
    expect(new WeightPenalty({ l1: 0, l2: 0, apply_to: 'all' }, params()).active).toBe(false);
  });
});
