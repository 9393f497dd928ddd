/**
 * log(1 + eˣ) for any x: e^−|x| never overflows, and log1p keeps the digits a tiny term would lose
 * (torch's log_sigmoid and binary_cross_entropy_with_logits compute it this way).
 */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
