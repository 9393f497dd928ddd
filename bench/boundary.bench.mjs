#!/usr/bin/env node
// Decision-boundary cost: `node bench/boundary.bench.mjs [--json] [--rounds N] [--kernels js]`. Bundles
// bench/boundary.workload.ts with esbuild into a temporary file and runs it; not part of `npm test`.
// Prints one grid evaluation's time against a training step of the spiral network, and the share of
// training time it takes at the worker's cadence.
import { root, withBundle } from './bundle.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 15;
const kernels = args.includes('--kernels') ? args[args.indexOf('--kernels') + 1] : 'run';

await withBundle({ entry: 'bench/boundary.workload.ts' }, async ({ measure, report }) => {
  const result = measure(root, rounds, kernels === 'js' ? 'js' : 'run');
  console.log(json ? JSON.stringify(result, null, 2) : report(result));
});
