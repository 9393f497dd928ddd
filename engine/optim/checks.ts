import { invalid } from './optimizer';

/**
 * The hyperparameter checks torch.optim's constructors share, with torch's messages (the experiment
 * validator normally rejects these first; this guards programmatic use).
 */

/** `if not 0.0 <= value: raise ValueError("Invalid <label> value: ...")`; NaN fails too. */
export function checkNonNegative(value: number, key: string, label = key): void {
  if (!(value >= 0)) invalid(`Invalid ${label} value: ${value}`, key);
}

/** Adam, AdamW, Adamax, NAdam, RAdam: eps ≥ 0, 0 ≤ β < 1, weight_decay ≥ 0. */
export function checkAdamFamily(spec: { eps: number; betas: readonly [number, number]; weight_decay: number }): void {
  const [beta1, beta2] = spec.betas;
  if (!(spec.eps >= 0)) invalid(`Invalid epsilon value: ${spec.eps}`, 'eps');
  if (!(beta1 >= 0 && beta1 < 1)) invalid(`Invalid beta parameter at index 0: ${beta1}`, 'betas');
  if (!(beta2 >= 0 && beta2 < 1)) invalid(`Invalid beta parameter at index 1: ${beta2}`, 'betas');
  checkNonNegative(spec.weight_decay, 'weight_decay');
}
