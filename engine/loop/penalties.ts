import type { Parameter } from '../core/parameter';
import type { RegularizationSpec } from './options';

/**
 * L1 / L2 weight penalties added to the training objective (course notes 003: "ridge (l2) and lasso
 * (l1)"; "L2 regularization and weight decay are the same in plain SGD"):
 *
 *   objective = data loss + l1 · Σ|w| + (l2 / 2) · Σ w²
 *   ∂/∂w     += l1 · sign(w) + l2 · w                  (sign(0) = 0, as torch's abs backward)
 *
 * The ½ makes the L2 gradient exactly `l2 · w`, so with plain SGD a penalty `l2` equals
 * `weight_decay: l2` — the equivalence the notes state. The difference from an optimizer's
 * weight_decay: the penalty is part of the loss, so it goes through gradient clipping and through
 * the adaptive scaling of Adam & co. (where "L2 regularization and weight decay are not the same");
 * AdamW's decoupled weight_decay does neither. In torch the same is written
 *   loss = criterion(out, y) + l1 * sum(p.abs().sum() for p in weights)
 *                           + l2 / 2 * sum((p ** 2).sum() for p in weights)
 *
 * Which tensors: `apply_to: 'weights'` (the default) penalizes only tensors with two or more
 * dimensions — linear weight matrices — and leaves biases and normalization scales/shifts alone,
 * as torch users usually do (e.g. timm's param_groups_weight_decay excludes ndim ≤ 1);
 * `apply_to: 'all'` penalizes every parameter.
 */
export class WeightPenalty {
  readonly params: readonly Parameter[];
  private readonly l1: number;
  private readonly l2: number;

  constructor(spec: RegularizationSpec, params: readonly Parameter[]) {
    this.l1 = spec.l1;
    this.l2 = spec.l2;
    this.params = spec.apply_to === 'all' ? params : penalizedByDefault(params);
  }

  /** Whether there is anything to add (both strengths zero or no tensor selected = a no-op). */
  get active(): boolean {
    return (this.l1 !== 0 || this.l2 !== 0) && this.params.length > 0;
  }

  /** l1 · Σ|w| + (l2 / 2) · Σ w² over the selected tensors, at their current values. */
  value(): number {
    let abs = 0;
    let squares = 0;
    for (const param of this.params) {
      const w = param.data;
      for (let j = 0; j < w.length; j++) {
        abs += Math.abs(w[j]);
        squares += w[j] * w[j];
      }
    }
    return this.l1 * abs + (this.l2 / 2) * squares;
  }

  /** Adds the penalty's gradient into each selected tensor's `grad` (call after the data backward). */
  addGradients(): void {
    const { l1, l2 } = this;
    for (const param of this.params) {
      const w = param.data;
      const g = param.grad;
      for (let j = 0; j < w.length; j++) {
        const v = w[j];
        g[j] += l1 * Math.sign(v) + l2 * v;
      }
    }
  }
}

/** Tensors the default `apply_to: 'weights'` penalizes: weight matrices (two or more dimensions). */
export function penalizedByDefault(params: readonly Parameter[]): Parameter[] {
  return params.filter((p) => p.shape.length >= 2);
}
