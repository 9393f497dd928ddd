import type { ParamProbe } from './record';
import { histogram, sumOfSquares, tensorSummary, weightsAndStep } from './stats';

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
 * Returns the probe, the gradient's Σg² (for the total norm), and the finite range of the weights
 * read (undefined when none is finite).
 */
export function summarizeParam(
  param: ProbeParam,
  before: Float32Array | undefined,
  bins: number,
): { probe: ParamProbe; gradSquares: number; range?: { min: number; max: number } } {
  const size = param.data.length;
  const weights = before ?? param.data;
  // Three passes in all: the weights with the step, the gradient, the histogram.
  const both = before === undefined ? undefined : weightsAndStep(before, param.data, size);
  const w = both?.weights ?? tensorSummary(weights, size);
  const grad = sumOfSquares(param.grad, size);
  const step = both?.step;
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
  return { probe, gradSquares: grad.squares, ...(w.nonfinite < size ? { range: { min: w.min, max: w.max } } : {}) };
}
