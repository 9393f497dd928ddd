#!/usr/bin/env node
// Probe overhead benchmark: `node bench/probes.bench.mjs [--json] [--only W1|W2] [--repeats N]`.
// Bundles bench/probes.workload.ts with esbuild into a temporary file and runs it; not part of
// `npm test` (vitest only collects test/**/*.test.*). Prints per-call costs and the overhead at
// several probe intervals, and a measured end-to-end overhead at the default interval.
import { withBundle } from './bundle.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const repeats = args.includes('--repeats') ? Number(args[args.indexOf('--repeats') + 1]) : 5;

await withBundle({ entry: 'bench/probes.workload.ts' }, async ({ WORKLOADS, measure, report }) => {
  const selected = WORKLOADS.filter((w) => !only || w.name.startsWith(only));
  const results = [];
  for (const workload of selected) {
    if (!json) console.error(`measuring ${workload.name} ...`);
    results.push(measure(workload, repeats));
  }
  console.log(json ? JSON.stringify(results, null, 2) : report(results));
});
