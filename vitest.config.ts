import fs from 'node:fs';
import { defineConfig, type Plugin } from 'vitest/config';

/** Imports of .wasm files as their bytes, as esbuild's binary loader gives the bundles (scripts/build.mjs). */
const wasmBytes: Plugin = {
  name: 'trainscope-wasm-bytes',
  enforce: 'pre',
  load(id) {
    if (!id.endsWith('.wasm')) return null;
    const base64 = fs.readFileSync(id).toString('base64');
    return `export default new Uint8Array(Buffer.from(${JSON.stringify(base64)}, 'base64'));`;
  },
};

// Unit tests, and the pure logic of the real-VS-Code harness (test/e2e/*.test.mjs). The
// integration suites (test/integration) need the `vscode` API: they run inside a real VS Code.
export default defineConfig({
  plugins: [wasmBytes],
  test: {
    include: ['test/unit/**/*.test.ts', 'test/e2e/**/*.test.mjs'],
    environment: 'node',
    // generates the engine's .wasm kernels (scripts/wasm/), so the tests never run stale ones
    globalSetup: ['scripts/wasm/vitestSetup.mjs'],
  },
});
