/**
 * The kernels' WebAssembly binaries, generated from scripts/wasm/kernelsWat.mjs by `npm run build`
 * (scripts/wasm/buildKernels.mjs) and embedded into the bundles by esbuild's binary loader (and
 * loaded the same way by the unit tests, see vitest.config.ts).
 */
import relaxed from './generated/kernels-relaxed.wasm';
import simd from './generated/kernels-simd.wasm';

export type WasmVariant = 'simd' | 'relaxed';

export const KERNEL_BINARIES: Readonly<Record<WasmVariant, Uint8Array<ArrayBuffer>>> = { simd, relaxed };
