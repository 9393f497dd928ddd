import os from 'node:os';
import { jsKernels } from './jsKernels';
import type { Kernels } from './kernels';
import type { BufferSource } from './memory';
import { wasmSupport } from './wasm/features';
import { WasmKernels } from './wasm/wasmKernels';

/**
 * Which kernels a training run uses. `auto` takes the fastest this runtime has: WebAssembly with
 * relaxed SIMD (fused multiply-add), else plain WebAssembly SIMD, else JavaScript. The others force
 * one (tests, benchmarks, and a way around a runtime problem: TRAINSCOPE_KERNELS=js).
 */
export type KernelChoice = 'auto' | 'js' | 'wasm-simd' | 'wasm-relaxed';
export const KERNEL_CHOICES: readonly KernelChoice[] = ['auto', 'js', 'wasm-simd', 'wasm-relaxed'];

export interface KernelSettings {
  kernels: KernelChoice;
  /** Threads for large gemms: 1, or 2 to share them with a helper thread when it pays. */
  threads: number;
}

/** The settings from TRAINSCOPE_KERNELS and TRAINSCOPE_THREADS, defaulting to auto and up to 2 threads. */
export function kernelSettingsFromEnvironment(env: Record<string, string | undefined> = process.env): KernelSettings {
  const kernels = (env.TRAINSCOPE_KERNELS ?? 'auto') as KernelChoice;
  if (!KERNEL_CHOICES.includes(kernels)) {
    throw new Error(`TRAINSCOPE_KERNELS=${env.TRAINSCOPE_KERNELS}: expected one of ${KERNEL_CHOICES.join(', ')}`);
  }
  const threadsText = env.TRAINSCOPE_THREADS;
  const threads = threadsText === undefined ? Math.min(2, availableCores()) : Number(threadsText);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`TRAINSCOPE_THREADS=${threadsText}: expected a whole number ≥ 1`);
  return { kernels, threads };
}

/** New kernels for one training run (each WebAssembly instance has a memory of its own). */
export function createKernels(settings: KernelSettings = kernelSettingsFromEnvironment()): Kernels {
  const support = wasmSupport();
  const choice = settings.kernels;
  if (choice === 'js') return jsKernels;
  if (choice === 'wasm-relaxed' && !support.relaxed) {
    throw new Error('wasm-relaxed kernels: this runtime has no relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd); use wasm-simd or auto');
  }
  if (choice === 'wasm-simd' && !support.simd) throw new Error('wasm-simd kernels: this runtime has no WebAssembly SIMD with shared memory');
  const variant = choice === 'wasm-relaxed' || (choice === 'auto' && support.relaxed) ? 'relaxed' : choice === 'wasm-simd' || support.simd ? 'simd' : undefined;
  if (!variant) return jsKernels;
  return new WasmKernels({ variant, threads: settings.threads });
}

/** Where a run using `kernels` should allocate its buffers: their memory, or plain arrays. */
export function bufferSourceOf(kernels: Kernels): BufferSource | undefined {
  return kernels instanceof WasmKernels ? kernels.arena : undefined;
}

function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
