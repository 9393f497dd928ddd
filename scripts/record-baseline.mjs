#!/usr/bin/env node
// Records the experiment format's behaviour again (test/fixtures/*-baseline.json.gz) after a change
// made on purpose; `npm test` lists the differences to review before this is run.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(path.join(tmpdir(), 'trainscope-baseline-'));
const outfile = path.join(dir, 'record.cjs');
try {
  await build({
    stdin: { contents: "export { recordBaseline } from './test/unit/experiment/baseline';", resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    // __dirname must be the module's own folder, as under vitest.
    define: { __dirname: JSON.stringify(path.join(root, 'test/unit/experiment')) },
    outfile,
    logLevel: 'error',
  });
  const { recordBaseline } = (await import(pathToFileURL(outfile).href)).default;
  const counts = await recordBaseline();
  console.log(`recorded ${counts.files} files, ${counts.cases} generated inputs, ${counts.completions} completion spots`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
