import type { ProbeParam } from './params';
import { EFFECTIVE_LR_PERCENTILES, type OptimizerParamState, type OptimizerProbe } from './record';
import type { ProbeScratch } from './scratch';
import { copyFinite, percentilesInPlace, sumOfSquares } from './stats';

/** One parameter's optimizer state under torch's keys: tensors (Float32Array) and counters (`step`). */
export type OptimizerStateView = Readonly<Record<string, unknown>>;

/**
 * What the probe reads of the optimizer. engine/optim's `Optimizer` fits as it is (lr, momentum,
 * spec); `states` is optional: the live per-parameter state objects, aligned with the probed
 * parameters, read without copying (Optimizer.stateDict() would copy every tensor).
 */
export interface ProbeOptimizer {
  readonly lr: number;
  readonly momentum: number | undefined;
  readonly spec: { readonly type: string; readonly betas?: readonly number[]; readonly eps?: number };
  states?(): readonly OptimizerStateView[];
}

const ADAM_FAMILY = new Set(['adam', 'adamw']);

/**
 * The optimizer's state, summarized: per parameter the RMS of each state tensor, and for Adam /
 * AdamW the distribution of the per-element effective learning rate
 * lr/(1 − β1ᵗ) / (√(v̂/(1 − β2ᵗ)) + eps), v̂ = max_exp_avg_sq under amsgrad, else exp_avg_sq —
 * how far each weight moves per unit of first moment. Percentile work uses scratch.values.
 */
export function summarizeOptimizer(
  optimizer: ProbeOptimizer,
  params: readonly ProbeParam[],
  scratch: ProbeScratch,
): OptimizerProbe {
  const probe: OptimizerProbe = { type: optimizer.spec.type };
  const states = optimizer.states?.();
  if (states === undefined) return probe;
  const adam = ADAM_FAMILY.has(optimizer.spec.type);
  const summaries: OptimizerParamState[] = [];
  for (let i = 0; i < params.length && i < states.length; i++) {
    const state = states[i];
    const rms: Record<string, number> = {};
    for (const [key, value] of Object.entries(state)) {
      if (value instanceof Float32Array && value.length > 0) rms[key] = Math.sqrt(sumOfSquares(value).squares / value.length);
      else if (key === 'step' && typeof value === 'number') probe.step = value;
    }
    const summary: OptimizerParamState = { name: params[i].name, rms };
    if (adam) {
      const effective = adamEffectiveLr(optimizer, state, scratch);
      if (effective !== undefined) summary.effective_lr = effective;
    }
    summaries.push(summary);
  }
  probe.state = summaries;
  return probe;
}

function adamEffectiveLr(optimizer: ProbeOptimizer, state: OptimizerStateView, scratch: ProbeScratch): number[] | undefined {
  const step = state.step;
  const maxSq = state.max_exp_avg_sq;
  const sq = maxSq instanceof Float32Array && maxSq.length > 0 ? maxSq : state.exp_avg_sq;
  const betas = optimizer.spec.betas;
  const eps = optimizer.spec.eps;
  if (typeof step !== 'number' || step < 1 || !(sq instanceof Float32Array) || !betas || eps === undefined) return undefined;
  const beta1 = optimizer.momentum ?? betas[0];
  const stepSize = optimizer.lr / (1 - beta1 ** step);
  const correction2 = Math.sqrt(1 - betas[1] ** step);
  const work = scratch.valuesFor(sq.length);
  // Over a sample of the elements for large tensors (see copyFiniteSample): the levels are inner ones.
  const positions = scratch.samplePositions(sq.length);
  const count = positions?.length ?? sq.length;
  for (let j = 0; j < count; j++) work[j] = stepSize / (Math.sqrt(sq[positions ? positions[j] : j]) / correction2 + eps);
  const finite = copyFinite(work, count, work);
  return percentilesInPlace(work, finite, EFFECTIVE_LR_PERCENTILES, new Array<number>(EFFECTIVE_LR_PERCENTILES.length));
}
