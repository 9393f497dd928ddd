/** What an experiment's `optimizer` resolves to: torch.optim's hyperparameters, every default filled in. */

// ---- optimizers -------------------------------------------------------------------------------

export interface SgdSpec {
  type: 'sgd';
  lr: number;
  momentum: number;
  dampening: number;
  weight_decay: number;
  nesterov: boolean;
  maximize: boolean;
}

export interface AdamSpec {
  type: 'adam';
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
  amsgrad: boolean;
  maximize: boolean;
}

export type OptimizerSpec = SgdSpec | AdamSpec;
export type OptimizerKind = OptimizerSpec['type'];
