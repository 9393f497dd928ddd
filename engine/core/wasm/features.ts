import { KERNEL_BINARIES, type WasmVariant } from './binaries';
import { requireWebAssembly, webAssembly, type WasmModule } from './webAssemblyApi';

/**
 * What this runtime can run, found by validating the kernels themselves rather than trusting version
 * numbers: Node 20 has WebAssembly SIMD but relaxed SIMD only behind a V8 flag; VS Code's Electron
 * has both. Shared memory (SharedArrayBuffer) is needed for any of them: the kernels import a shared
 * memory so that it can grow without detaching the arrays that view it.
 */
export interface WasmSupport {
  simd: boolean;
  relaxed: boolean;
}

let cached: WasmSupport | undefined;

export function wasmSupport(): WasmSupport {
  if (cached) return cached;
  const shared = typeof SharedArrayBuffer === 'function' && webAssembly !== undefined && canCreateSharedMemory();
  cached = {
    simd: shared && validates('simd'),
    relaxed: shared && validates('relaxed'),
  };
  return cached;
}

function validates(variant: WasmVariant): boolean {
  try {
    return requireWebAssembly().validate(KERNEL_BINARIES[variant]);
  } catch {
    return false;
  }
}

function canCreateSharedMemory(): boolean {
  try {
    return new (requireWebAssembly().Memory)({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

const modules = new Map<WasmVariant, WasmModule>();

/** The compiled kernels of a variant (compiled once per thread). */
export function kernelModule(variant: WasmVariant): WasmModule {
  let module = modules.get(variant);
  if (!module) {
    module = new (requireWebAssembly().Module)(KERNEL_BINARIES[variant]);
    modules.set(variant, module);
  }
  return module;
}
