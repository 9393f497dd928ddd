/**
 * What the live decision boundary costs the run that draws it. Run with `node bench/boundary.bench.mjs`
 * (it bundles this file); not part of `npm test`.
 *
 * The spiral example's base as the extension trains it (examples/spiral.experiment.json: 600 points,
 * 3 classes, validation 0.2 → 480 training rows; 2-64-64-3 ReLU MLP, batch 32, SGD momentum),
 * assembled by engine/train/assemble.ts with the kernels a run picks (or the plain JS ones with
 * --kernels js): its buffers hold 480 rows, so the 48² grid is five forward passes. Measured, in rounds that alternate so the shared machine's load hits all alike:
 *   - a training step (zero grads, forward, loss, backward, optimizer step);
 *   - one grid: DecisionBoundary.evaluate at BOUNDARY_RESOLUTION (the worker's call);
 *   - the record's JSON (what the worker's message and the run file cost), and its size.
 * The share of training follows from the cadence: the worker evaluates a grid on a probe step (every
 * DEFAULT_PROBE_SETTINGS.every steps) at most once per BOUNDARY_INTERVAL_MS, so one grid per
 * max(interval, every × step) of training.
 */
import fs from 'node:fs';
import path from 'node:path';
import { jsKernels } from '../engine/core/jsKernels';
import type { Kernels } from '../engine/core/kernels';
import { createKernels } from '../engine/core/selectKernels';
import { loadData } from '../engine/data/kinds';
import { parseExperiment } from '../engine/experiment/parse';
import { DEFAULT_PROBE_SETTINGS } from '../engine/probes/settings';
import { assembleRun } from '../engine/train/assemble';
import { BOUNDARY_INTERVAL_MS, BOUNDARY_RESOLUTION, DecisionBoundary } from '../engine/train/decisionBoundary';

const EXAMPLE = 'examples/spiral.experiment.json';

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface BoundaryBenchResult {
  kernels: string;
  batch: number;
  trainRows: number;
  resolution: number;
  cells: number;
  modelRows: number;
  rounds: number;
  stepMs: Spread;
  gridMs: Spread;
  jsonMs: Spread;
  recordBytes: number;
  probeEvery: number;
  intervalMs: number;
  /** Training time between two grids at the worker's cadence (ms). */
  periodMs: number;
  /** (grid + JSON) / period, in % of training time. */
  shareAtCadence: Spread;
  /** One grid (with its JSON) in training steps' time. */
  gridInSteps: Spread;
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const spread = (v: number[]): Spread => ({ median: median(v), min: Math.min(...v), max: Math.max(...v) });

/** Mean ms per call of `fn` over `calls` calls. */
function perCall(fn: () => void, calls: number): number {
  const start = performance.now();
  for (let i = 0; i < calls; i++) fn();
  return (performance.now() - start) / calls;
}

/** The spiral example's base, assembled as a run assembles it, with `kernels`. */
function spiralRun(root: string, kernels: Kernels) {
  const parsed = parseExperiment(fs.readFileSync(path.join(root, EXAMPLE), 'utf8'), path.basename(EXAMPLE));
  const spec = parsed.resolve()?.spec;
  if (!spec) throw new Error(`${EXAMPLE} does not resolve: ${parsed.problems.map(p => p.message).join('; ')}`);
  const data = loadData(spec.data, {} as never);
  const run = assembleRun(spec, data, kernels);
  const batch = spec.training.batch_size;
  const { model, loss, optimizer, batchX, batchY } = run;
  const train = data.train;
  let next = 0;
  // The loop's step on consecutive batches: gather, zero grads, forward, loss, backward, update.
  const step = (): void => {
    const at = (next++ * batch) % (train.size - batch);
    batchX.set(train.x.subarray(at * 2, (at + batch) * 2));
    batchY.set(train.y.subarray(at, at + batch));
    optimizer.zeroGrad();
    loss.forward(model.forward(batchX.subarray(0, batch * 2), batch, true), batchY.subarray(0, batch), batch);
    model.backward(loss.backward(batch), batch);
    optimizer.step();
  };
  return { step, run, train, batch };
}

export function measure(root: string, rounds = 15, which: 'run' | 'js' = 'run'): BoundaryBenchResult {
  const kernels = which === 'js' ? jsKernels : createKernels();
  const { step, run, train, batch } = spiralRun(root, kernels);
  const model = run.model;
  const boundary = new DecisionBoundary(model, train, run.maxRows, BOUNDARY_RESOLUTION);
  // Warm up, and train a little so the grid is of a model that has learnt something.
  for (let i = 0; i < 600; i++) step();
  for (let i = 0; i < 20; i++) boundary.evaluate(i, 1);
  const record = boundary.evaluate(600, 40);
  const recordBytes = JSON.stringify(record).length;

  const steps: number[] = [];
  const grids: number[] = [];
  const jsons: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const parts = [
      () => steps.push(perCall(step, 300)),
      () => grids.push(perCall(() => boundary.evaluate(600, 40), 20)),
      () => jsons.push(perCall(() => JSON.stringify(record), 20)),
    ];
    // A different order each round.
    for (let k = 0; k < parts.length; k++) parts[(k + r) % parts.length]();
  }
  const every = DEFAULT_PROBE_SETTINGS.every;
  const periodFor = (stepMs: number): number => Math.max(BOUNDARY_INTERVAL_MS, every * stepMs);
  const atCadence = steps.map((s, i) => (100 * (grids[i] + jsons[i])) / periodFor(s));
  const inSteps = steps.map((s, i) => (grids[i] + jsons[i]) / s);
  return {
    kernels: kernels.constructor?.name === 'Object' ? 'js' : (kernels as { name?: string }).name ?? kernels.constructor.name,
    batch,
    trainRows: train.size,
    resolution: BOUNDARY_RESOLUTION,
    cells: BOUNDARY_RESOLUTION ** 2,
    modelRows: run.maxRows,
    rounds,
    stepMs: spread(steps),
    gridMs: spread(grids),
    jsonMs: spread(jsons),
    recordBytes,
    probeEvery: every,
    intervalMs: BOUNDARY_INTERVAL_MS,
    periodMs: periodFor(median(steps)),
    shareAtCadence: spread(atCadence),
    gridInSteps: spread(inSteps),
  };
}

const f = (s: Spread, digits = 3): string => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

export function report(r: BoundaryBenchResult): string {
  return [
    `decision boundary of ${EXAMPLE} (${r.trainRows} training rows; ${r.kernels} kernels; ${r.resolution}×${r.resolution} = ${r.cells} cells, model buffers of ${r.modelRows} rows), median (min–max) of ${r.rounds} rounds`,
    `  training step (batch ${r.batch}):              ${f(r.stepMs)} ms`,
    `  one grid evaluation:                    ${f(r.gridMs)} ms`,
    `  its record's JSON:                      ${f(r.jsonMs)} ms, ${(r.recordBytes / 1024).toFixed(1)} KiB`,
    `  cadence: a grid on a probe step (every ${r.probeEvery} steps) at most every ${r.intervalMs} ms → one per ${r.periodMs.toFixed(0)} ms of training`,
    `  share of training time at that cadence: ${f(r.shareAtCadence, 2)} %`,
    `  one grid is the time of ${f(r.gridInSteps, 0)} training steps (so at most one every ${r.probeEvery}-step probe would be ${(100 * r.gridInSteps.median / r.probeEvery).toFixed(0)} % on steps this fast: the time cadence is what keeps it small)`,
  ].join('\n');
}
