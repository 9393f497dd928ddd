import type { FieldTable } from '../experiment/fieldTypes';
import type { LossKind } from './spec';

/** The `loss` kinds and their keys (besides `type`). */
export const LOSS_KINDS: readonly LossKind[] = ['cross_entropy', 'mse'];

export const LOSS_FIELDS: Readonly<Record<LossKind, FieldTable>> = { cross_entropy: {}, mse: {} };

/** The loss when the file does not say: by the data's task. */
export const DEFAULT_LOSS: Readonly<Record<'classification' | 'regression', LossKind>> = {
  classification: 'cross_entropy',
  regression: 'mse',
};
