#!/usr/bin/env node
// End-to-end overhead of probes and diagnostics in TrainingSession:
// `node bench/session.bench.mjs [--json] [--repeats N] [--epochs N] [--rows N]`.
// Bundles bench/session.workload.ts with esbuild into a temporary file and runs it; not part of
// `npm test`. See bench/session.workload.ts for what is measured.
import { withBundle } from './bundle.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const option = (name) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);

await withBundle({ entry: 'bench/session.workload.ts' }, async ({ DEFAULT_OPTIONS, measureSession, reportSession }) => {
  const options = {
    rows: option('--rows') ?? DEFAULT_OPTIONS.rows,
    epochs: option('--epochs') ?? DEFAULT_OPTIONS.epochs,
    repeats: option('--repeats') ?? DEFAULT_OPTIONS.repeats,
  };
  if (!json) console.error(`measuring ${options.repeats} runs of each configuration ...`);
  const result = measureSession(options);
  console.log(json ? JSON.stringify(result, null, 2) : reportSession(result));
});
