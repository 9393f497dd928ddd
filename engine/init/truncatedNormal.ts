import { normalCdf, normalPdf } from './erf';

/**
 * The range torch's trunc_normal_ draws its uniforms from: [2Φ(α) − 1, 2Φ(β) − 1) with
 * α = (low − mean)/std, β = (high − mean)/std — the argument range of erfinv that maps onto
 * [low, high]. Same formula and order of operations as torch.nn.init._no_grad_trunc_normal_.
 */
export function truncatedNormalUniformRange(mean: number, std: number, low: number, high: number): [number, number] {
  const l = normalCdf((low - mean) / std);
  const u = normalCdf((high - mean) / std);
  return [2 * l - 1, 2 * u - 1];
}

/**
 * Mean and standard deviation of N(mean, std²) truncated to [low, high]: with α, β the bounds in
 * standard units and Z = Φ(β) − Φ(α),
 *   E = mean + std·(φ(α) − φ(β))/Z,
 *   Var = std²·(1 + (α·φ(α) − β·φ(β))/Z − ((φ(α) − φ(β))/Z)²).
 * (An infinite bound contributes φ = 0 and α·φ(α) = 0.)
 */
export function truncatedNormalMoments(mean: number, std: number, low: number, high: number): { mean: number; std: number } {
  const alpha = (low - mean) / std;
  const beta = (high - mean) / std;
  const z = normalCdf(beta) - normalCdf(alpha);
  const pa = normalPdf(alpha);
  const pb = normalPdf(beta);
  const apa = Number.isFinite(alpha) ? alpha * pa : 0;
  const bpb = Number.isFinite(beta) ? beta * pb : 0;
  const shift = (pa - pb) / z;
  const variance = std * std * (1 + (apa - bpb) / z - shift * shift);
  return { mean: mean + std * shift, std: Math.sqrt(Math.max(variance, 0)) };
}
