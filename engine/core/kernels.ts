/**
 * The numeric kernels the engine's hot path runs on. Layers, losses and optimizers call only these
 * (plus plain loops over Float32Arrays for cheap elementwise work), so a faster implementation
 * (WASM SIMD, several threads) can replace `jsKernels` without touching them.
 *
 * Conventions: matrices are row-major Float32Arrays; sizes are passed explicitly so that buffers
 * allocated once for the largest batch serve smaller batches too (no allocation per step).
 */
export interface Kernels {
  readonly name: string;
  /**
   * General matrix multiply: C[m×n] = alpha · op(A) · op(B) + beta · C, where op(A) is m×k and
   * op(B) is k×n. With transA, A is stored k×m; with transB, B is stored n×k. beta = 0 overwrites C
   * (C's old contents, even NaN, are ignored).
   */
  gemm(
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
  ): void;
  /**
   * gemm, then `row` (n values) added to every row of C: a linear layer's forward pass with its
   * bias, which an implementation may do in the same pass over C. The values are those of gemm
   * followed by the additions.
   */
  gemmAddRow(
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
    row: Float32Array,
  ): void;
  /**
   * into[j] += x[0][j] + x[1][j] + … over the first `rows` rows of x (rows × cols), adding one row
   * after the other in float32 (a bias gradient): every implementation gives the same values.
   */
  sumRows(rows: number, cols: number, x: Float32Array, into: Float32Array): void;
}
