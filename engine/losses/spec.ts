/** What an experiment's `loss` resolves to. */

// ---- losses -----------------------------------------------------------------------

export type LossSpec = { type: 'cross_entropy' } | { type: 'mse' };
export type LossKind = LossSpec['type'];
