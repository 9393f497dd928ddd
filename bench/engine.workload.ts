/**
 * Trainscope's side of `npm run bench`: the workloads W1, W2, W3 and W5 trained through the real
 * TrainingSession with an experiment's defaults (probes every 50 steps, every diagnostic rule on),
 * every records event serialized with JSON.stringify as the worker's messages are.
 *
 *   W1  MLP 784-256-256-10 ReLU, cross-entropy, batch 128, Adam(1e-3)          steps/s
 *   W2  MLP 2-64-64-3 ReLU on a spiral, batch 32, SGD(0.01, momentum 0.9)      steps/s
 *   W3  MLP 784-1024-1024-10 ReLU, batch 256, Adam(1e-3)                       steps/s
 *   W5  one epoch of W1's net on Fashion-MNIST-sized data (60,000 × 784 training rows, shuffled,
 *       and 10,000 validation rows), training + the session's end-of-epoch evaluation of both sets  s
 *
 * W1–W3 time single steps (`runFor(0)` runs exactly one) on a training set of 64 batches; the
 * steps that end an epoch (and so include the evaluation of the training set) are left out, as
 * the other systems' step loops have no evaluation. The data follow the perf-anchors recipe:
 * x ~ N(0, 1) and labels argmax(x·T) for a fixed random teacher T (W2: a 3-arm spiral).
 */
import { Random } from '../engine/core/random';
import type { KernelChoice } from '../engine/core/selectKernels';
import { createKernels } from '../engine/core/selectKernels';
import type { DataSplit, Dataset } from '../engine/data/dataset';
import { LOSSES } from '../engine/losses/kinds';
import { LAYERS, type LayerSpec } from '../engine/nn/kinds';
import { TrainingSession, type SessionSpec } from '../engine/train/session';

export type Workload = 'W1' | 'W2' | 'W3' | 'W5';

interface WorkloadShape {
  dims: number[];
  batch: number;
  optimizer: 'adam' | 'sgd';
  /**
   * Steps run before timing (JIT, buffers, helper thread; for W2 also the first 1,000 steps, where
   * the first 20 probes come every 50 steps before max_overhead spaces them out) and per timed repeat.
   */
  warm: number;
  steps: number;
}

export const SHAPES: Record<Workload, WorkloadShape> = {
  W1: { dims: [784, 256, 256, 10], batch: 128, optimizer: 'adam', warm: 50, steps: 200 },
  W2: { dims: [2, 64, 64, 3], batch: 32, optimizer: 'sgd', warm: 1000, steps: 2000 },
  W3: { dims: [784, 1024, 1024, 10], batch: 256, optimizer: 'adam', warm: 5, steps: 50 },
  W5: { dims: [784, 256, 256, 10], batch: 128, optimizer: 'adam', warm: 0, steps: 0 },
};

export const REPEATS = 5;
const BATCHES_PER_EPOCH = 64;
export const W5_ROWS = { train: 60000, validation: 10000 };

export interface EngineOptions {
  kernels: KernelChoice;
  threads: number;
  /** false: probes off ({ every: 0, at_init: false }); default: the experiment defaults. */
  probes?: boolean;
}

export interface Measurement {
  workload: Workload;
  unit: 'steps/s' | 's';
  values: number[];
  median: number;
  kernels: string;
  /** W5: seconds of training and of evaluation within the epoch. */
  parts?: { train_s: number; eval_s: number };
}

function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dataset(x: Float32Array, y: Float32Array, features: number, classes: number): Dataset {
  return {
    task: 'classification',
    size: y.length,
    features,
    outputs: classes,
    x,
    y,
    featureNames: Array.from({ length: features }, (_, i) => `x${i}`),
    classNames: Array.from({ length: classes }, (_, i) => `c${i}`),
  };
}

/** x ~ N(0, 1), label = argmax(x·T) for a fixed random teacher T. */
export function teacherData(rows: number, features: number, classes: number, seed: number): Dataset {
  const rng = new Random(seed);
  const teacher = new Float32Array(features * classes);
  for (let i = 0; i < teacher.length; i++) teacher[i] = rng.normal();
  const x = new Float32Array(rows * features);
  const y = new Float32Array(rows);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  for (let r = 0; r < rows; r++) {
    let best = -Infinity;
    for (let c = 0; c < classes; c++) {
      let s = 0;
      for (let k = 0; k < features; k++) s += x[r * features + k] * teacher[k * classes + c];
      if (s > best) {
        best = s;
        y[r] = c;
      }
    }
  }
  return dataset(x, y, features, classes);
}

/** Fast Fashion-MNIST-shaped random data (labels uniform): W5 measures speed, not learning. */
function randomData(rows: number, features: number, classes: number, seed: number): Dataset {
  const u = mulberry32(seed);
  const x = new Float32Array(rows * features);
  const y = new Float32Array(rows);
  for (let i = 0; i < x.length; i++) x[i] = u();
  for (let r = 0; r < rows; r++) y[r] = Math.floor(u() * classes);
  return dataset(x, y, features, classes);
}

function spiral(rows: number, seed: number): Dataset {
  const u = mulberry32(seed);
  const x = new Float32Array(rows * 2);
  const y = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = i % 3;
    const t = u();
    const th = c * 4 + t * 4 + 0.2 * Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    x[2 * i] = t * Math.sin(th);
    x[2 * i + 1] = t * Math.cos(th);
    y[i] = c;
  }
  return dataset(x, y, 2, 3);
}

const EMPTY = (like: Dataset): Dataset => ({ ...like, size: 0, x: new Float32Array(0), y: new Float32Array(0) });

export function workloadData(workload: Workload): DataSplit {
  const { dims, batch } = SHAPES[workload];
  const classes = dims[dims.length - 1];
  if (workload === 'W5') {
    return {
      train: randomData(W5_ROWS.train, dims[0], classes, 1),
      validation: randomData(W5_ROWS.validation, dims[0], classes, 2),
      description: 'random, Fashion-MNIST-sized',
    };
  }
  const train = workload === 'W2' ? spiral(batch * BATCHES_PER_EPOCH, 1) : teacherData(batch * BATCHES_PER_EPOCH, dims[0], classes, 1);
  return { train, validation: EMPTY(train), description: workload };
}

export function workloadSpec(workload: Workload, epochs: number, probes = true): SessionSpec {
  const { dims, batch, optimizer } = SHAPES[workload];
  const model: LayerSpec[] = [];
  for (let i = 1; i < dims.length; i++) {
    model.push(LAYERS.resolve(i < dims.length - 1 ? { type: 'linear', out_features: dims[i] } : { type: 'linear' }));
    if (i < dims.length - 1) model.push(LAYERS.resolve({ type: 'relu' }));
  }
  const spec: SessionSpec = {
    name: workload,
    data: { type: 'spiral', samples: 0, classes: 3, noise: 0.2, seed: 1, validation_split: 0 },
    model,
    init: { weight: { type: 'default' }, bias: { type: 'default' } },
    loss: LOSSES.resolve({ type: 'cross_entropy' }),
    optimizer:
      optimizer === 'adam'
        ? { type: 'adam', lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false }
        : { type: 'sgd', lr: 0.01, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false },
    training: { epochs, batch_size: batch, seed: 1, shuffle: true },
  } as SessionSpec;
  if (!probes) spec.probes = { every: 0, at_init: false };
  return spec;
}

function session(workload: Workload, data: DataSplit, epochs: number, options: EngineOptions): TrainingSession {
  return new TrainingSession(workloadSpec(workload, epochs, options.probes !== false), data, {
    kernels: createKernels({ kernels: options.kernels, threads: options.threads }),
    onEvent: (event) => {
      if (event.type === 'records') JSON.stringify(event.records);
    },
  });
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

/**
 * A stepper for W1–W3: `next()` runs one step and returns its milliseconds, or undefined for a
 * step that ended an epoch (it included the evaluation).
 */
export function stepper(workload: Workload, options: EngineOptions, data = workloadData(workload)) {
  const run = session(workload, data, 1_000_000, options);
  let step = 0;
  return {
    kernels: run.header.kernels!,
    session: run,
    next(): number | undefined {
      const start = performance.now();
      run.runFor(0);
      const ms = performance.now() - start;
      step++;
      return step % BATCHES_PER_EPOCH === 0 ? undefined : ms;
    },
  };
}

/** W1–W3: REPEATS timed repeats of `steps` steps after `warm` ones; steps per second of each. */
export function measureSteps(workload: Workload, options: EngineOptions): Measurement {
  const { warm, steps } = SHAPES[workload];
  const s = stepper(workload, options);
  for (let i = 0; i < warm; i++) s.next();
  const values: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    let ms = 0;
    let counted = 0;
    while (counted < steps) {
      const t = s.next();
      if (t === undefined) continue;
      ms += t;
      counted++;
    }
    values.push((1000 * counted) / ms);
  }
  return { workload, unit: 'steps/s', values, median: median(values), kernels: s.kernels };
}

/** W5: seconds for one epoch (training + end-of-epoch evaluation), `repeats` times in fresh runs. */
export function measureEpoch(options: EngineOptions, repeats = 3): Measurement {
  const data = workloadData('W5');
  const values: number[] = [];
  let parts = { train_s: 0, eval_s: 0 };
  let kernels = '';
  // one warm-up epoch (JIT, memory), then timed ones
  for (let r = 0; r <= repeats; r++) {
    const run = session('W5', data, 1, options);
    kernels = run.header.kernels!;
    const stepsPerEpoch = run.header.stepsPerEpoch;
    let train = 0;
    let last = 0;
    for (let i = 0; i < stepsPerEpoch; i++) {
      const t = performance.now();
      run.runFor(0);
      const ms = performance.now() - t;
      if (i < stepsPerEpoch - 1) train += ms;
      else last = ms;
    }
    if (!run.done) throw new Error('W5: the run did not end after one epoch');
    if (r === 0) continue;
    // the last step's time is one training step plus the evaluation: count a mean step as training
    const mean = train / (stepsPerEpoch - 1);
    const total = (train + last) / 1000;
    values.push(total);
    parts = { train_s: (train + mean) / 1000, eval_s: (last - mean) / 1000 };
  }
  return { workload: 'W5', unit: 's', values, median: median(values), kernels, parts };
}
