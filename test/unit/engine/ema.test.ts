/**
 * EMA of the weights against torch.optim.swa_utils.AveragedModel with an EMA avg_fn
 * (fixture: test/torch/gen_train_golden.py).
 */
import { describe, expect, it } from 'vitest';
import type { StateEntry } from '../../../engine/checkpoint/stateDict';
import { Parameter } from '../../../engine/core/parameter';
import { WeightEma } from '../../../engine/loop/ema';
import fixture from '../../fixtures/torch/train_ema.json';

type Nested = number | Nested[];
const flat = (values: Nested): number[] => (Array.isArray(values) ? values.flatMap(flat) : [values]);

/** The fixture's Tiny module: parameters weight [3, 2], bias [3]; float buffer running_mean [3]. */
function tiny(): StateEntry[] {
  const weight = new Parameter('weight', [3, 2]);
  const bias = new Parameter('bias', [3]);
  return [
    { name: 'weight', shape: [3, 2], dtype: 'F32', data: weight.data, parameter: weight },
    { name: 'bias', shape: [3], dtype: 'F32', data: bias.data, parameter: bias },
    { name: 'running_mean', shape: [3], dtype: 'F32', data: new Float32Array(3) },
  ];
}

describe('WeightEma vs AveragedModel', () => {
  for (const c of fixture.cases) {
    it(`decay ${c.decay}, use_buffers ${c.use_buffers}`, () => {
      const state = tiny();
      const ema = new WeightEma({ decay: c.decay, warmup: false, use_buffers: c.use_buffers }, state);
      expect(ema.targets.map((t) => t.name)).toEqual(c.use_buffers ? ['weight', 'bias', 'running_mean'] : ['weight', 'bias']);
      fixture.snapshots.forEach((snapshot, k) => {
        for (const e of state) e.data.set(flat((snapshot as Record<string, Nested>)[e.name]));
        ema.update();
        expect(ema.updates).toBe(k + 1);
        const expected = c.averages[k] as Record<string, Nested>;
        ema.targets.forEach((t, i) => {
          // Same float32 operations in the same order as torch: equal to the last bit.
          expect(Array.from(ema.averages[i]), `${t.name} after ${k + 1}`).toEqual(Array.from(Float32Array.from(flat(expected[t.name]))));
        });
      });
    });
  }

  it('warm-up: decay min(decay, (1 + n) / (10 + n))', () => {
    const state = tiny();
    const ema = new WeightEma({ decay: 0.999, warmup: true, use_buffers: false }, state);
    expect(ema.currentDecay()).toBeCloseTo(0.1, 12);
    state[0].data.fill(1);
    ema.update(); // copies
    expect(ema.currentDecay()).toBeCloseTo(2 / 11, 12);
    state[0].data.fill(0);
    ema.update();
    expect(ema.averages[0][0]).toBeCloseTo(2 / 11, 6);
    for (let i = 0; i < 100000; i++) ema.update();
    expect(ema.currentDecay()).toBe(0.999);
  });

  it('copies integer buffers instead of averaging them', () => {
    const counter = new Float64Array(1);
    const ema = new WeightEma({ decay: 0.5, warmup: false, use_buffers: true }, [
      { name: 'num_batches_tracked', shape: [], dtype: 'I64', data: counter },
    ]);
    counter[0] = 1;
    ema.update();
    counter[0] = 2;
    ema.update();
    expect(ema.averages[0][0]).toBe(2);
  });
});
