/**
 * Every Kernels implementation — JavaScript, WebAssembly SIMD, WebAssembly relaxed SIMD (FMA), and
 * WebAssembly on two threads — against a float64 reference, on the shapes that break tiled kernels:
 * odd sizes, single rows and columns, k = 1, edges of register tiles and K blocks, every transpose
 * case, operands inside and outside the kernels' memory.
 */
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../../engine/core/jsKernels';
import type { Kernels } from '../../../engine/core/kernels';
import { Random } from '../../../engine/core/random';
import { WasmKernels } from '../../../engine/core/wasm/wasmKernels';

// Node 20 has relaxed SIMD behind a flag only (Electron and Node ≥ 22 have it on): turn it on for
// this test process so that the FMA variant is tested here too.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

interface Variant {
  label: string;
  make(): Kernels;
}

const VARIANTS: Variant[] = [
  { label: 'js', make: () => jsKernels },
  { label: 'wasm-simd', make: () => new WasmKernels({ variant: 'simd' }) },
  { label: 'wasm-relaxed', make: () => new WasmKernels({ variant: 'relaxed' }) },
  // every gemm with a helper thread, however small
  { label: 'wasm-simd, two threads', make: () => new WasmKernels({ variant: 'simd', threads: 2, minParallelWork: 0 }) },
  { label: 'wasm-relaxed, two threads', make: () => new WasmKernels({ variant: 'relaxed', threads: 2, minParallelWork: 0 }) },
];

const CASES: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

/** u = 2^-24, the float32 unit roundoff. */
const U = 2 ** -24;

/**
 * Checks C against the exact result, entry by entry, with the bound that holds for float32 sums of
 * k products in any order, fused or not: |error| ≤ γ(k+2)·(|alpha|·Σ|a||b| + |beta|·|c|), γ(n) = n·u/(1 − n·u).
 */
function expectGemm(
  actual: Float32Array,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  b: Float32Array,
  beta: number,
  c: Float32Array,
  bias?: Float32Array,
): void {
  const gamma = ((k + 3) * U) / (1 - (k + 3) * U);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let magnitude = 0;
      for (let p = 0; p < k; p++) {
        const product = (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
        sum += product;
        magnitude += Math.abs(product);
      }
      const old = beta === 0 ? 0 : c[i * n + j];
      const expected = alpha * sum + beta * old + (bias ? bias[j] : 0);
      const bound = gamma * (Math.abs(alpha) * magnitude + Math.abs(beta * old) + (bias ? Math.abs(bias[j]) : 0)) + 1e-30;
      const got = actual[i * n + j];
      if (!(Math.abs(got - expected) <= bound)) {
        throw new Error(`C[${i},${j}] of ${m}×${n}×${k} ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}: got ${got}, expected ${expected} ± ${bound}`);
      }
    }
  }
}

function randomMatrix(rng: Random, size: number, into?: Float32Array): Float32Array {
  const out = into ?? new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.uniformRange(-1, 1);
  return out;
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 17, 5],
  [13, 1, 7],
  [5, 9, 1],
  [4, 8, 3],
  [7, 13, 11],
  [3, 5, 600], // two K blocks
  [37, 29, 19],
  [70, 300, 9], // several tiles of C, a partial panel in each direction
  [130, 8, 64],
];

for (const variant of VARIANTS) {
  describe(`gemm: ${variant.label}`, () => {
    const kernels = variant.make();
    const arena = kernels instanceof WasmKernels ? kernels.arena : undefined;

    for (const [transA, transB] of CASES) {
      const label = `${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
      it(`${label}: matches the exact product on odd, single-row, single-column and k = 1 shapes`, () => {
        const rng = new Random(11);
        for (const [m, n, k] of SHAPES) {
          const a = randomMatrix(rng, m * k);
          const b = randomMatrix(rng, k * n);
          for (const [alpha, beta] of [
            [1, 0],
            [1, 1],
            [-0.5, 0.25],
          ]) {
            const c = randomMatrix(rng, m * n);
            const before = c.slice();
            kernels.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
            expectGemm(c, transA, transB, m, n, k, alpha, a, b, beta, before);
          }
        }
      });

      it(`${label}: beta = 0 ignores NaN in C and leaves entries past m×n alone`, () => {
        const rng = new Random(5);
        for (const [m, n, k] of [
          [3, 5, 4],
          [9, 17, 2],
        ]) {
          const a = randomMatrix(rng, m * k);
          const b = randomMatrix(rng, k * n);
          const c = new Float32Array(m * n + 3).fill(NaN);
          c[m * n] = 42;
          kernels.gemm(transA, transB, m, n, k, 1, a, b, 0, c);
          expectGemm(c, transA, transB, m, n, k, 1, a, b, 0, c);
          expect(c[m * n]).toBe(42);
          expect(Number.isNaN(c[m * n + 1])).toBe(true);
        }
      });
    }

    it('k = 0 and alpha = 0 give beta·C (beta = 0: zeros, even over NaN)', () => {
      const c = Float32Array.from([1, NaN, 3, 4]);
      kernels.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), new Float32Array(0), 0, c);
      expect(Array.from(c)).toEqual([0, 0, 0, 0]);
      const d = Float32Array.from([1, 2, 3, 4]);
      kernels.gemm(false, true, 2, 2, 3, 0, new Float32Array(6).fill(NaN), new Float32Array(6), 0.5, d);
      expect(Array.from(d)).toEqual([0.5, 1, 1.5, 2]);
    });

    it('computes a known 2×2 product exactly in every transpose case', () => {
      const a = Float32Array.from([1, 2, 3, 4]);
      const b = Float32Array.from([5, 6, 7, 8]);
      const c = new Float32Array(4);
      const expected: Record<string, number[]> = { NN: [19, 22, 43, 50], TN: [26, 30, 38, 44], NT: [17, 23, 39, 53], TT: [23, 31, 34, 46] };
      for (const [transA, transB] of CASES) {
        kernels.gemm(transA, transB, 2, 2, 2, 1, a, b, 0, c);
        expect(Array.from(c)).toEqual(expected[`${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`]);
      }
    });

    if (arena) {
      const wasm = kernels as WasmKernels;
      it('works in place on buffers in its memory, and gives the same values as on copies', () => {
        const rng = new Random(8);
        for (const [transA, transB] of CASES) {
          const [m, n, k] = [33, 41, 27];
          const a = randomMatrix(rng, m * k, arena.float32(m * k));
          const b = randomMatrix(rng, k * n, arena.float32(k * n));
          const c = randomMatrix(rng, m * n, arena.float32(m * n));
          const plain = c.slice();
          const before = c.slice();
          wasm.gemm(transA, transB, m, n, k, 1, a, b, 1, c);
          wasm.gemm(transA, transB, m, n, k, 1, a.slice(), b.slice(), 1, plain);
          expectGemm(c, transA, transB, m, n, k, 1, a, b, 1, before);
          expect(Array.from(c)).toEqual(Array.from(plain));
        }
      });

      it('adds a bias row in the same pass (a linear layer: X·Wᵀ + b), over any old C', () => {
        const rng = new Random(9);
        for (const [m, n, k] of [
          [5, 13, 7],
          [64, 40, 700],
        ]) {
          const x = randomMatrix(rng, m * k);
          const w = randomMatrix(rng, n * k);
          const bias = randomMatrix(rng, n);
          const y = new Float32Array(m * n).fill(NaN);
          wasm.gemmWithBias(false, true, m, n, k, 1, x, w, 0, y, bias);
          expectGemm(y, false, true, m, n, k, 1, x, w, 0, y, bias);
        }
      });

      it('says which operand is too short instead of reading past it', () => {
        expect(() => wasm.gemm(false, false, 2, 2, 2, 1, new Float32Array(3), new Float32Array(4), 0, new Float32Array(4))).toThrow(
          /A has 3 values, needs 4/,
        );
        expect(() => wasm.gemm(false, false, 2, 2, 2, 1, new Float32Array(4), new Float32Array(4), 0, new Float32Array(3))).toThrow(
          /C has 3 values/,
        );
      });
    }
  });
}

describe('gemm: variants agree', () => {
  it('the two-thread kernels give bit-identical results to one thread (the same tiles, the same sums)', () => {
    const one = new WasmKernels({ variant: 'simd' });
    const two = new WasmKernels({ variant: 'simd', threads: 2, minParallelWork: 0 });
    const rng = new Random(3);
    for (const [m, n, k] of [
      [128, 256, 784],
      [256, 784, 128],
    ]) {
      const a = randomMatrix(rng, m * k);
      const b = randomMatrix(rng, k * n);
      const c1 = new Float32Array(m * n);
      const c2 = new Float32Array(m * n);
      one.gemm(false, true, m, n, k, 1, a, b, 0, c1);
      // until the helper thread (started on the first two-thread gemm) has taken part
      const helpedBefore = two.helperTasks;
      const deadline = performance.now() + 5000;
      do {
        c2.fill(0);
        two.gemm(false, true, m, n, k, 1, a, b, 0, c2);
        expect(Buffer.from(c2.buffer).equals(Buffer.from(c1.buffer))).toBe(true);
      } while (two.helperTasks === helpedBefore && performance.now() < deadline);
      expect(two.helperTasks).toBeGreaterThan(helpedBefore);
    }
  });
});

describe('gemm: two-thread kernels of several runs in turn', () => {
  it('the shared helper thread follows each run to its own memory (more runs than it keeps instances for)', () => {
    const runs = Array.from({ length: 6 }, () => new WasmKernels({ variant: 'simd', threads: 2, minParallelWork: 0 }));
    const reference = new WasmKernels({ variant: 'simd' });
    const rng = new Random(12);
    const [m, n, k] = [96, 160, 64];
    const inputs = runs.map(() => ({ a: randomMatrix(rng, m * k), b: randomMatrix(rng, k * n) }));
    const expected = inputs.map(({ a, b }) => {
      const c = new Float32Array(m * n);
      reference.gemm(false, false, m, n, k, 1, a, b, 0, c);
      return c;
    });
    const deadline = performance.now() + 5000;
    let helped = 0;
    for (let round = 0; round < 30 || (helped < runs.length && performance.now() < deadline); round++) {
      // every run in turn, twice in a row for some
      for (const i of [0, 1, 2, 2, 3, 4, 5, 1, 0, 5]) {
        const before = runs[i].helperTasks;
        const c = new Float32Array(m * n).fill(NaN);
        runs[i].gemm(false, false, m, n, k, 1, inputs[i].a, inputs[i].b, 0, c);
        expect(Buffer.from(c.buffer).equals(Buffer.from(expected[i].buffer))).toBe(true);
        if (runs[i].helperTasks > before) helped++;
      }
    }
    expect(helped).toBeGreaterThan(0);
  });
});
