import type { ParamProbe } from './record';
import { histogram, stepSummary, sumOfSquares, tensorSummary } from './stats';

/** What the probe reads of a parameter (engine/nn/parameter.ts `Parameter` fits). */
export interface ProbeParam {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
  readonly grad: Float32Array;
}

/**
 * One parameter around a step. `before` is its values before the step (a ProbeScratch snapshot),
 * or undefined when none was taken: then the current values stand in and no update is reported.
 * Returns the probe and the gradient's Σg² (for the total norm).
 */
export function summarizeParam(
  param: ProbeParam,
  before: Float32Array | undefined,
  bins: number,
): { probe: ParamProbe; gradSquares: number } {
  const size = param.data.length;
  const weights = before ?? param.data;
  // Four passes in all: the weights, the gradient, the step, the histogram.
  const w = tensorSummary(weights, size);
  const grad = sumOfSquares(param.grad, size);
  const step = before === undefined ? undefined : stepSummary(before, param.data, size);
  const probe: ParamProbe = {
    name: param.name,
    shape: [...param.shape],
    norm: Math.sqrt(w.squares),
    grad_norm: Math.sqrt(grad.squares),
    histogram: histogram(weights, size, w.min, w.max, bins),
    nonfinite: step === undefined ? w.nonfinite : step.nonfinite,
    grad_nonfinite: grad.nonfinite,
  };
  if (step !== undefined) {
    const updateNorm = Math.sqrt(step.squares);
    // A non-finite step is reported through `nonfinite`; JSON cannot carry NaN.
    if (Number.isFinite(updateNorm)) {
      probe.update_norm = updateNorm;
      if (probe.norm > 0) probe.update_ratio = updateNorm / probe.norm;
    }
  }
  return { probe, gradSquares: grad.squares };
}
