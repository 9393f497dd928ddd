/**
 * The part of the WebAssembly JavaScript API the kernels use, typed here: the engine is checked
 * against ES2022 and Node's types, and the one library that declares WebAssembly (the DOM's) would
 * let DOM code into the engine. Node and VS Code's Electron both have it; `webAssembly` is
 * undefined in a runtime that does not (then the engine computes with its JavaScript kernels).
 */
declare const opaque: unique symbol;

/** A compiled module (WebAssembly.Module): can be sent to another thread and instantiated there. */
export type WasmModule = { readonly [opaque]: 'WebAssembly.Module' };

/** A linear memory (WebAssembly.Memory); `shared` memories are backed by a SharedArrayBuffer. */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

export interface WebAssemblyApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
}

export const webAssembly: WebAssemblyApi | undefined = (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;

/** The API, where the kernels have already found it (wasmSupport() said yes). */
export function requireWebAssembly(): WebAssemblyApi {
  if (!webAssembly) throw new Error('this runtime has no WebAssembly');
  return webAssembly;
}
