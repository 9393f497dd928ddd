import type { Random } from '../core/random';
import { erfinv } from './erf';
import { orthogonalMatrix } from './orthogonal';
import { truncatedNormalMoments, truncatedNormalUniformRange } from './truncatedNormal';

/**
 * What an initializer draws from once the fans of its tensor are known. Keeping this as data (not
 * only as sampling code) lets tests and diagnostics ask "which std / bound would this spec use?"
 * and compare it with torch's formula without sampling.
 *
 * The elementwise kinds draw each entry independently. `orthogonal` and `sparse` are matrix
 * distributions: they need the weight's layout ([rows = out_features, cols = in_features], as
 * torch stores it) and can only fill a tensor of exactly rows × cols entries.
 */
export type InitDistribution =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly std: number }
  /** N(mean, std²) restricted to [low, high] (torch's trunc_normal_ a, b: absolute values). */
  | { readonly kind: 'truncated_normal'; readonly mean: number; readonly std: number; readonly low: number; readonly high: number }
  /** A (semi-)orthogonal rows × cols matrix times gain (torch's orthogonal_). */
  | { readonly kind: 'orthogonal'; readonly gain: number; readonly rows: number; readonly cols: number }
  /** N(0, std²) entries, then `zerosPerColumn` random entries of every column set to 0 (torch's sparse_). */
  | {
      readonly kind: 'sparse';
      readonly std: number;
      readonly rows: number;
      readonly cols: number;
      readonly zerosPerColumn: number;
    };

/** Fills `out` with draws from `dist` (uniform on [low, high), like torch's uniform_). */
export function sampleInto(out: Float32Array, dist: InitDistribution, rng: Random): void {
  switch (dist.kind) {
    case 'constant':
      out.fill(dist.value);
      return;
    case 'uniform':
      for (let i = 0; i < out.length; i++) out[i] = rng.uniformRange(dist.low, dist.high);
      return;
    case 'normal':
      for (let i = 0; i < out.length; i++) out[i] = dist.mean + dist.std * rng.normal();
      return;
    case 'truncated_normal':
      sampleTruncatedNormal(out, dist.mean, dist.std, dist.low, dist.high, rng);
      return;
    case 'orthogonal': {
      checkMatrixSize(out, dist.rows, dist.cols, 'orthogonal');
      const normals = new Float64Array(dist.rows * dist.cols);
      for (let i = 0; i < normals.length; i++) normals[i] = rng.normal();
      out.set(orthogonalMatrix(normals, dist.rows, dist.cols, dist.gain));
      return;
    }
    case 'sparse':
      sampleSparse(out, dist.std, dist.rows, dist.cols, dist.zerosPerColumn, rng);
      return;
  }
}

/**
 * torch's trunc_normal_ (the inverse-CDF method): u ~ U[2Φ(α) − 1, 2Φ(β) − 1) with α, β the bounds
 * in standard units, then x = mean + std·√2·erfinv(u), clamped to the bounds against rounding. As
 * in torch (a float32 tensor clamped by float32 bounds), the clamp happens after rounding to float32,
 * so every value lies in [fround(low), fround(high)].
 */
function sampleTruncatedNormal(out: Float32Array, mean: number, std: number, low: number, high: number, rng: Random): void {
  const [from, to] = truncatedNormalUniformRange(mean, std, low, high);
  const scale = std * Math.SQRT2;
  const low32 = Math.fround(low);
  const high32 = Math.fround(high);
  for (let i = 0; i < out.length; i++) {
    const x = Math.fround(mean + scale * erfinv(rng.uniformRange(from, to)));
    out[i] = x < low32 ? low32 : x > high32 ? high32 : x;
  }
}

/**
 * torch's sparse_: every entry N(0, std²), then in each column an independent random subset of
 * `zerosPerColumn` rows (torch: randperm(rows)[:num_zeros]) is set to 0. Storage is row-major
 * [rows, cols], so column c is out[c], out[cols + c], ….
 */
function sampleSparse(out: Float32Array, std: number, rows: number, cols: number, zeros: number, rng: Random): void {
  checkMatrixSize(out, rows, cols, 'sparse');
  for (let i = 0; i < out.length; i++) out[i] = std * rng.normal();
  const order = new Int32Array(rows);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) order[r] = r;
    // A partial Fisher–Yates shuffle: the first `zeros` entries are a uniform random subset.
    for (let i = 0; i < zeros; i++) {
      const j = i + rng.int(rows - i);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
      out[order[i] * cols + c] = 0;
    }
  }
}

function checkMatrixSize(out: Float32Array, rows: number, cols: number, kind: string): void {
  if (out.length !== rows * cols) {
    throw new RangeError(
      `${kind} initializes a 2-D weight [${rows}, ${cols}] (${rows * cols} values), not a tensor of ${out.length}; a bias cannot use it`,
    );
  }
}

/** The standard deviation of a distribution (uniform on [a, b): (b − a)/√12). */
export function distributionStd(dist: InitDistribution): number {
  switch (dist.kind) {
    case 'constant':
      return 0;
    case 'uniform':
      return (dist.high - dist.low) / Math.sqrt(12);
    case 'normal':
      return dist.std;
    case 'truncated_normal':
      return truncatedNormalMoments(dist.mean, dist.std, dist.low, dist.high).std;
    case 'orthogonal':
      // Σ entries² = gain²·min(rows, cols) exactly (orthonormal columns or rows), so the entries'
      // root mean square is gain/√max(rows, cols); their mean is 0 in distribution.
      return dist.gain / Math.sqrt(Math.max(dist.rows, dist.cols));
    case 'sparse':
      return dist.std * Math.sqrt(1 - dist.zerosPerColumn / dist.rows);
  }
}

/** The mean of a distribution. */
export function distributionMean(dist: InitDistribution): number {
  switch (dist.kind) {
    case 'constant':
      return dist.value;
    case 'uniform':
      return (dist.low + dist.high) / 2;
    case 'normal':
      return dist.mean;
    case 'truncated_normal':
      return truncatedNormalMoments(dist.mean, dist.std, dist.low, dist.high).mean;
    case 'orthogonal':
    case 'sparse':
      return 0;
  }
}
