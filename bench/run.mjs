#!/usr/bin/env node
// `npm run bench`: Trainscope's engine against PyTorch and TensorFlow.js on the same machine, in
// one run, interleaved, every measurement in a process of its own; then a table of medians and
// ratios, with the cost of probes, peak memory, the extension host's event-loop delay while a
// worker trains, and (unless --no-contention) the same with another process keeping a core busy.
// Not part of `npm test`. Takes about 10 minutes with the default 3 rounds.
//
//   npm run bench [-- --rounds N] [--only W1,W2] [--install-tfjs] [--no-contention] [--json FILE]
//
// Systems:
//   trainscope        the engine as VS Code runs it: WebAssembly relaxed SIMD (FMA), up to 2 threads
//                     (Electron has relaxed SIMD; on Node 20 it needs --experimental-wasm-relaxed-simd,
//                     which this benchmark passes)
//   trainscope-simd   the engine as `npx trainscope` runs it on Node 20: plain WebAssembly SIMD
//   pytorch           Debian's python3-torch, 2 threads, OpenBLAS's OpenMP build (bench/torch_workloads.py)
//   tfjs              @tensorflow/tfjs 4.22 with the wasm backend, SIMD (bench/tfjs_workloads.mjs),
//                     installed on request into bench/.tfjs (--install-tfjs): not a dependency
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const ROUNDS = Number(option('--rounds', '3'));
const WORKLOADS = option('--only', 'W1,W2,W3,W5').split(',');
const TFJS_DIR = path.join(root, 'bench/.tfjs');
const PYTHON = '/usr/bin/python3';
const OPENBLAS_OPENMP = '/usr/lib/x86_64-linux-gnu/openblas-openmp';
const RELAXED = '--experimental-wasm-relaxed-simd';

const log = (...a) => console.error('[bench]', ...a);

// ---- what is there ------------------------------------------------------------------------------
function torchEnv() {
  const env = { ...process.env };
  if (fs.existsSync(OPENBLAS_OPENMP)) env.LD_LIBRARY_PATH = OPENBLAS_OPENMP;
  return env;
}

function findTorch() {
  if (!fs.existsSync(PYTHON)) return { missing: `${PYTHON} not found` };
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { env: torchEnv(), encoding: 'utf8' });
  if (r.status !== 0) return { missing: 'python3-torch is not installed (apt-get install python3-torch libopenblas0-openmp)' };
  const note = fs.existsSync(OPENBLAS_OPENMP) ? '' : ' (WARNING: libopenblas0-openmp missing: torch uses the default BLAS, an unfair baseline)';
  return { version: r.stdout.trim() + note };
}

function findTfjs() {
  const have = () => fs.existsSync(path.join(TFJS_DIR, 'node_modules/@tensorflow/tfjs-backend-wasm/package.json'));
  if (!have() && flag('--install-tfjs')) {
    log('installing @tensorflow/tfjs 4.22 and its wasm backend into bench/.tfjs ...');
    fs.mkdirSync(TFJS_DIR, { recursive: true });
    fs.writeFileSync(path.join(TFJS_DIR, 'package.json'), JSON.stringify({ name: 'trainscope-bench-tfjs', private: true }));
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '@tensorflow/tfjs@4.22.0', '@tensorflow/tfjs-backend-wasm@4.22.0'], {
      cwd: TFJS_DIR,
      stdio: 'inherit',
    });
    if (r.status !== 0) return { missing: 'npm install of @tensorflow/tfjs into bench/.tfjs failed' };
  }
  if (!have()) return { missing: 'not installed: run `npm run bench -- --install-tfjs` (installs into bench/.tfjs, outside the project\'s dependencies)' };
  return { version: JSON.parse(fs.readFileSync(path.join(TFJS_DIR, 'node_modules/@tensorflow/tfjs/package.json'), 'utf8')).version };
}

// ---- running one measurement --------------------------------------------------------------------
function busySeconds() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = f[3] + f[4];
  // USER_HZ: 100 ticks per second on Linux
  return (f.reduce((a, b) => a + b, 0) - idle) / 100;
}

/** Runs a command that prints one JSON line; adds wall time and the CPUs other processes used. */
function measure(cmd, cmdArgs, env = process.env) {
  return new Promise((resolve) => {
    const busy0 = busySeconds();
    const t0 = performance.now();
    const child = spawn(cmd, cmdArgs, { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      const line = out.split('\n').filter((l) => l.startsWith('{')).pop();
      if (code !== 0 || !line) {
        resolve({ error: (err.trim().split('\n').pop() || `exit ${code}`).slice(0, 300) });
        return;
      }
      const result = JSON.parse(line);
      result.wall_s = wall;
      result.others_cpu = Math.max(0, (busySeconds() - busy0 - (result.cpu_s ?? 0)) / wall);
      resolve(result);
    });
  });
}

// ---- the systems ----------------------------------------------------------------------------------
const engineChild = path.join(root, 'bench/.build/engine.child.mjs');
const SYSTEMS = {
  trainscope: {
    label: 'Trainscope (relaxed SIMD, ≤2 threads)',
    run: (w) => measure(process.execPath, [RELAXED, engineChild, ...(w === 'W5' ? ['epoch'] : ['steps', w]), 'auto', '2']),
  },
  'trainscope-simd': {
    label: 'Trainscope (plain SIMD, Node 20 CLI)',
    run: (w) => measure(process.execPath, [engineChild, ...(w === 'W5' ? ['epoch'] : ['steps', w]), 'auto', '2']),
  },
  pytorch: {
    label: 'PyTorch 2 threads',
    // three timed epochs for W5 after a warm-up one, as Trainscope's
    run: (w) => measure(PYTHON, [path.join(root, 'bench/torch_workloads.py'), w, '2'], { ...torchEnv(), BENCH_EPOCHS: '3' }),
  },
  tfjs: {
    label: 'TensorFlow.js wasm-simd',
    run: (w) => measure(process.execPath, [path.join(root, 'bench/tfjs_workloads.mjs'), w, TFJS_DIR]),
  },
};

// ---- statistics and the table -------------------------------------------------------------------
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x) => (!Number.isFinite(x) ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

async function main() {
  const started = Date.now();
  log('building (npm run build) and bundling the engine workloads ...');
  const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('the build failed');
  await build({
    entryPoints: [path.join(root, 'bench/engine.child.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile: engineChild,
    loader: { '.wasm': 'binary' },
    logLevel: 'warning',
  });

  const torch = findTorch();
  const tfjs = findTfjs();
  const missing = [];
  if (torch.missing || flag('--no-torch')) missing.push(`PyTorch: ${torch.missing ?? 'skipped (--no-torch)'}`);
  if (tfjs.missing || flag('--no-tfjs')) missing.push(`TensorFlow.js: ${tfjs.missing ?? 'skipped (--no-tfjs)'}`);
  for (const m of missing) log(`MISSING ${m}`);
  const systems = Object.keys(SYSTEMS).filter(
    (s) => !(s === 'pytorch' && (torch.missing || flag('--no-torch'))) && !(s === 'tfjs' && (tfjs.missing || flag('--no-tfjs'))),
  );

  // results[workload][system] = per-run results
  const results = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const w of WORKLOADS) {
      results[w] ??= {};
      // rotate the order each round: a change in the machine's load hits every system alike
      const order = systems.map((_, i) => systems[(i + round) % systems.length]);
      for (const s of order) {
        if (s === 'tfjs' && w === 'W5' && round > 0) continue; // one tfjs epoch takes ~25 s or more
        log(`round ${round + 1}/${ROUNDS} ${w} ${s} ...`);
        const r = await SYSTEMS[s].run(w);
        if (r.error) log(`  FAILED: ${r.error}`);
        else log(`  ${fmt(r.median)} ${r.unit}${r.kernels ? ` (${r.kernels})` : ''}, others' CPU ${r.others_cpu.toFixed(2)}`);
        (results[w][s] ??= []).push(r);
        // partial results survive an interrupted run
        if (option('--json')) fs.writeFileSync(option('--json'), JSON.stringify({ partial: true, results }, null, 2));
      }
    }
  }

  log('probe overhead at the default settings (every 50 steps within max_overhead 5 %), W1 and W2 ...');
  const probes = {};
  for (const w of ['W1', 'W2']) probes[w] = await measure(process.execPath, [RELAXED, engineChild, 'probes', w, 'auto', '2']);
  log('event-loop delay of a host process while the training worker (dist/worker.js) trains ...');
  const lag = await measure(process.execPath, [RELAXED, engineChild, 'lag', path.join(root, 'dist/worker.js'), '10']);

  let contention;
  if (!flag('--no-contention')) contention = await measureContention(systems);

  const report = { machine: machineInfo(), torch, tfjs, missing, rounds: ROUNDS, results, probes, lag, contention, minutes: (Date.now() - started) / 60000 };
  if (option('--json')) fs.writeFileSync(option('--json'), JSON.stringify(report, null, 2));
  console.log(table(report, systems));
}

/** W1 and W3 while another process keeps one core busy: the thread policy vs one thread vs PyTorch. */
async function measureContention(systems) {
  log('contention: W1 and W3 while another process keeps one core busy ...');
  const hog = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  const out = {};
  try {
    for (const w of ['W1', 'W3']) {
      out[w] = {
        'trainscope (policy, ≤2 threads)': await measure(process.execPath, [RELAXED, engineChild, 'steps', w, 'auto', '2']),
        'trainscope (1 thread)': await measure(process.execPath, [RELAXED, engineChild, 'steps', w, 'auto', '1']),
      };
      if (systems.includes('pytorch')) {
        out[w]['pytorch (2 threads)'] = await SYSTEMS.pytorch.run(w);
        out[w]['pytorch (1 thread)'] = await measure(PYTHON, [path.join(root, 'bench/torch_workloads.py'), w, '1'], torchEnv());
      }
    }
  } finally {
    hog.kill();
  }
  return out;
}

function machineInfo() {
  return { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg_at_end: os.loadavg() };
}

function table(report, systems) {
  const { results } = report;
  const lines = [];
  const ours = 'trainscope';
  lines.push(`# npm run bench — ${report.machine.cpus} × ${report.machine.model}, Node ${report.machine.node}, ${report.rounds} rounds, ${report.minutes.toFixed(1)} min`);
  lines.push(`PyTorch: ${report.torch.version ?? 'MISSING'} · TensorFlow.js: ${report.tfjs.version ?? 'MISSING'}`);
  for (const m of report.missing) lines.push(`MISSING ${m}`);
  lines.push('');
  lines.push('Cells: median over rounds of each run\'s median [range of the runs\' medians]. W1–W3 steps/s (higher is better), W5 seconds per epoch incl. evaluation (lower is better). others = CPUs other processes used during the runs (median; 0 = quiet machine).');
  lines.push('');
  lines.push(`| workload | ${systems.map((s) => SYSTEMS[s].label).join(' | ')} | ${ours} ÷ PyTorch | ${ours} ÷ tfjs | others |`);
  lines.push(`|---|${systems.map(() => '---').join('|')}|---|---|---|`);
  for (const w of WORKLOADS) {
    const cell = (s) => {
      const runs = (results[w]?.[s] ?? []).filter((r) => !r.error);
      if (runs.length === 0) return { text: '–', value: NaN };
      const medians = runs.map((r) => r.median);
      const m = median(medians);
      const extra = w === 'W5' && runs[0].parts ? ` (train ${fmt(median(runs.map((r) => r.parts.train_s)))} + eval ${fmt(median(runs.map((r) => r.parts.eval_s)))})` : '';
      return { text: `${fmt(m)} [${fmt(Math.min(...medians))}–${fmt(Math.max(...medians))}]${extra}`, value: m };
    };
    const cells = Object.fromEntries(systems.map((s) => [s, cell(s)]));
    // speed ratio: steps/s ÷ steps/s, or seconds ÷ seconds inverted (W5)
    const ratio = (other) => {
      if (!cells[other]) return '–';
      const r = w === 'W5' ? cells[other].value / cells[ours].value : cells[ours].value / cells[other].value;
      return Number.isFinite(r) ? `${r.toFixed(2)}×` : '–';
    };
    const others = median(systems.flatMap((s) => (results[w]?.[s] ?? []).filter((r) => !r.error).map((r) => r.others_cpu)));
    lines.push(`| ${w} | ${systems.map((s) => cells[s].text).join(' | ')} | ${ratio('pytorch')} | ${ratio('tfjs')} | ${fmt(others)} |`);
  }
  lines.push('');
  const rss = (s) => {
    const runs = (results.W1?.[s] ?? []).filter((r) => !r.error);
    return runs.length ? `${(Math.max(...runs.map((r) => r.peak_rss_kb)) / 1024).toFixed(0)} MiB` : '–';
  };
  lines.push(`Peak RSS, W1 process: ${systems.map((s) => `${SYSTEMS[s].label} ${rss(s)}`).join(' · ')}`);
  const p = report.probes;
  const probeText = (w) => (p[w]?.error ? `failed (${p[w].error})` : `${p[w].median.toFixed(1)} % [${Math.min(...p[w].overhead_pct).toFixed(1)} … ${Math.max(...p[w].overhead_pct).toFixed(1)}]`);
  lines.push(`Probes at the default settings (every 50 steps within max_overhead 5 %; a long run's steady state), time over probes off: W1 ${probeText('W1')} · W2 ${probeText('W2')}`);
  const l = report.lag;
  lines.push(
    l.error
      ? `Event-loop delay: failed (${l.error})`
      : `Event-loop delay of the host while the worker trains (10 s, 2-1024-1024-3 MLP, batch 256, Adam; ${fmt(l.steps_per_s)} steps/s): p50 ${l.p50_ms.toFixed(1)} ms, p99 ${l.p99_ms.toFixed(1)} ms, max ${l.max_ms.toFixed(1)} ms`,
  );
  if (report.contention) {
    lines.push('');
    lines.push('Under contention (another process keeps one core busy), steps/s:');
    for (const [w, systemsThere] of Object.entries(report.contention)) {
      lines.push(`  ${w}: ${Object.entries(systemsThere).map(([s, r]) => `${s} ${r.error ? 'failed' : fmt(r.median)}`).join(' · ')}`);
    }
  }
  return lines.join('\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
