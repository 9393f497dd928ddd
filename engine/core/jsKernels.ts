import type { Kernels } from './kernels';

/**
 * The portable pure-JavaScript kernels. Each transpose case uses the loop order that walks memory
 * contiguously in its innermost loop (row offsets hoisted, no allocation), with 2×4 register
 * blocking: two rows of C at a time and four rows of B (or four dot products) per pass, so each
 * load serves several multiply-adds and accumulators are independent. That is 2-4× the throughput
 * of plain triple loops in V8; small-MLP matrices fit in cache, so no cache blocking beyond that.
 */
export const jsKernels: Kernels = {
  name: 'js',
  gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
    scaleOutput(c, m * n, beta);
    if (alpha === 0 || k === 0) return;
    if (!transA && !transB) gemmNN(m, n, k, alpha, a, b, c);
    else if (!transA && transB) gemmNT(m, n, k, alpha, a, b, c);
    else if (transA && !transB) gemmTN(m, n, k, alpha, a, b, c);
    else gemmTT(m, n, k, alpha, a, b, c);
  },
  gemmAddRow(transA, transB, m, n, k, alpha, a, b, beta, c, row) {
    this.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    for (let r = 0; r < m; r++) {
      const at = r * n;
      for (let j = 0; j < n; j++) c[at + j] += row[j];
    }
  },
  sumRows(rows, cols, x, into) {
    for (let r = 0; r < rows; r++) {
      const at = r * cols;
      for (let j = 0; j < cols; j++) into[j] += x[at + j];
    }
  },
};

/** C ← beta·C over the first `size` entries; beta = 0 overwrites so stale NaN/Inf never leak in. */
function scaleOutput(c: Float32Array, size: number, beta: number): void {
  if (beta === 0) c.fill(0, 0, size);
  else if (beta !== 1) for (let i = 0; i < size; i++) c[i] *= beta;
}

/**
 * C += alpha·A·B, A m×k, B k×n: i-p-j, streaming rows of B into rows of C, two rows of C and four
 * rows of B at a time (each load of B serves two rows). All-zero coefficients are skipped (ReLU
 * makes many), as reference BLAS does.
 */
function gemmNN(m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const aRow0 = i * k;
    const aRow1 = aRow0 + k;
    const c0 = i * n;
    const c1 = c0 + n;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const x0 = alpha * a[aRow0 + p];
      const x1 = alpha * a[aRow0 + p + 1];
      const x2 = alpha * a[aRow0 + p + 2];
      const x3 = alpha * a[aRow0 + p + 3];
      const z0 = alpha * a[aRow1 + p];
      const z1 = alpha * a[aRow1 + p + 1];
      const z2 = alpha * a[aRow1 + p + 2];
      const z3 = alpha * a[aRow1 + p + 3];
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0 && z0 === 0 && z1 === 0 && z2 === 0 && z3 === 0) continue;
      const b0 = p * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        const y0 = b[b0 + j];
        const y1 = b[b1 + j];
        const y2 = b[b2 + j];
        const y3 = b[b3 + j];
        c[c0 + j] += x0 * y0 + x1 * y1 + x2 * y2 + x3 * y3;
        c[c1 + j] += z0 * y0 + z1 * y1 + z2 * y2 + z3 * y3;
      }
    }
    for (; p < k; p++) {
      const x = alpha * a[aRow0 + p];
      const z = alpha * a[aRow1 + p];
      if (x === 0 && z === 0) continue;
      const bRow = p * n;
      for (let j = 0; j < n; j++) {
        const y = b[bRow + j];
        c[c0 + j] += x * y;
        c[c1 + j] += z * y;
      }
    }
  }
  if (i < m) axpyRows(i * k, 1, i * n, k, n, alpha, a, b, c);
}

/** C[cRow, :] += Σ_p alpha·A[aRow + p·aStride]·B[p, :] — one row of C, for the odd last row. */
function axpyRows(
  aRow: number,
  aStride: number,
  cRow: number,
  k: number,
  n: number,
  alpha: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
): void {
  for (let p = 0; p < k; p++) {
    const x = alpha * a[aRow + p * aStride];
    if (x === 0) continue;
    const bRow = p * n;
    for (let j = 0; j < n; j++) c[cRow + j] += x * b[bRow + j];
  }
}

/**
 * C += alpha·A·Bᵀ, A m×k, B stored n×k: every entry is a dot product of two contiguous rows. A 2×4
 * block of C is computed at once (eight accumulators), so each load serves two or four products.
 * This is a linear layer's forward pass, the hottest loop of training and evaluation.
 */
function gemmNT(m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const aRow0 = i * k;
    const aRow1 = aRow0 + k;
    const c0 = i * n;
    const c1 = c0 + n;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const b0 = j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      // sums accumulate in double precision
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[aRow0 + p];
        const x1 = a[aRow1 + p];
        const y0 = b[b0 + p];
        const y1 = b[b1 + p];
        const y2 = b[b2 + p];
        const y3 = b[b3 + p];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      c[c0 + j] += alpha * s00;
      c[c0 + j + 1] += alpha * s01;
      c[c0 + j + 2] += alpha * s02;
      c[c0 + j + 3] += alpha * s03;
      c[c1 + j] += alpha * s10;
      c[c1 + j + 1] += alpha * s11;
      c[c1 + j + 2] += alpha * s12;
      c[c1 + j + 3] += alpha * s13;
    }
    for (; j < n; j++) {
      const bRow = j * k;
      let s0 = 0;
      let s1 = 0;
      for (let p = 0; p < k; p++) {
        const y = b[bRow + p];
        s0 += a[aRow0 + p] * y;
        s1 += a[aRow1 + p] * y;
      }
      c[c0 + j] += alpha * s0;
      c[c1 + j] += alpha * s1;
    }
  }
  if (i < m) {
    const aRow = i * k;
    const cRow = i * n;
    for (let j = 0; j < n; j++) {
      const bRow = j * k;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[aRow + p] * b[bRow + p];
      c[cRow + j] += alpha * sum;
    }
  }
}

/**
 * C += alpha·Aᵀ·B, A stored k×m, B k×n (a linear layer's weight gradient dYᵀ·X): the same 2×4
 * blocking as gemmNN, reading A's columns, which for four consecutive p are four rows of A.
 */
function gemmTN(m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const c0 = i * n;
    const c1 = c0 + n;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const r0 = p * m + i;
      const r1 = r0 + m;
      const r2 = r1 + m;
      const r3 = r2 + m;
      const x0 = alpha * a[r0];
      const x1 = alpha * a[r1];
      const x2 = alpha * a[r2];
      const x3 = alpha * a[r3];
      const z0 = alpha * a[r0 + 1];
      const z1 = alpha * a[r1 + 1];
      const z2 = alpha * a[r2 + 1];
      const z3 = alpha * a[r3 + 1];
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0 && z0 === 0 && z1 === 0 && z2 === 0 && z3 === 0) continue;
      const b0 = p * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        const y0 = b[b0 + j];
        const y1 = b[b1 + j];
        const y2 = b[b2 + j];
        const y3 = b[b3 + j];
        c[c0 + j] += x0 * y0 + x1 * y1 + x2 * y2 + x3 * y3;
        c[c1 + j] += z0 * y0 + z1 * y1 + z2 * y2 + z3 * y3;
      }
    }
    for (; p < k; p++) {
      const x = alpha * a[p * m + i];
      const z = alpha * a[p * m + i + 1];
      if (x === 0 && z === 0) continue;
      const bRow = p * n;
      for (let j = 0; j < n; j++) {
        const y = b[bRow + j];
        c[c0 + j] += x * y;
        c[c1 + j] += z * y;
      }
    }
  }
  if (i < m) axpyRows(i, m, i * n, k, n, alpha, a, b, c);
}

/**
 * C += alpha·Aᵀ·Bᵀ, A stored k×m, B stored n×k: rows of B are contiguous, A is walked down a
 * column; four entries at a time share each load of A. (No layer uses this case today.)
 */
function gemmTT(m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  for (let i = 0; i < m; i++) {
    const cRow = i * n;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const b0 = j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0; p < k; p++) {
        const av = a[p * m + i];
        s0 += av * b[b0 + p];
        s1 += av * b[b1 + p];
        s2 += av * b[b2 + p];
        s3 += av * b[b3 + p];
      }
      c[cRow + j] += alpha * s0;
      c[cRow + j + 1] += alpha * s1;
      c[cRow + j + 2] += alpha * s2;
      c[cRow + j + 3] += alpha * s3;
    }
    for (; j < n; j++) {
      const bRow = j * k;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[p * m + i] * b[bRow + p];
      c[cRow + j] += alpha * sum;
    }
  }
}
