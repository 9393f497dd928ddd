import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../../engine/core/jsKernels';
import { Random } from '../../../engine/core/random';

/** Textbook triple loop in double precision, reading A and B through their transposes. */
function naiveGemm(
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
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * m + i] : a[i * k + p];
        const bpj = transB ? b[j * k + p] : b[p * n + j];
        sum += aip * bpj;
      }
      out[i * n + j] = alpha * sum + (beta === 0 ? 0 : beta * c[i * n + j]);
    }
  }
  return out;
}

function randomMatrix(rng: Random, size: number): Float32Array {
  const m = new Float32Array(size);
  for (let i = 0; i < size; i++) m[i] = rng.uniformRange(-1, 1);
  return m;
}

function expectClose(actual: Float32Array, expected: Float64Array, k: number): void {
  expect(actual.length).toBeGreaterThanOrEqual(expected.length);
  for (let i = 0; i < expected.length; i++) {
    // float32 rounding of k products of magnitude ≤ 1
    expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(1e-6 * (k + 2) + 1e-6 * Math.abs(expected[i]));
  }
}

const CASES: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

describe('jsKernels.gemm', () => {
  for (const [transA, transB] of CASES) {
    const label = `${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;

    it(`${label} matches the naive product on random shapes, including 1×1 and non-square`, () => {
      const rng = new Random(1234);
      const shapes: [number, number, number][] = [
        [1, 1, 1],
        [1, 5, 3],
        [4, 1, 7],
        [3, 4, 1],
        [17, 9, 13],
        [64, 3, 2],
      ];
      for (let t = 0; t < 10; t++) shapes.push([1 + rng.int(30), 1 + rng.int(30), 1 + rng.int(30)]);
      for (const [m, n, k] of shapes) {
        const a = randomMatrix(rng, m * k);
        const b = randomMatrix(rng, k * n);
        for (const [alpha, beta] of [
          [1, 0],
          [0.5, 1],
          [-2, 0.25],
        ]) {
          const c = randomMatrix(rng, m * n);
          const expected = naiveGemm(transA, transB, m, n, k, alpha, a, b, beta, c);
          jsKernels.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
          expectClose(c, expected, k);
        }
      }
    });

    it(`${label} with beta = 0 overwrites NaN in C and leaves entries past m×n alone`, () => {
      const rng = new Random(7);
      const [m, n, k] = [3, 5, 4];
      const a = randomMatrix(rng, m * k);
      const b = randomMatrix(rng, k * n);
      const c = new Float32Array(m * n + 4).fill(NaN);
      c[m * n] = 42;
      jsKernels.gemm(transA, transB, m, n, k, 1, a, b, 0, c);
      expectClose(c, naiveGemm(transA, transB, m, n, k, 1, a, b, 0, c), k);
      expect(c[m * n]).toBe(42);
      expect(Number.isNaN(c[m * n + 1])).toBe(true);
    });
  }

  it('handles sparse A (whole blocks of zeros, as after a ReLU) in every case', () => {
    const rng = new Random(99);
    const [m, n, k] = [9, 7, 11];
    const a = randomMatrix(rng, m * k).map((v, i) => (i % 5 < 3 || v < 0 ? 0 : v));
    const b = randomMatrix(rng, k * n);
    for (const [transA, transB] of CASES) {
      const c = randomMatrix(rng, m * n);
      const expected = naiveGemm(transA, transB, m, n, k, 1.5, a, b, 0.5, c);
      jsKernels.gemm(transA, transB, m, n, k, 1.5, a, b, 0.5, c);
      expectClose(c, expected, k);
    }
  });

  it('uses only the leading prefix of larger buffers (batch buffers sized for maxRows)', () => {
    const rng = new Random(3);
    const [m, n, k] = [2, 3, 4];
    const a = randomMatrix(rng, 10 * k); // room for 10 rows, only 2 used
    const b = randomMatrix(rng, n * k);
    const c = new Float32Array(10 * n);
    jsKernels.gemm(false, true, m, n, k, 1, a, b, 0, c);
    expectClose(c, naiveGemm(false, true, m, n, k, 1, a, b, 0, c), k);
    expect(Array.from(c.subarray(m * n))).toEqual(new Array(10 * n - m * n).fill(0));
  });

  it('computes a known 2×2 product exactly', () => {
    const a = Float32Array.from([1, 2, 3, 4]);
    const b = Float32Array.from([5, 6, 7, 8]);
    const c = new Float32Array(4);
    jsKernels.gemm(false, false, 2, 2, 2, 1, a, b, 0, c);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
    jsKernels.gemm(true, false, 2, 2, 2, 1, a, b, 0, c); // Aᵀ·B
    expect(Array.from(c)).toEqual([26, 30, 38, 44]);
    jsKernels.gemm(false, true, 2, 2, 2, 1, a, b, 0, c); // A·Bᵀ
    expect(Array.from(c)).toEqual([17, 23, 39, 53]);
    jsKernels.gemm(true, true, 2, 2, 2, 1, a, b, 0, c); // Aᵀ·Bᵀ
    expect(Array.from(c)).toEqual([23, 31, 34, 46]);
  });
});
