#!/usr/bin/env node
// How long the editor waits for a problem list: parsing and resolving each example experiment, as
// ValidationDiagnostics does on every edit (debounced 200 ms). `node bench/format.bench.mjs [--rounds N]`.
// Not part of `npm test` (timings belong in benchmarks, not tests).
import fs from 'node:fs';
import path from 'node:path';
import { root, withBundle } from './bundle.mjs';

const args = process.argv.slice(2);
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 200;

await withBundle({ contents: "export { parseExperiment } from './engine/experiment/parse';" }, async ({ parseExperiment }) => {
  const examples = path.join(root, 'examples');
  console.log(`file                              bytes   parse+problems   resolve (ms, median of ${rounds})`);
  for (const file of fs.readdirSync(examples).filter(f => f.endsWith('.experiment.json')).sort()) {
    const text = fs.readFileSync(path.join(examples, file), 'utf8');
    const parse = [];
    const resolve = [];
    for (let i = 0; i < rounds + 20; i++) {
      const t0 = performance.now();
      const parsed = parseExperiment(text, file);
      void parsed.problems;
      const t1 = performance.now();
      parsed.resolve();
      const t2 = performance.now();
      if (i >= 20) { parse.push(t1 - t0); resolve.push(t2 - t1); }
    }
    const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(3);
    console.log(`${file.padEnd(34)}${String(text.length).padStart(6)}   ${median(parse).padStart(14)}   ${median(resolve).padStart(7)}`);
  }
});
