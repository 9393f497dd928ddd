#!/usr/bin/env node
// End-to-end overhead of probes and diagnostics in TrainingSession:
// `node bench/session.bench.mjs [--json] [--repeats N] [--epochs N] [--rows N]`.
// Bundles bench/session.workload.ts with esbuild into a temporary file and runs it; not part of
// `npm test`. See bench/session.workload.ts for what is measured.
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const option = (name) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-session-bench-'));
const outfile = path.join(dir, 'session.workload.mjs');
try {
  await build({
    entryPoints: [path.join(root, 'bench/session.workload.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  const { DEFAULT_OPTIONS, measureSession, reportSession } = await import(pathToFileURL(outfile).href);
  const options = {
    rows: option('--rows') ?? DEFAULT_OPTIONS.rows,
    epochs: option('--epochs') ?? DEFAULT_OPTIONS.epochs,
    repeats: option('--repeats') ?? DEFAULT_OPTIONS.repeats,
  };
  if (!json) console.error(`measuring ${options.repeats} runs of each configuration ...`);
  const result = measureSession(options);
  console.log(json ? JSON.stringify(result, null, 2) : reportSession(result));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
