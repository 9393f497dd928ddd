import type { StateEntry } from '../checkpoint/stateDict';
import type { EmaSpec } from './options';
import type { TensorData } from './weightCopies';

/**
 * Polyak averaging of the weights with an exponential moving average (course notes 003: "instead of
 * using actual parameter vector, keep a moving average of the parameter vector and use that at test
 * time"). After every optimizer step:
 *
 *   first update:  ema ← param                                  (AveragedModel copies when n_averaged = 0)
 *   then:          ema ← decay · ema + (1 − decay) · param
 *
 * exactly torch.optim.swa_utils.AveragedModel(model, avg_fn=lambda e, p, n: decay * e + (1 - decay) * p)
 * in float32: each product rounded to float32 (torch multiplies a float32 tensor by a Python scalar
 * in float32), then their float32 sum. With `warmup`, the decay after n updates is
 * min(decay, (1 + n) / (10 + n)) (TensorFlow's ExponentialMovingAverage num_updates, timm's warm-up):
 * early averages are not dominated by the random initial weights.
 *
 * Which tensors: the parameters; with `use_buffers` also the float buffers (BatchNorm running
 * statistics), as AveragedModel(use_buffers=True). Integer buffers (num_batches_tracked) are copied,
 * not averaged: a count has no meaningful average (torch would average and truncate it). Without
 * `use_buffers`, evaluation pairs the averaged parameters with the raw model's current buffers —
 * unlike torch's AveragedModel, whose buffers stay those of the copy made at construction until
 * swa_utils.update_bn is run.
 */
export class WeightEma {
  /** The tensors averaged (or copied), in model order. */
  readonly targets: readonly StateEntry[];
  /** The averages, parallel to `targets`. */
  readonly averages: readonly TensorData[];
  private readonly decay: number;
  private readonly warmup: boolean;
  private n = 0;

  constructor(spec: EmaSpec, state: readonly StateEntry[]) {
    this.decay = spec.decay;
    this.warmup = spec.warmup;
    this.targets = state.filter((e) => e.parameter !== undefined || spec.use_buffers);
    this.averages = this.targets.map((e) => (e.data instanceof Float32Array ? new Float32Array(e.data.length) : new Float64Array(e.data.length)));
  }

  /** Updates so far (AveragedModel's n_averaged). */
  get updates(): number {
    return this.n;
  }

  /** The decay the next update uses. */
  currentDecay(): number {
    return this.warmup ? Math.min(this.decay, (1 + this.n) / (10 + this.n)) : this.decay;
  }

  /** Folds the targets' current values into the averages (call after every optimizer step). */
  update(): void {
    if (this.n === 0) {
      this.targets.forEach((t, i) => this.averages[i].set(t.data));
    } else {
      const d = this.currentDecay();
      const keep = Math.fround(d);
      const take = Math.fround(1 - d);
      this.targets.forEach((t, i) => {
        const avg = this.averages[i];
        const value = t.data;
        if (t.dtype === 'I64') {
          avg.set(value);
          return;
        }
        for (let j = 0; j < avg.length; j++) avg[j] = Math.fround(keep * avg[j]) + Math.fround(take * value[j]);
      });
    }
    this.n++;
  }

  /** The number of updates, for checkpoints (the averages are saved as tensors). */
  stateDict(): { n_averaged: number } {
    return { n_averaged: this.n };
  }

  loadStateDict(state: { n_averaged: number }, averages: readonly ArrayLike<number>[]): void {
    this.n = state.n_averaged;
    averages.forEach((a, i) => this.averages[i].set(a));
  }
}
