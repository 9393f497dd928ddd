// The benchmarks run the engine's TypeScript as Node runs the CLI: bundled by esbuild into a
// temporary module, imported, and removed afterwards.
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Calls `use` with the module bundled from `entry` (a file under the repository) or from `contents`
 * (TypeScript resolved from the repository's root); the bundle is deleted when `use` settles.
 */
export async function withBundle({ entry, contents }, use) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainscope-bench-'));
  const outfile = path.join(dir, 'bundle.mjs');
  try {
    await build({
      ...(entry ? { entryPoints: [path.join(root, entry)] } : { stdin: { contents, resolveDir: root, loader: 'ts' } }),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      // The engine's WebAssembly kernels are embedded as bytes, as the extension's build does.
      loader: { '.wasm': 'binary' },
      logLevel: 'warning',
    });
    return await use(await import(pathToFileURL(outfile).href));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
