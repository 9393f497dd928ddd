import type * as z from 'zod';
import { kind } from '../core/options';
import type { Parameter } from '../core/parameter';
import { amsgrad, betas, eps, lr, maximizeAndSwitches, nonNegative } from './options';

export const adamwOptions = kind('adamw', '`torch.optim.AdamW`: Adam with decoupled weight decay (the weights shrink by lr·weight_decay every step).', {
  lr: lr(1e-3),
  betas,
  eps: eps(1e-8),
  weight_decay: nonNegative(1e-2, 'Decoupled weight decay: the weights shrink by lr·weight_decay every step (not added to the gradient).'),
  amsgrad,
  ...maximizeAndSwitches,
});
/** Adam with decoupled weight decay (p ← p·(1 − lr·weight_decay) before the Adam step). */
export type AdamWSpec = z.output<typeof adamwOptions>;
import { Adam } from './adam';

/**
 * `torch.optim.AdamW`: Adam whose weight decay is decoupled from the gradient (Loshchilov &
 * Hutter), as torch 2.x defines it — `Adam(..., decoupled_weight_decay=True)`; its own defaults.
 */
export class AdamW extends Adam<AdamWSpec & { decoupled_weight_decay: boolean }> {
  constructor(spec: AdamWSpec, params: readonly Parameter[]) {
    super({ ...spec, decoupled_weight_decay: true }, params);
  }
}
