// Bundles the four programs Trainscope ships, each for where it runs, and the integration tests.
// Type-checking is separate (`npm run typecheck`): esbuild only strips types.
//   extension host (node, cjs, `vscode` external) · training worker (node) · CLI (node) · webview (browser)
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const node = {
  bundle: true,
  // Prefer packages' ES module builds: jsonc-parser's default UMD build breaks when bundled.
  mainFields: ['module', 'main'],
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const builds = [
  { ...node, entryPoints: { extension: 'extension/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...node, entryPoints: { worker: 'engine/worker/trainWorker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'cli/main.ts' }, outdir: 'dist' },
  {
    bundle: true,
    mainFields: ['browser', 'module', 'main'],
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    absWorkingDir: root,
    // The run dashboard, the comparison of runs and the runs table: a page each.
    entryPoints: { webview: 'webview/main.ts', compare: 'webview/compareMain.ts', runsTable: 'webview/runsTableMain.ts' },
    outdir: 'dist',
  },
];

// Integration tests run with mocha inside the extension host; each file is its own bundle.
const suiteDir = path.join(root, 'test/integration');
if (!production && fs.existsSync(suiteDir)) {
  const entries = fs.readdirSync(suiteDir).filter(f => f.endsWith('.ts')).map(f => path.join('test/integration', f));
  if (entries.length > 0) {
    builds.push({ ...node, entryPoints: entries, outdir: 'out/test/integration', external: ['vscode', 'mocha'] });
  }
}

const existing = builds.filter(b => Object.values(b.entryPoints).every(e => fs.existsSync(path.join(root, e))));
if (watch) {
  for (const b of existing) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  console.log('[build] watching for changes');
} else {
  // The JSON Schema and the format reference come from the engine's schemas.
  await runNode('scripts/generate.mjs');
  await Promise.all(existing.map(b => esbuild.build(b)));
  fs.copyFileSync(path.join(root, 'webview/style.css'), path.join(root, 'dist/webview.css'));
  fs.copyFileSync(path.join(root, 'webview/compare.css'), path.join(root, 'dist/compare.css'));
  console.log(`[build] ${existing.length} bundles${production ? ' (production)' : ''} in dist/`);
}

async function runNode(script) {
  execFileSync(process.execPath, [path.join(root, script)], { stdio: 'inherit' });
}
