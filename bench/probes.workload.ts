/**
 * The probes' cost relative to training ("at the default interval they cost at most 10 %
 * of training throughput"). Run with `node bench/probes.bench.mjs` (it bundles this file); not part
 * of `npm test`.
 *
 * For each workload of /work/shared/reference/perf-anchors (W2: 2-64-64-3 ReLU MLP, batch 32, SGD
 * momentum; W1: 784-256-256-10 ReLU MLP, batch 128, Adam) on synthetic data it measures:
 *   - a training step as the loop runs it (zero grads, forward, loss, backward, optimizer step);
 *   - one probe: parameter snapshot before the step + the probe record after it, and the record's
 *     JSON serialization (what streaming and persisting cost), and the Diagnostician on it;
 *   - the overhead that follows at several intervals (probe cost / (interval × step cost));
 *   - and, end to end, training with probes at the default interval against training without
 *     (adjacent blocks of the same steps, median ratio over the pairs).
 */
import { jsKernels } from '../engine/core/jsKernels';
import { Random } from '../engine/core/random';
import { Diagnostician } from '../engine/diagnostics/diagnostician';
import type { RunContext } from '../engine/diagnostics/context';
import type { LayerSpec } from '../engine/nn/kinds';
import type { OptimizerSpec } from '../engine/optim/kinds';
import { createLoss } from '../engine/losses';
import { buildModel } from '../engine/nn/sequential';
import { createOptimizer, type Optimizer } from '../engine/optim';
import { ModelProbeTarget } from '../engine/probes/modelTarget';
import type { OptimizerStateView, ProbeOptimizer } from '../engine/probes/optimizerState';
import { Prober } from '../engine/probes/prober';
import { DEFAULT_PROBE_SETTINGS } from '../engine/probes/settings';
import { lossSpec } from '../test/unit/specs';

export interface Workload {
  name: string;
  inputs: number;
  hidden: number[];
  classes: number;
  batch: number;
  optimizer: OptimizerSpec;
  /** Steps per timed repeat of the training step. */
  steps: number;
  /** Steps of each end-to-end block (a multiple of the default probe interval). */
  blockSteps: number;
  /** Pairs of blocks (with / without probes) measured end to end. */
  pairs: number;
}

export const WORKLOADS: Workload[] = [
  {
    name: 'W2 2-64-64-3, batch 32, SGD momentum',
    inputs: 2,
    hidden: [64, 64],
    classes: 3,
    batch: 32,
    optimizer: { type: 'sgd', lr: 0.01, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
    steps: 2000,
    blockSteps: 500,
    pairs: 21,
  },
  {
    name: 'W1 784-256-256-10, batch 128, Adam',
    inputs: 784,
    hidden: [256, 256],
    classes: 10,
    batch: 128,
    optimizer: { type: 'adam', lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false, decoupled_weight_decay: false },
    steps: 30,
    blockSteps: 50,
    pairs: 7,
  },
];

export interface WorkloadResult {
  workload: string;
  stepMs: number;
  probeMs: number;
  /** Probe with optimizer state summaries (Adam's effective step size over every weight). */
  probeWithStateMs: number;
  serializeMs: number;
  diagnoseMs: number;
  recordBytes: number;
  scratchBytes: number;
  /** interval → overhead in % of training time, from the per-call costs (probe + serialize + diagnose). */
  overheadAt: Record<number, number>;
  /** Measured: training with probes (and the Diagnostician) every DEFAULT interval vs without, in %. */
  endToEndOverhead: number;
  /** Its 25th and 75th percentiles over the pairs (the machine's noise). */
  endToEndQuartiles: [number, number];
  /** Fastest probed block over fastest plain block, in % (least disturbed by other processes). */
  endToEndFastest: number;
  endToEndInterval: number;
}

const now = (): number => performance.now();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median time per call of fn over `repeats` repeats of `calls` calls. */
function timePerCall(fn: () => void, calls: number, repeats: number): number {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = now();
    for (let i = 0; i < calls; i++) fn();
    times.push((now() - start) / calls);
  }
  return median(times);
}

function setUp(w: Workload) {
  const rng = new Random(1);
  const spec: LayerSpec[] = [];
  for (const width of w.hidden) spec.push({ type: 'linear', out_features: width, bias: true }, { type: 'relu' });
  spec.push({ type: 'linear', bias: true });
  const model = buildModel(spec, w.inputs, w.classes, { weight: { type: 'default' }, bias: { type: 'default' } }, rng.fork('init'), w.batch, jsKernels, {
    task: 'classification',
  });
  const loss = createLoss(lossSpec({ type: 'cross_entropy' }), w.classes, w.batch, 'classification');
  const optimizer = createOptimizer(w.optimizer, model.parameters);
  const batches = 8;
  const xs = Array.from({ length: batches }, () => Float32Array.from({ length: w.batch * w.inputs }, () => rng.normal()));
  const ys = Array.from({ length: batches }, () => Float32Array.from({ length: w.batch }, () => rng.int(w.classes)));
  let next = 0;
  const step = (): number => {
    const b = next++ % batches;
    optimizer.zeroGrad();
    const value = loss.forward(model.forward(xs[b], w.batch, true), ys[b], w.batch);
    model.backward(loss.backward(w.batch), w.batch);
    optimizer.step();
    return value;
  };
  const target = new ModelProbeTarget(model, spec.map((l) => l.type));
  const context: RunContext = {
    task: 'classification',
    expectedInitialLoss: Math.log(w.classes),
    layers: spec.map((l, index) => ({ index, kind: l.type })),
    optimizer: { type: w.optimizer.type, lr: (w.optimizer as { lr: number }).lr, lrPath: ['optimizer', 'lr'] },
    data: { type: 'synthetic' },
    initWeight: 'default',
    clipping: false,
  };
  return { model, loss, optimizer, step, target, spec, xs, ys, context };
}

/**
 * The optimizer with access to its state, as the loop will give it (BaseOptimizer keeps the state
 * protected; a copy taken once here stands in for the live objects — same sizes, same work).
 */
function withStates(optimizer: Optimizer): ProbeOptimizer {
  const states = Object.values(optimizer.stateDict().state) as OptimizerStateView[];
  return { lr: optimizer.lr, momentum: optimizer.momentum, spec: optimizer.spec, states: () => states };
}

export function measure(w: Workload, repeats = 5): WorkloadResult {
  const { model, step, target, optimizer, context } = setUp(w);
  const prober = new Prober(target.layout());
  // warm up the JIT on both paths
  for (let i = 0; i < Math.max(5, w.steps / 10); i++) step();
  const stepMs = timePerCall(step, w.steps, repeats);

  const probeCalls = Math.max(5, Math.round(w.steps / 4));
  const probeOnce = () => {
    prober.beforeStep(model.parameters);
    prober.probe(100, 1, target.update(), optimizer);
  };
  for (let i = 0; i < 5; i++) probeOnce();
  const probeMs = timePerCall(probeOnce, probeCalls, repeats);
  const stated = withStates(optimizer);
  const probeWithStateMs = timePerCall(
    () => {
      prober.beforeStep(model.parameters);
      prober.probe(100, 1, target.update(), stated);
    },
    probeCalls,
    repeats,
  );
  const record = prober.probe(100, 1, target.update(), stated);
  const serializeMs = timePerCall(() => JSON.stringify(record), probeCalls, repeats);
  const recordBytes = JSON.stringify(record).length;
  const diagnostician = new Diagnostician(context);
  let s = 0;
  const diagnoseMs = timePerCall(
    () => {
      s++;
      diagnostician.step(s, 1, 1);
      diagnostician.probe({ ...record, step: s });
    },
    probeCalls,
    repeats,
  );

  const perProbe = probeMs + serializeMs + diagnoseMs;
  const overheadAt: Record<number, number> = {};
  for (const interval of [1, 5, 10, 25, 50, 100, 200]) overheadAt[interval] = (100 * perProbe) / (interval * stepMs);

  // End to end: the loop with and without probes, in adjacent blocks of the same steps (order
  // alternating) so that the shared machine's load changes hit both alike; the median ratio.
  const interval = DEFAULT_PROBE_SETTINGS.every;
  const e2e = setUp(w);
  // The initialization probe happens once per run; the blocks measure the steady state.
  const e2eProber = new Prober(e2e.target.layout(), { at_init: false });
  const e2eDiagnostician = new Diagnostician(e2e.context);
  let globalStep = 0;
  const plainBlock = (): number => {
    const start = now();
    for (let i = 1; i <= w.blockSteps; i++) e2e.step();
    return now() - start;
  };
  const probedBlock = (): number => {
    const start = now();
    for (let i = 1; i <= w.blockSteps; i++) {
      const due = e2eProber.isDue(i);
      if (due) e2eProber.beforeStep(e2e.model.parameters);
      const value = e2e.step();
      e2eDiagnostician.step(++globalStep, 1, value);
      if (due) {
        const rec = e2eProber.probe(globalStep, 1, e2e.target.update(), e2e.optimizer);
        JSON.stringify(rec);
        e2eDiagnostician.probe(rec);
      }
    }
    return now() - start;
  };
  plainBlock();
  probedBlock();
  const ratios: number[] = [];
  let fastestPlain = Infinity;
  let fastestProbed = Infinity;
  for (let r = 0; r < w.pairs; r++) {
    const first = r % 2 === 0 ? plainBlock() : probedBlock();
    const second = r % 2 === 0 ? probedBlock() : plainBlock();
    const [plain, probed] = r % 2 === 0 ? [first, second] : [second, first];
    ratios.push(probed / plain);
    fastestPlain = Math.min(fastestPlain, plain);
    fastestProbed = Math.min(fastestProbed, probed);
  }
  // The fastest block of each kind is the least disturbed by other processes.
  const endToEndFastest = 100 * (fastestProbed / fastestPlain - 1);
  const endToEndOverhead = 100 * (median(ratios) - 1);
  const sorted = [...ratios].sort((a, b) => a - b);
  const endToEndQuartiles: [number, number] = [
    100 * (sorted[Math.floor(sorted.length / 4)] - 1),
    100 * (sorted[Math.floor((3 * sorted.length) / 4)] - 1),
  ];

  return {
    workload: w.name,
    stepMs,
    probeMs,
    probeWithStateMs,
    serializeMs,
    diagnoseMs,
    recordBytes,
    scratchBytes: prober.scratch.bytes,
    overheadAt,
    endToEndOverhead,
    endToEndQuartiles,
    endToEndFastest,
    endToEndInterval: interval,
  };
}

export function report(results: readonly WorkloadResult[]): string {
  const lines: string[] = [];
  const f = (x: number, digits = 3) => Number(x.toPrecision(digits)).toString();
  for (const r of results) {
    lines.push(`## ${r.workload}`);
    lines.push(`training step            ${f(r.stepMs)} ms`);
    lines.push(`probe (snapshot + record) ${f(r.probeMs)} ms  = ${f(r.probeMs / r.stepMs)} steps`);
    lines.push(`  with optimizer state    ${f(r.probeWithStateMs)} ms`);
    lines.push(`JSON.stringify(record)    ${f(r.serializeMs)} ms  (${r.recordBytes} bytes)`);
    lines.push(`Diagnostician per probe   ${f(r.diagnoseMs)} ms`);
    lines.push(`scratch memory            ${f(r.scratchBytes / 1024)} KiB`);
    lines.push('overhead by interval (probe + serialize + diagnose) / (interval × step):');
    lines.push('  ' + Object.entries(r.overheadAt).map(([n, pct]) => `every ${n}: ${f(pct, 2)} %`).join(' | '));
    const [q1, q3] = r.endToEndQuartiles;
    lines.push(`measured end to end, every ${r.endToEndInterval}: ${f(r.endToEndOverhead, 2)} % (median of block pairs; quartiles ${f(q1, 2)} % to ${f(q3, 2)} %); fastest blocks: ${f(r.endToEndFastest, 2)} %`);
    lines.push('');
  }
  return lines.join('\n');
}
