// TensorFlow.js's side of `npm run bench` (backend wasm with SIMD, one thread): one workload in
// this process, one JSON line on stdout.   node bench/tfjs_workloads.mjs W1|W2|W3|W5 TFJS_DIR
// TFJS_DIR is the folder whose node_modules hold @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm
// (bench/run.mjs installs them into bench/.tfjs on request). The same workloads as
// bench/engine.workload.ts, written as a tfjs user would: variables, tf.train optimizers,
// optimizer.minimize; W5 evaluates in chunks of 1024 inside tf.tidy.
import { createRequire } from 'node:module';
import path from 'node:path';

const [workload, tfjsDir] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(tfjsDir), 'package.json'));
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');

const SHAPES = {
  W1: { dims: [784, 256, 256, 10], batch: 128, opt: 'adam', warm: 20, steps: 200 },
  W2: { dims: [2, 64, 64, 3], batch: 32, opt: 'sgd', warm: 200, steps: 2000 },
  W3: { dims: [784, 1024, 1024, 10], batch: 256, opt: 'adam', warm: 2, steps: 50 },
  W5: { dims: [784, 256, 256, 10], batch: 128, opt: 'adam', warm: 0, steps: 0 },
};
const REPEATS = 5;
/** Slow systems: steps per repeat shrunk so that one repeat takes about this long. */
const TARGET_S = 3;
const { dims, batch, opt, warm, steps } = SHAPES[workload];

tf.env().set('WASM_HAS_SIMD_SUPPORT', true);
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
await tf.setBackend('wasm');
await tf.ready();

function model() {
  const ws = [];
  const bs = [];
  for (let i = 0; i < dims.length - 1; i++) {
    const limit = Math.sqrt(6 / (dims[i] + dims[i + 1]));
    ws.push(tf.variable(tf.randomUniform([dims[i], dims[i + 1]], -limit, limit)));
    bs.push(tf.variable(tf.zeros([dims[i + 1]])));
  }
  const forward = (x) => {
    let h = x;
    for (let i = 0; i < ws.length; i++) {
      h = tf.add(tf.matMul(h, ws[i]), bs[i]);
      if (i < ws.length - 1) h = tf.relu(h);
    }
    return h;
  };
  const optimizer = opt === 'adam' ? tf.train.adam(1e-3) : tf.train.momentum(0.01, 0.9);
  return { forward, optimizer };
}

const now = () => performance.now() / 1000;
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const out = { system: 'tfjs-wasm-simd', workload, version: tf.version.tfjs, backend: tf.getBackend() };
const classes = dims[dims.length - 1];

if (workload === 'W5') {
  const xTrain = tf.randomUniform([60000, dims[0]]);
  const yTrain = tf.oneHot(tf.randomUniform([60000], 0, classes, 'int32'), classes).toFloat();
  const xVal = tf.randomUniform([10000, dims[0]]);
  const yVal = tf.oneHot(tf.randomUniform([10000], 0, classes, 'int32'), classes).toFloat();
  const values = [];
  let parts;
  const { forward, optimizer } = model();
  const evaluate = (x, y) =>
    tf.tidy(() => {
      let total = 0;
      for (let start = 0; start < x.shape[0]; start += 1024) {
        const size = Math.min(1024, x.shape[0] - start);
        const logits = forward(x.slice([start, 0], [size, -1]));
        total += tf.losses.softmaxCrossEntropy(y.slice([start, 0], [size, -1]), logits).dataSync()[0] * size;
      }
      return total / x.shape[0];
    });
  // one epoch (tfjs takes tens of seconds for it)
  const t0 = now();
  const order = tf.util.createShuffledIndices(60000);
  for (let start = 0; start < 60000; start += batch) {
    const idx = tf.tensor1d(Int32Array.from(order.subarray(start, start + batch)), 'int32');
    const x = tf.gather(xTrain, idx);
    const y = tf.gather(yTrain, idx);
    const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x)), true);
    cost.dataSync();
    tf.dispose([idx, x, y, cost]);
  }
  const t1 = now();
  evaluate(xTrain, yTrain);
  evaluate(xVal, yVal);
  const t2 = now();
  values.push(t2 - t0);
  parts = { train_s: t1 - t0, eval_s: t2 - t1 };
  Object.assign(out, { unit: 's', values, parts });
} else {
  const { forward, optimizer } = model();
  const data = [];
  for (let b = 0; b < 64; b++) {
    const x = tf.randomNormal([batch, dims[0]]);
    data.push({ x, y: tf.oneHot(tf.randomUniform([batch], 0, classes, 'int32'), classes).toFloat() });
  }
  let last;
  const step = (i) => {
    const { x, y } = data[i % data.length];
    const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x)), true);
    if (last) last.dispose();
    last = cost;
  };
  for (let i = 0; i < warm; i++) step(i);
  last.dataSync();
  let t = now();
  for (let i = 0; i < 3; i++) step(i);
  last.dataSync();
  const rate = 3 / (now() - t);
  const perRepeat = Math.max(3, Math.min(steps, Math.round(rate * TARGET_S)));
  const values = [];
  for (let r = 0; r < REPEATS; r++) {
    t = now();
    for (let i = 0; i < perRepeat; i++) step(i);
    last.dataSync();
    values.push(perRepeat / (now() - t));
  }
  Object.assign(out, { unit: 'steps/s', values, steps_per_repeat: perRepeat });
}
out.median = median(out.values);
out.peak_rss_kb = process.resourceUsage().maxRSS;
out.wasm_threads = wasm.getThreadsCount?.();
const cpu = process.cpuUsage();
out.cpu_s = (cpu.user + cpu.system) / 1e6;
console.log(JSON.stringify(out));
process.exit(0);
