/**
 * How often the probes can afford to look, from the network's shape alone (so a run's probe steps
 * are the same on every machine, and its findings come at the same steps).
 *
 * A probe reads every activation and gradient of the batch a few times (statistics, histogram,
 * dead units), every parameter twice (statistics and the update against its snapshot), and selects
 * percentiles per tensor; a step multiplies the batch through the weights three times (forward,
 * and two products backward). So a probe's cost grows with the width and a step's with the width
 * squared: on 784-256-256-10 at batch 128 a probe costs about four steps (12 ms), on 2-64-64-3 at
 * batch 32 about twenty (0.8 ms). The constants below are those measured on the fast (WebAssembly) path, where a
 * step is cheapest and probes weigh the most (bench/probes.bench.mjs, `npm run bench`):
 */
import type { ProbeLayout } from './scratch';

/** Per activation or gradient value, per parameter value, per tensor whose percentiles are taken. */
const PROBE_NS = { value: 30, param: 20, tensor: 15_000 };
/** Per floating-point operation of the step's matrix products (≈ 70 GFLOP/s), and per layer (calls, elementwise work). */
const STEP_NS = { flop: 1 / 70, layer: 3_000 };

/** Estimated nanoseconds of one probe and of one training step of a full batch. */
export function estimatedCosts(layout: ProbeLayout): { probeNs: number; stepNs: number } {
  const rows = layout.maxRows;
  const layers = layout.layerFeatures.length;
  const outputs = layout.layerFeatures.reduce((sum, f) => sum + f, 0);
  const params = layout.paramSizes.reduce((sum, n) => sum + n, 0);
  const probeNs = PROBE_NS.value * 2 * rows * outputs + PROBE_NS.param * params + PROBE_NS.tensor * (2 * layers + layout.paramSizes.length);
  const stepNs = 6 * rows * params * STEP_NS.flop + STEP_NS.layer * layers;
  return { probeNs, stepNs };
}

/**
 * How many of the `every`-step probe points to skip past: 1 when a probe every `every` steps costs
 * at most `maxOverhead` of the training time, else the smallest k for which one every k·`every`
 * steps does.
 */
export function probeStride(layout: ProbeLayout, every: number, maxOverhead: number): number {
  if (every <= 0 || maxOverhead >= 1) return 1;
  const { probeNs, stepNs } = estimatedCosts(layout);
  return Math.max(1, Math.ceil(probeNs / (maxOverhead * every * stepNs)));
}
