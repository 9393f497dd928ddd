/**
 * One Trainscope measurement per process, for bench/run.mjs (which bundles this file). Prints one
 * JSON line. Modes:
 *   steps W1|W2|W3 KERNELS THREADS     steps/s through TrainingSession (bench/engine.workload.ts)
 *   epoch KERNELS THREADS              W5: seconds for one epoch, training + evaluation
 *   probes W1|W2 KERNELS THREADS       cost of probes at the default interval: two sessions, probes
 *                                      on and off, stepping in turn; per repeat Σon/Σoff − 1
 *   lag WORKER_JS SECONDS              event-loop delay of this (host) process while the real
 *                                      training worker (dist/worker.js) trains a wide MLP
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { KernelChoice } from '../engine/core/selectKernels';
import { parseExperiment } from '../engine/experiment/parse';
import { ALWAYS_PROBED } from '../engine/probes/settings';
import { RunDigest } from '../engine/series/digest';
import type { FromWorker } from '../engine/worker/protocol';
import { measureEpoch, measureSteps, REPEATS, SHAPES, stepper, workloadData, type Workload } from './engine.workload';

const [mode, ...args] = process.argv.slice(2);

function print(result: object): void {
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ ...result, peak_rss_kb: process.resourceUsage().maxRSS, cpu_s: (cpu.user + cpu.system) / 1e6 }));
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function probeOverhead(workload: Workload, kernels: KernelChoice, threads: number) {
  const data = workloadData(workload);
  const on = stepper(workload, { kernels, threads, probes: true }, data);
  const off = stepper(workload, { kernels, threads, probes: false }, data);
  const { warm, steps } = SHAPES[workload];
  // Past the first probes, which are taken whatever they cost (a short run's whole picture): the
  // steady state of a long run, where max_overhead spaces the probes out.
  for (let i = 0; i < Math.max(warm, 50 * ALWAYS_PROBED); i++) {
    on.next();
    off.next();
  }
  const ratios: number[] = [];
  // whole probe intervals (probes every 50·stride steps), so each repeat holds the same number of probes
  const interval = 50 * on.session.probeStride!;
  const perRepeat = Math.max(200, Math.ceil(steps / interval) * interval);
  for (let r = 0; r < REPEATS * 2; r++) {
    let tOn = 0;
    let tOff = 0;
    for (let i = 0; i < perRepeat; i++) {
      tOn += on.next() ?? 0;
      tOff += off.next() ?? 0;
    }
    ratios.push(100 * (tOn / tOff - 1));
  }
  return { mode: 'probes', workload, kernels: on.kernels, probe_every: interval, overhead_pct: ratios, median: median(ratios) };
}

/** The extension host's side: a worker trains; the host measures how late its own event loop runs. */
async function lag(workerFile: string, seconds: number) {
  const text = JSON.stringify({
    data: { type: 'spiral', samples: 20000, classes: 3 },
    model: [{ type: 'linear', out_features: 1024 }, 'relu', { type: 'linear', out_features: 1024 }, 'relu', 'linear'],
    optimizer: { type: 'adam', lr: 0.001 },
    training: { epochs: 3, batch_size: 256 },
  });
  const parsed = parseExperiment(text, 'lag.experiment.json');
  const resolved = parsed.resolve(undefined);
  if (!resolved) throw new Error(`the lag experiment does not resolve: ${parsed.problems.map((p) => p.message).join('; ')}`);
  const spec = resolved.spec;
  const worker = new Worker(workerFile);
  // As the extension host does: each delta goes into the run's digest, then is acknowledged (the
  // worker sends the next one only then).
  const digest = new RunDigest();
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'delta') {
      digest.apply(m.delta);
      worker.postMessage({ type: 'ack' });
    }
  });
  const steps = (): number => digest.counts.steps;
  worker.postMessage({ type: 'start', spec, files: {} });
  // let the run start (data, model, helper thread), then measure
  await new Promise((r) => setTimeout(r, 1500));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const stepsBefore = steps();
  delay.enable();
  // the host keeps doing a little work, as an extension host does
  const busy = setInterval(() => JSON.stringify(digest.counts), 5);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  delay.disable();
  clearInterval(busy);
  worker.postMessage({ type: 'stop' });
  await new Promise((r) => setTimeout(r, 200));
  await worker.terminate();
  const ms = (ns: number) => ns / 1e6;
  return {
    mode: 'lag',
    seconds,
    steps_per_s: (steps() - stepsBefore) / seconds,
    p50_ms: ms(delay.percentile(50)),
    p99_ms: ms(delay.percentile(99)),
    max_ms: ms(delay.max),
  };
}

async function main() {
  if (mode === 'steps') {
    const [workload, kernels, threads] = args;
    print(measureSteps(workload as Workload, { kernels: kernels as KernelChoice, threads: Number(threads) }));
  } else if (mode === 'epoch') {
    const [kernels, threads] = args;
    print(measureEpoch({ kernels: kernels as KernelChoice, threads: Number(threads) }, 3));
  } else if (mode === 'probes') {
    const [workload, kernels, threads] = args;
    print(probeOverhead(workload as Workload, kernels as KernelChoice, Number(threads)));
  } else if (mode === 'lag') {
    print(await lag(args[0], Number(args[1] ?? 10)));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  process.exit(0);
}

void main();
