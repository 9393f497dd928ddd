import type { Parameter } from '../core/parameter';

/**
 * Gradient clipping as torch.nn.utils does it (PyTorch 1.13). The course notes (001: "exploding
 * gradients lead to cliffs; can be mitigated using gradient clipping") motivate it; torch defines
 * the exact arithmetic, which these functions reproduce in float32 like torch's CPU kernels.
 */

/**
 * `torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type, error_if_nonfinite)`:
 *   total_norm = ‖(‖g₁‖ₚ, ‖g₂‖ₚ, …)‖ₚ  (for p = ∞: the largest |gᵢⱼ|)
 *   clip_coef  = max_norm / (total_norm + 1e-6), clamped to at most 1
 *   every gradient ← gradient · clip_coef
 * Returns total_norm (before clipping), as torch does. With a non-finite total norm the gradients
 * are scaled by a NaN coefficient (torch's behaviour) unless `errorIfNonfinite`, which throws with
 * torch's message instead. Allocates nothing.
 */
export function clipGradNorm(
  params: readonly Parameter[],
  maxNorm: number,
  normType = 2,
  errorIfNonfinite = false,
): number {
  if (params.length === 0) return 0;
  const totalNorm = totalGradNorm(params, normType);
  if (errorIfNonfinite && !Number.isFinite(totalNorm)) {
    throw new Error(
      `The total norm of order ${formatNormType(normType)} for gradients from \`parameters\` is non-finite, so it ` +
        'cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set ' +
        '`error_if_nonfinite=False`',
    );
  }
  // torch: clip_coef = max_norm / (total_norm + 1e-6) is a float32 tensor op; clamp(max=1).
  const coef = Math.fround(maxNorm / Math.fround(totalNorm + 1e-6));
  const clamped = coef > 1 ? 1 : coef; // NaN stays NaN, as torch.clamp keeps it
  // torch multiplies even when the coefficient is 1 (a no-op in float32), so skipping is exact.
  if (clamped === 1) return totalNorm;
  for (const param of params) {
    const g = param.grad;
    for (let j = 0; j < g.length; j++) g[j] *= clamped;
  }
  return totalNorm;
}

/**
 * The norm clip_grad_norm_ computes, without clipping: the p-norm of the per-parameter p-norms
 * (each rounded to float32, as torch stacks float32 norms), or the largest |g| for p = ∞.
 */
export function totalGradNorm(params: readonly Parameter[], normType = 2): number {
  if (normType === Infinity) {
    let max = 0;
    for (const param of params) {
      const g = param.grad;
      for (let j = 0; j < g.length; j++) {
        const a = Math.abs(g[j]);
        // NaN must win, as torch's max propagates it.
        if (a > max || Number.isNaN(a)) max = a;
      }
    }
    return max;
  }
  let total = 0;
  for (const param of params) total += powAbs(Math.fround(vectorNorm(param.grad, normType)), normType);
  return Math.fround(root(total, normType));
}

/**
 * `torch.nn.utils.clip_grad_value_(params, clip_value)`: clamps every gradient element into
 * [−clip_value, clip_value] (NaN stays NaN, as with torch.clamp).
 */
export function clipGradValue(params: readonly Parameter[], clipValue: number): void {
  const high = Math.fround(clipValue);
  const low = -high;
  for (const param of params) {
    const g = param.grad;
    for (let j = 0; j < g.length; j++) {
      const v = g[j];
      if (v > high) g[j] = high;
      else if (v < low) g[j] = low;
    }
  }
}

function vectorNorm(values: Float32Array, p: number): number {
  let sum = 0;
  if (p === 2) {
    for (let j = 0; j < values.length; j++) sum += values[j] * values[j];
  } else if (p === 1) {
    for (let j = 0; j < values.length; j++) sum += Math.abs(values[j]);
  } else {
    for (let j = 0; j < values.length; j++) sum += Math.abs(values[j]) ** p;
  }
  return root(sum, p);
}

function powAbs(value: number, p: number): number {
  return p === 1 ? Math.abs(value) : p === 2 ? value * value : Math.abs(value) ** p;
}

function root(sum: number, p: number): number {
  return p === 1 ? sum : p === 2 ? Math.sqrt(sum) : sum ** (1 / p);
}

function formatNormType(normType: number): string {
  // torch formats norm_type as a Python float: 2.0, inf.
  return normType === Infinity ? 'inf' : Number.isInteger(normType) ? normType.toFixed(1) : String(normType);
}
