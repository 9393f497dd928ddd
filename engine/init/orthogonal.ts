/**
 * torch.nn.init.orthogonal_ from a matrix of standard normal draws, in float64:
 *
 *   A = normals as [rows, cols]; if rows < cols, A = Aᵀ (so A is tall: m ≥ n)
 *   Q, R = qr(A) (reduced: Q is m×n with orthonormal columns, R is n×n upper triangular)
 *   Q = Q · diag(sign(diag(R)))       (Mezzadri's correction: makes Q Haar-distributed)
 *   W = gain · (Q, or Qᵀ if transposed back)
 *
 * The sign correction makes the result independent of the QR algorithm: it is the unique Q whose
 * R has a positive diagonal, so for the same normals this equals torch's output (LAPACK geqrf)
 * to rounding. W has orthonormal columns (rows ≥ cols: WᵀW = gain²·I) or orthonormal rows
 * (rows < cols: WWᵀ = gain²·I).
 */
export function orthogonalMatrix(normals: ArrayLike<number>, rows: number, cols: number, gain: number): Float64Array {
  if (normals.length !== rows * cols) throw new RangeError(`orthogonal: ${normals.length} draws for a ${rows}×${cols} matrix`);
  const transposed = rows < cols;
  const m = transposed ? cols : rows;
  const n = transposed ? rows : cols;
  // a: m×n row-major (the tall orientation).
  const a = new Float64Array(m * n);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (transposed) a[c * n + r] = normals[r * cols + c];
      else a[r * n + c] = normals[r * cols + c];
    }
  }
  const q = householderQ(a, m, n);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const v = gain * q[i * n + j];
      if (transposed) out[j * cols + i] = v;
      else out[i * cols + j] = v;
    }
  }
  return out;
}

/**
 * The reduced Q (m×n, m ≥ n) of A = QR by Householder reflections, with each column's sign chosen
 * so that diag(R) > 0. `a` (m×n, row-major) is overwritten.
 *
 * Step k reflects column k below the diagonal onto ±‖x‖e₁ with v = x − α·e₁, α = −sign(x₀)·‖x‖
 * (the sign that avoids cancellation). Then R[k][k] = α; if α < 0 column k of Q is negated,
 * which is torch's q *= sign(diag(r)). A zero column (probability 0 for normal draws)
 * gets sign +1 rather than torch's sign(0) = 0, so Q stays orthonormal.
 */
function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const vs: Float64Array[] = [];
  const signs = new Float64Array(n);
  const dots = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[i * n + k] * a[i * n + k];
    norm = Math.sqrt(norm);
    const x0 = a[k * n + k];
    const alpha = x0 > 0 ? -norm : norm;
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = a[i * n + k];
    v[0] -= alpha;
    let vNorm2 = 0;
    for (let i = 0; i < v.length; i++) vNorm2 += v[i] * v[i];
    // Apply H = I − 2vvᵀ/(vᵀv) to the remaining columns of A.
    if (vNorm2 > 0) reflect(a, m, n, k, k, v, vNorm2, dots);
    vs.push(vNorm2 > 0 ? v : new Float64Array(0));
    // R[k][k] = alpha after the reflection (or x0 when nothing was reflected).
    const rkk = vNorm2 > 0 ? alpha : x0;
    signs[k] = rkk < 0 ? -1 : 1;
  }
  // Q = H₀H₁…H_{n−1} applied to the first n columns of I, then the sign correction. When H_k is
  // applied, columns j < k are still e_j, which H_k (acting on rows ≥ k) leaves alone.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    if (v.length === 0) continue;
    let vNorm2 = 0;
    for (let i = 0; i < v.length; i++) vNorm2 += v[i] * v[i];
    reflect(q, m, n, k, k, v, vNorm2, dots);
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q[i * n + j] *= signs[j];
  return q;
}

/**
 * M ← (I − 2vvᵀ/(vᵀv))·M on rows k.. and columns fromCol.. of the m×n row-major M, where v holds
 * the reflector's entries for rows k..m−1. Row-wise loops keep memory access contiguous.
 */
function reflect(
  mat: Float64Array,
  m: number,
  n: number,
  k: number,
  fromCol: number,
  v: Float64Array,
  vNorm2: number,
  dots: Float64Array,
): void {
  dots.fill(0, fromCol, n);
  for (let i = k; i < m; i++) {
    const vi = v[i - k];
    if (vi === 0) continue;
    const row = i * n;
    for (let j = fromCol; j < n; j++) dots[j] += vi * mat[row + j];
  }
  const scale = 2 / vNorm2;
  for (let j = fromCol; j < n; j++) dots[j] *= scale;
  for (let i = k; i < m; i++) {
    const vi = v[i - k];
    if (vi === 0) continue;
    const row = i * n;
    for (let j = fromCol; j < n; j++) mat[row + j] -= dots[j] * vi;
  }
}
