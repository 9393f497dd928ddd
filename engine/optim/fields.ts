import type { FieldTable } from '../experiment/fieldTypes';
import type { OptimizerKind } from './spec';

/** The `optimizer` kinds and their keys (besides `type`): torch.optim's defaults. */
export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['sgd', 'adam'];

/** Keys of each optimizer besides `type` (torch.optim defaults). */
export const OPTIMIZER_FIELDS: Readonly<Record<OptimizerKind, FieldTable>> = {
  sgd: {
    // torch.optim.SGD has no default learning rate (it was `required` until 2.x and is still the
    // one setting everyone must choose), so the file must say it.
    lr: { kind: 'number', required: true, minimum: 0, exclusiveMinimum: true },
    momentum: { kind: 'number', default: 0, minimum: 0 },
    dampening: { kind: 'number', default: 0 },
    weight_decay: { kind: 'number', default: 0, minimum: 0 },
    nesterov: { kind: 'boolean', default: false },
    maximize: { kind: 'boolean', default: false },
  },
  adam: {
    lr: { kind: 'number', default: 1e-3, minimum: 0, exclusiveMinimum: true },
    betas: { kind: 'pair', default: [0.9, 0.999], minimum: 0, maximum: 1 },
    eps: { kind: 'number', default: 1e-8, minimum: 0, exclusiveMinimum: true },
    weight_decay: { kind: 'number', default: 0, minimum: 0 },
    amsgrad: { kind: 'boolean', default: false },
    maximize: { kind: 'boolean', default: false },
  },
};
