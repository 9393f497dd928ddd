/**
 * End-to-end cost of probes and diagnostics in the real loop: TrainingSession on W2 (2-64-64-3 ReLU MLP on a
 * 3-class spiral, batch 32, SGD momentum; /work/shared/reference/perf-anchors) run whole, in three
 * configurations, interleaved so that the machine's load changes hit all alike:
 *   bare         probes off, every diagnostic rule disabled (the loop without them)
 *   diagnostics  probes off, the Diagnostician on every step and epoch
 *   probes       probes at the default interval (step 1 and every 50th) + the Diagnostician
 * Every records event is serialized with JSON.stringify in all three, as the run files and the
 * worker's messages do. The three run side by side, a step each in turn, every step timed in wall
 * time and in the process's CPU time; the overhead of a configuration is the median over
 * repetitions of its total over bare's in the same repetition (and the ratio of the fastest
 * repetitions). Run with `node bench/session.bench.mjs`; not part of `npm test`.
 */
import { Random } from '../engine/core/random';
import type { DataSplit, Dataset } from '../engine/data/dataset';
import { RULES } from '../engine/diagnostics/catalogue';
import { DEFAULT_PROBE_SETTINGS } from '../engine/probes/settings';
import { TrainingSession, type SessionSpec } from '../engine/train/session';
import { lossSpec } from '../test/unit/specs';

export type Config = 'bare' | 'diagnostics' | 'probes';
export const CONFIGS: readonly Config[] = ['bare', 'diagnostics', 'probes'];

export interface SessionBenchOptions {
  /** Training rows (the validation set is a fifth of it). */
  rows: number;
  epochs: number;
  /** Runs of each configuration. */
  repeats: number;
}

export const DEFAULT_OPTIONS: SessionBenchOptions = { rows: 3200, epochs: 10, repeats: 9 };

export type Clock = 'wall' | 'cpu';

export interface Overhead {
  /** Over repetitions of time(config) / time(bare) − 1, in %. */
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
  /** Fastest run of the configuration over fastest bare run − 1, in %. */
  fastest: number;
}

export interface SessionBenchResult {
  steps: number;
  interval: number;
  /** Per clock and configuration: the time of each run, in ms, in repetition order. */
  times: Record<Clock, Record<Config, number[]>>;
  overhead: Record<Clock, Record<Exclude<Config, 'bare'>, Overhead>>;
  probeRecords: number;
  probeBytes: number;
}

function spiral(perClass: number, seed: number): Dataset {
  const rng = new Random(seed);
  const size = perClass * 3;
  const x = new Float32Array(size * 2);
  const y = new Float32Array(size);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < perClass; i++) {
      const row = c * perClass + i;
      const r = i / (perClass - 1);
      const t = c * 4 + r * 4 + 0.2 * rng.normal();
      x[2 * row] = r * Math.sin(t);
      x[2 * row + 1] = r * Math.cos(t);
      y[row] = c;
    }
  }
  return { task: 'classification', size, features: 2, outputs: 3, x, y, featureNames: ['x1', 'x2'], classNames: ['a', 'b', 'c'] };
}

function specFor(config: Config, epochs: number): SessionSpec {
  const spec: SessionSpec = {
    name: 'W2',
    data: { type: 'spiral', samples: 0, classes: 3, noise: 0.2, seed: 1, validation_split: 0.2 },
    model: [
      { type: 'linear', out_features: 64, bias: true },
      { type: 'relu' },
      { type: 'linear', out_features: 64, bias: true },
      { type: 'relu' },
      { type: 'linear', bias: true },
    ],
    init: { weight: { type: 'default' }, bias: { type: 'default' } },
    loss: lossSpec({ type: 'cross_entropy' }),
    optimizer: { type: 'sgd', lr: 0.01, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
    training: { epochs, batch_size: 32, seed: 1, shuffle: true },
  };
  if (config !== 'probes') spec.probes = { every: 0, at_init: false };
  if (config === 'bare') spec.diagnostics = { disabled: RULES.map((rule) => rule.id) };
  return spec;
}

/** A session of one configuration and what it has cost so far. */
interface Timed {
  config: Config;
  session: TrainingSession;
  wallMs: number;
  cpuMs: number;
  probes: number;
  /** JSON of the first probe record. */
  probeBytes: number;
}

function timed(config: Config, data: DataSplit, epochs: number): Timed {
  const entry: Timed = { config, session: undefined as unknown as TrainingSession, wallMs: 0, cpuMs: 0, probes: 0, probeBytes: 0 };
  entry.session = new TrainingSession(specFor(config, epochs), data, {
    onEvent: (event) => {
      if (event.type !== 'records') return;
      JSON.stringify(event.records);
      for (const r of event.records) {
        if (r.kind !== 'probe') continue;
        entry.probes++;
        if (entry.probeBytes === 0) entry.probeBytes = JSON.stringify(r).length;
      }
    },
  });
  return entry;
}

/**
 * One repetition: the three sessions run side by side, one step each in turn (`runFor(0)` runs
 * exactly one step), each step timed. A change of the machine's load then hits all three alike
 * within a step or two, which whole runs one after the other do not get (the machine is shared).
 */
function repetition(data: DataSplit, epochs: number, rotation: number): Timed[] {
  const entries = CONFIGS.map((_, i) => timed(CONFIGS[(i + rotation) % CONFIGS.length], data, epochs));
  while (entries.some((e) => !e.session.done)) {
    for (const entry of entries) {
      if (entry.session.done) continue;
      const cpu = process.cpuUsage();
      const start = performance.now();
      entry.session.runFor(0);
      entry.wallMs += performance.now() - start;
      const used = process.cpuUsage(cpu);
      entry.cpuMs += (used.user + used.system) / 1000;
    }
  }
  for (const entry of entries) {
    const summary = entry.session.runToEnd();
    if (summary.status !== 'completed') throw new Error(`${entry.config}: the run ${summary.status}: ${summary.error}`);
  }
  return entries;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function measureSession(options: SessionBenchOptions = DEFAULT_OPTIONS): SessionBenchResult {
  const perClass = Math.round(options.rows / 3);
  const data: DataSplit = { train: spiral(perClass, 1), validation: spiral(Math.round(perClass / 5), 2), description: 'spiral' };
  // warm up the JIT on every path
  repetition(data, 2, 0);
  const times: Record<Clock, Record<Config, number[]>> = {
    wall: { bare: [], diagnostics: [], probes: [] },
    cpu: { bare: [], diagnostics: [], probes: [] },
  };
  let steps = 0;
  let probeRecords = 0;
  let probeBytes = 0;
  for (let r = 0; r < options.repeats; r++) {
    for (const entry of repetition(data, options.epochs, r)) {
      times.wall[entry.config].push(entry.wallMs);
      times.cpu[entry.config].push(entry.cpuMs);
      steps = entry.session.runToEnd().steps;
      if (entry.config === 'probes') {
        probeRecords = entry.probes;
        probeBytes = entry.probeBytes;
      }
    }
  }
  const summarize = (clock: Clock, config: Exclude<Config, 'bare'>): Overhead => {
    const t = times[clock];
    const ratios = t[config].map((x, i) => 100 * (x / t.bare[i] - 1)).sort((a, b) => a - b);
    return {
      median: quantile(ratios, 0.5),
      q1: quantile(ratios, 0.25),
      q3: quantile(ratios, 0.75),
      min: ratios[0],
      max: ratios[ratios.length - 1],
      fastest: 100 * (Math.min(...t[config]) / Math.min(...t.bare) - 1),
    };
  };
  const both = (clock: Clock) => ({ diagnostics: summarize(clock, 'diagnostics'), probes: summarize(clock, 'probes') });
  return { steps, interval: DEFAULT_PROBE_SETTINGS.every, times, overhead: { wall: both('wall'), cpu: both('cpu') }, probeRecords, probeBytes };
}

export function reportSession(result: SessionBenchResult): string {
  const f = (x: number, digits = 3) => Number(x.toPrecision(digits)).toString();
  const median = (values: number[]) => quantile([...values].sort((a, b) => a - b), 0.5);
  const runs = result.times.wall.bare.length;
  const lines = [`## TrainingSession, W2 2-64-64-3 spiral, batch 32, SGD momentum: ${result.steps} steps per run, ${runs} runs each`];
  for (const clock of ['cpu', 'wall'] as const) {
    lines.push(`${clock} time:`);
    for (const config of CONFIGS) {
      const t = result.times[clock][config];
      lines.push(`  ${config.padEnd(12)} median ${f(median(t))} ms (${f(Math.min(...t))} … ${f(Math.max(...t))}), ${f((1000 * result.steps) / median(t))} steps/s`);
    }
    for (const config of ['diagnostics', 'probes'] as const) {
      const o = result.overhead[clock][config];
      lines.push(
        `  ${config} vs bare: median ${f(o.median, 2)} %, quartiles ${f(o.q1, 2)} … ${f(o.q3, 2)} %, range ${f(o.min, 2)} … ${f(o.max, 2)} %; fastest runs ${f(o.fastest, 2)} %`,
      );
    }
  }
  lines.push(`probe records per run: ${result.probeRecords} (every ${result.interval} steps + step 1), ${result.probeBytes} bytes of JSON each`);
  return lines.join('\n');
}
