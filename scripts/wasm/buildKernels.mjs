// Assembles the engine's WebAssembly kernels (kernelsWat.mjs) with wabt into
// engine/core/wasm/generated/kernels-<variant>.wasm, which the bundles embed (esbuild's binary
// loader) and the unit tests load (vitest.config.ts). Run by scripts/build.mjs and by vitest's
// global setup; `node scripts/wasm/buildKernels.mjs --wat` prints the text instead.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';
import { kernelsWat } from './kernelsWat.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const GENERATED_DIR = path.join(root, 'engine/core/wasm/generated');
export const VARIANTS = ['simd', 'relaxed'];

/** Assembles every variant; returns { variant: bytes }. Throws with wabt's message on bad WAT. */
export async function assembleKernels() {
  const wabt = await wabtInit();
  const out = {};
  for (const variant of VARIANTS) {
    const features = { simd: true, threads: true, relaxed_simd: variant === 'relaxed', multi_value: true };
    const module = wabt.parseWat(`kernels-${variant}.wat`, kernelsWat(variant), features);
    try {
      module.validate(features);
      out[variant] = module.toBinary({}).buffer;
    } finally {
      module.destroy();
    }
  }
  return out;
}

/** Writes the .wasm files when their content changed (keeps watchers and mtimes quiet). */
export async function buildKernels() {
  const binaries = await assembleKernels();
  fs.mkdirSync(GENERATED_DIR, { recursive: true });
  for (const [variant, bytes] of Object.entries(binaries)) {
    const file = path.join(GENERATED_DIR, `kernels-${variant}.wasm`);
    const old = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    if (!old || !old.equals(Buffer.from(bytes))) fs.writeFileSync(file, bytes);
  }
  return binaries;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--wat')) process.stdout.write(kernelsWat(process.argv.includes('--relaxed') ? 'relaxed' : 'simd'));
  else {
    const binaries = await buildKernels();
    console.log(`[wasm] ${Object.entries(binaries).map(([v, b]) => `kernels-${v}.wasm ${b.length} B`).join(', ')}`);
  }
}
