/**
 * GFLOP/s of each gemm kernel on the shapes training uses (a linear layer's forward A·Bᵀ, weight
 * gradient Aᵀ·B and input gradient A·B for W1/W3) and on a 1024³ product, with operands in the
 * kernels' memory. Run by bench/gemm.bench.mjs; not part of `npm test`.
 */
import { jsKernels } from '../engine/core/jsKernels';
import type { Kernels } from '../engine/core/kernels';
import { WasmKernels } from '../engine/core/wasm/wasmKernels';
import { wasmSupport } from '../engine/core/wasm/features';

export interface GemmCase {
  label: string;
  tA: boolean;
  tB: boolean;
  m: number;
  n: number;
  k: number;
}

export const CASES: GemmCase[] = [
  { label: '1024³ NN', tA: false, tB: false, m: 1024, n: 1024, k: 1024 },
  { label: 'W1 fwd L1 (NT)', tA: false, tB: true, m: 128, n: 256, k: 784 },
  { label: 'W1 dW L1 (TN)', tA: true, tB: false, m: 256, n: 784, k: 128 },
  { label: 'W1 dX L2 (NN)', tA: false, tB: false, m: 128, n: 256, k: 256 },
  { label: 'W3 fwd L2 (NT)', tA: false, tB: true, m: 256, n: 1024, k: 1024 },
  { label: 'W3 dW L2 (TN)', tA: true, tB: false, m: 1024, n: 1024, k: 256 },
  { label: 'W2 fwd L2 (NT)', tA: false, tB: true, m: 32, n: 64, k: 64 },
  { label: 'W2 dW L2 (TN)', tA: true, tB: false, m: 64, n: 64, k: 32 },
];

export function kernelsToMeasure(names: string[]): Kernels[] {
  const support = wasmSupport();
  const out: Kernels[] = [];
  for (const name of names) {
    if (name === 'js') out.push(jsKernels);
    else {
      const [, variant, t] = /^wasm-(simd|relaxed)(?:-(\d)t)?$/.exec(name) ?? [];
      if (!variant) throw new Error(`unknown kernels ${name}`);
      if (!support[variant as 'simd' | 'relaxed']) continue;
      out.push(new WasmKernels({ variant: variant as 'simd' | 'relaxed', threads: Number(t ?? 1) }));
    }
  }
  return out;
}

export function measure(kernels: Kernels, c: GemmCase, seconds = 0.4): number {
  const alloc = (n: number) => (kernels instanceof WasmKernels ? kernels.arena.float32(n) : new Float32Array(n));
  const a = alloc(c.m * c.k);
  const b = alloc(c.k * c.n);
  const out = alloc(c.m * c.n);
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(i);
  for (let i = 0; i < b.length; i++) b[i] = Math.cos(i);
  const run = () => kernels.gemm(c.tA, c.tB, c.m, c.n, c.k, 1, a, b, 0, out);
  run();
  let reps = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) run();
    const dt = (performance.now() - t) / 1000;
    if (dt > seconds / 4) {
      const results: number[] = [];
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now();
        for (let i = 0; i < reps; i++) run();
        results.push((2 * c.m * c.n * c.k * reps) / ((performance.now() - t0) / 1000) / 1e9);
      }
      return results.sort((x, y) => x - y)[1];
    }
    reps *= 2;
  }
}
