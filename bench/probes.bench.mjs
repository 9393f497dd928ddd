#!/usr/bin/env node
// Probe overhead benchmark: `node bench/probes.bench.mjs [--json] [--only W1|W2] [--repeats N]`.
// Bundles bench/probes.workload.ts with esbuild into a temporary file and runs it; not part of
// `npm test` (vitest only collects test/**/*.test.*). Prints per-call costs and the overhead at
// several probe intervals, and a measured end-to-end overhead at the default interval.
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const repeats = args.includes('--repeats') ? Number(args[args.indexOf('--repeats') + 1]) : 5;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-probes-bench-'));
const outfile = path.join(dir, 'probes.workload.mjs');
try {
  await build({
    entryPoints: [path.join(root, 'bench/probes.workload.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  const { WORKLOADS, measure, report } = await import(pathToFileURL(outfile).href);
  const selected = WORKLOADS.filter((w) => !only || w.name.startsWith(only));
  const results = [];
  for (const workload of selected) {
    if (!json) console.error(`measuring ${workload.name} ...`);
    results.push(measure(workload, repeats));
  }
  console.log(json ? JSON.stringify(results, null, 2) : report(results));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
