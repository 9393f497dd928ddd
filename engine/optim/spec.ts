/**
 * What an experiment's `optimizer` resolves to: torch.optim's hyperparameters (PyTorch 1.13 names and
 * defaults), every default filled in. Kinds that torch.optim lacks (the course's two learning-rate
 * schemes, Lookahead) say where their rule comes from.
 */

// ---- torch.optim ------------------------------------------------------------------------------

export interface SgdSpec {
  type: 'sgd';
  lr: number;
  momentum: number;
  dampening: number;
  weight_decay: number;
  nesterov: boolean;
  maximize: boolean;
}

export interface AdagradSpec {
  type: 'adagrad';
  lr: number;
  lr_decay: number;
  weight_decay: number;
  initial_accumulator_value: number;
  eps: number;
  maximize: boolean;
}

export interface RmspropSpec {
  type: 'rmsprop';
  lr: number;
  alpha: number;
  eps: number;
  weight_decay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

export interface AdadeltaSpec {
  type: 'adadelta';
  lr: number;
  rho: number;
  eps: number;
  weight_decay: number;
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

/** Adam with decoupled weight decay (p ← p·(1 − lr·weight_decay) before the Adam step). */
export interface AdamWSpec {
  type: 'adamw';
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
  amsgrad: boolean;
  maximize: boolean;
}

export interface AdamaxSpec {
  type: 'adamax';
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
  maximize: boolean;
}

/** torch.optim.NAdam (no `maximize` in 1.13); the update is PyTorch ≥ 2.0's corrected formula. */
export interface NAdamSpec {
  type: 'nadam';
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
  momentum_decay: number;
}

/** torch.optim.RAdam as in 1.13 (L2 weight decay only, no `maximize`). */
export interface RAdamSpec {
  type: 'radam';
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
}

/** Averaged SGD: evaluation uses the running average `ax` of the parameters once step > t0. */
export interface AsgdSpec {
  type: 'asgd';
  lr: number;
  lambd: number;
  alpha: number;
  t0: number;
  weight_decay: number;
  maximize: boolean;
}

export interface RpropSpec {
  type: 'rprop';
  lr: number;
  /** (etaminus, etaplus): 0 < etaminus < 1 < etaplus. */
  etas: [number, number];
  /** (minimal, maximal) step size. */
  step_sizes: [number, number];
  maximize: boolean;
}

export interface LbfgsSpec {
  type: 'lbfgs';
  lr: number;
  max_iter: number;
  /** Function evaluations per step; absent = floor(max_iter · 5 / 4), torch's default. */
  max_eval?: number;
  tolerance_grad: number;
  tolerance_change: number;
  history_size: number;
  /** torch's `None` is written "none". */
  line_search_fn: 'none' | 'strong_wolfe';
}

// ---- the course's schemes (seed 004) -------------------------------------------------------------

/** Gradient descent whose learning rate decays geometrically: before step t, lr ← decay·lr (lr₀·decayᵗ). */
export interface SgdLrDecaySpec {
  type: 'sgd_lr_decay';
  lr: number;
  decay: number;
}

/**
 * Gradient descent with "gradient-based learning-rate control": before each step every coordinate's
 * learning rate is multiplied by 1 / (1 + control_factor·√|g|).
 */
export interface SgdGradLrControlSpec {
  type: 'sgd_grad_lr_control';
  lr: number;
  control_factor: number;
}

// ---- wrappers ---------------------------------------------------------------------------------

/** Every optimizer that updates parameters itself (what Lookahead can wrap). */
export type InnerOptimizerSpec =
  | SgdSpec
  | AdagradSpec
  | RmspropSpec
  | AdadeltaSpec
  | AdamSpec
  | AdamWSpec
  | AdamaxSpec
  | NAdamSpec
  | RAdamSpec
  | AsgdSpec
  | RpropSpec
  | LbfgsSpec
  | SgdLrDecaySpec
  | SgdGradLrControlSpec;

/**
 * Lookahead (Zhang et al. 2019) around `optimizer`: every k inner steps the slow weights move
 * alpha of the way to the fast weights, and the fast weights restart from them. Not in torch.optim.
 */
export interface LookaheadSpec {
  type: 'lookahead';
  k: number;
  alpha: number;
  optimizer: InnerOptimizerSpec;
}

export type OptimizerSpec = InnerOptimizerSpec | LookaheadSpec;
export type OptimizerKind = OptimizerSpec['type'];
