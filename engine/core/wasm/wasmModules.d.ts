/** A .wasm file imported as its bytes (esbuild's binary loader; vitest.config.ts does the same). */
declare module '*.wasm' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
