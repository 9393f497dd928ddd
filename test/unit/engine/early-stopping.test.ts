import { describe, expect, it } from 'vitest';
import { EarlyStopping } from '../../../engine/loop/earlyStopping';
import type { EarlyStoppingSpec } from '../../../engine/loop/options';

const spec = (over: Partial<EarlyStoppingSpec> = {}): EarlyStoppingSpec => ({
  monitor: 'val_loss',
  mode: 'auto',
  patience: 2,
  min_delta: 0,
  restore_best_weights: true,
  ...over,
});

/** Feeds values for epochs 1, 2, ... and returns the epoch it stopped after (0 = never). */
function run(monitor: EarlyStopping, values: number[]): number {
  for (let i = 0; i < values.length; i++) if (monitor.update(i + 1, values[i]).stop) return i + 1;
  return 0;
}

describe('EarlyStopping (Keras semantics)', () => {
  it('stops after `patience` epochs in a row without improvement and remembers the best epoch', () => {
    const m = new EarlyStopping(spec());
    expect(run(m, [1.0, 0.8, 0.9, 0.85, 0.7])).toBe(4);
    expect(m.best).toBe(0.8);
    expect(m.bestEpoch).toBe(2);
    expect(m.stoppedEpoch).toBe(4);
  });

  it('an improvement resets the wait', () => {
    expect(run(new EarlyStopping(spec()), [1.0, 1.1, 0.9, 1.0, 0.8, 0.95, 0.99])).toBe(7);
  });

  it('patience 0 stops at the first epoch that does not improve', () => {
    expect(run(new EarlyStopping(spec({ patience: 0 })), [3, 2, 2])).toBe(3);
  });

  it('min_delta: smaller gains do not count as improvements', () => {
    const m = new EarlyStopping(spec({ min_delta: 0.05, patience: 1 }));
    const d = m.update(1, 1.0);
    expect(d).toEqual({ improved: true, stop: false });
    expect(m.update(2, 0.96)).toEqual({ improved: false, stop: true });
    expect(m.best).toBe(1.0);
  });

  it("mode 'auto' maximizes accuracies; explicit 'max' too", () => {
    const auto = new EarlyStopping(spec({ monitor: 'val_accuracy', patience: 1 }));
    expect(auto.mode).toBe('max');
    expect(run(auto, [0.5, 0.7, 0.6])).toBe(3);
    expect(auto.bestEpoch).toBe(2);
    expect(new EarlyStopping(spec({ mode: 'max' })).mode).toBe('max');
    expect(new EarlyStopping(spec({ monitor: 'train_loss' })).mode).toBe('min');
  });

  it('NaN never improves', () => {
    const m = new EarlyStopping(spec({ patience: 1 }));
    m.update(1, 1);
    expect(m.update(2, NaN)).toEqual({ improved: false, stop: true });
  });

  it('state round-trips (checkpoints)', () => {
    const a = new EarlyStopping(spec({ patience: 3 }));
    run(a, [1, 0.5, 0.6]);
    const b = new EarlyStopping(spec({ patience: 3 }));
    b.loadStateDict(a.stateDict());
    // a waited one epoch already (0.6 after 0.5): two more without improvement reach patience 3
    expect(b.update(4, 0.7).stop).toBe(false);
    expect(b.update(5, 0.7).stop).toBe(true);
    expect(b.bestEpoch).toBe(2);
  });
});
