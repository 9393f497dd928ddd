/**
 * A .wasm file imported as its bytes (esbuild's binary loader; vitest.config.ts does the same). Every
 * tsconfig whose program reaches the engine's kernels includes this file.
 */
declare module '*.wasm' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
