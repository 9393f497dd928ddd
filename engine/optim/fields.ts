import type { BooleanField, FieldTable, NumberField, PairField } from '../experiment/fieldTypes';
import type { OptimizerKind } from './spec';

/** The `optimizer` kinds: torch.optim's, simplest first; then the course's two schemes; then wrappers. */
export const OPTIMIZER_KINDS: readonly OptimizerKind[] = [
  'sgd',
  'adagrad',
  'rmsprop',
  'adadelta',
  'adam',
  'adamw',
  'adamax',
  'nadam',
  'radam',
  'asgd',
  'rprop',
  'lbfgs',
  'sgd_lr_decay',
  'sgd_grad_lr_control',
  'lookahead',
];

// Shared shapes. torch accepts lr = 0 and eps = 0; a run with either cannot learn or divides by
// zero, so the file must give a positive value.
const lr = (value: number): NumberField => ({ kind: 'number', default: value, minimum: 0, exclusiveMinimum: true, doc: 'Learning rate.' });
const eps = (value: number, doc = 'Term added to the denominator for numerical stability.'): NumberField => ({
  kind: 'number',
  default: value,
  minimum: 0,
  exclusiveMinimum: true,
  doc,
});
const nonNegative = (value: number, doc: string): NumberField => ({ kind: 'number', default: value, minimum: 0, doc });
const unitInterval = (value: number, doc: string): NumberField => ({ kind: 'number', default: value, minimum: 0, maximum: 1, doc });
const positiveInteger = (value: number, doc: string): NumberField => ({ kind: 'number', default: value, integer: true, minimum: 1, doc });
const betas: PairField = {
  kind: 'pair',
  default: [0.9, 0.999],
  minimum: 0,
  maximum: 1,
  rangeHint: 'each beta is the decay rate of a running average, 0 ≤ β < 1; typical: [0.9, 0.999]',
  doc: 'Coefficients of the running averages of the gradient (beta1, the momentum) and of its square (beta2), each in [0, 1).',
};
const maximize: BooleanField = { kind: 'boolean', default: false, doc: 'Maximize the objective instead of minimizing it.' };
const weightDecay = (value = 0): NumberField => nonNegative(value, 'L2 penalty added to the gradient (g ← g + weight_decay·p).');
const amsgrad: BooleanField = {
  kind: 'boolean',
  default: false,
  doc: 'Use the AMSGrad variant (the maximum of the past squared-gradient averages).',
};
/** A pair torch bounds only below (Rprop's etas and step sizes); the order rules are cross-key checks. */
const positivePair = (value: readonly [number, number], doc: string): PairField => ({
  kind: 'pair',
  default: value,
  minimum: 0,
  maximum: Number.MAX_VALUE,
  doc,
});

/** What each optimizer is (hovers, completion, the reference). */
export const OPTIMIZER_DOCS: Readonly<Record<OptimizerKind, string>> = {
  sgd: '`torch.optim.SGD`: gradient descent, with optional momentum (heavy ball or Nesterov) and weight decay.',
  adagrad: '`torch.optim.Adagrad`: per-coordinate learning rates that shrink with the sum of past squared gradients.',
  rmsprop: '`torch.optim.RMSprop`: divides by a running root mean square of the gradients.',
  adadelta: '`torch.optim.Adadelta`: RMSprop with step sizes scaled by a running RMS of past updates (lr 1 needs no tuning).',
  adam: '`torch.optim.Adam`: momentum plus RMSprop scaling, bias-corrected.',
  adamw: '`torch.optim.AdamW`: Adam with decoupled weight decay (the weights shrink by lr·weight_decay every step).',
  adamax: '`torch.optim.Adamax`: Adam with the infinity norm instead of the running RMS.',
  nadam: '`torch.optim.NAdam`: Adam with Nesterov momentum.',
  radam: '`torch.optim.RAdam`: Adam with a rectified variance estimate (no warm-up needed).',
  asgd: '`torch.optim.ASGD`: averaged SGD; evaluation uses the running average of the weights.',
  rprop: '`torch.optim.Rprop`: resilient backpropagation; per-coordinate steps grow or shrink with the sign of the gradient (a full-batch method).',
  lbfgs: '`torch.optim.LBFGS`: limited-memory BFGS, a quasi-Newton method; one full-batch step (with a closure) per epoch.',
  sgd_lr_decay: "Gradient descent whose learning rate decays geometrically: before every step, lr ← decay·lr (the course notes' scheme).",
  sgd_grad_lr_control:
    "Gradient descent with gradient-based learning-rate control: each coordinate's step is scaled by 1 / (1 + control_factor·√|g|) (the course notes' scheme).",
  lookahead: 'Lookahead (Zhang et al., 2019): every `k` steps of the inner `optimizer`, the slow weights move `alpha` of the way to the fast ones.',
};

/** Keys of each optimizer besides `type`, with torch.optim's (1.13) defaults. */
export const OPTIMIZER_FIELDS: Readonly<Record<OptimizerKind, FieldTable>> = {
  sgd: {
    // torch.optim.SGD has no default learning rate (it was `required` until 2.x and is still the
    // one setting everyone must choose), so the file must say it.
    lr: { kind: 'number', required: true, minimum: 0, exclusiveMinimum: true, doc: 'Learning rate. Required: `torch.optim.SGD` has no default.' },
    momentum: nonNegative(0, 'Momentum factor (PyTorch form: v ← μ·v + g; p ← p − lr·v).'),
    dampening: { kind: 'number', default: 0, doc: 'Dampening for momentum (v ← μ·v + (1 − dampening)·g).' },
    weight_decay: weightDecay(),
    nesterov: { kind: 'boolean', default: false, doc: 'Nesterov momentum. Requires `momentum > 0` and `dampening = 0`.' },
    maximize,
  },
  adagrad: {
    lr: lr(1e-2),
    lr_decay: nonNegative(0, 'Learning-rate decay: step t uses lr / (1 + (t − 1)·lr_decay).'),
    weight_decay: weightDecay(),
    initial_accumulator_value: nonNegative(0, 'Starting value of the sum of squared gradients.'),
    eps: eps(1e-10),
    maximize,
  },
  rmsprop: {
    lr: lr(1e-2),
    alpha: unitInterval(0.99, 'Smoothing constant of the running mean of squared gradients.'),
    eps: eps(1e-8),
    weight_decay: weightDecay(),
    momentum: nonNegative(0, 'Momentum factor applied to the scaled step (0 = none).'),
    centered: {
      kind: 'boolean',
      default: false,
      doc: "Centered RMSprop: divide by an estimate of the gradient's variance (its mean square minus its squared mean).",
    },
    maximize,
  },
  adadelta: {
    lr: lr(1.0),
    rho: unitInterval(0.9, 'Coefficient of the running averages of squared gradients and of squared updates.'),
    eps: eps(1e-6, "Term added inside the square roots for numerical stability (it also sets the first steps' size)."),
    weight_decay: weightDecay(),
    maximize,
  },
  adam: {
    lr: lr(1e-3),
    betas,
    eps: eps(1e-8),
    weight_decay: weightDecay(),
    amsgrad,
    maximize,
  },
  adamw: {
    lr: lr(1e-3),
    betas,
    eps: eps(1e-8),
    weight_decay: nonNegative(1e-2, 'Decoupled weight decay: the weights shrink by lr·weight_decay every step (not added to the gradient).'),
    amsgrad,
    maximize,
  },
  adamax: {
    lr: lr(2e-3),
    betas,
    eps: eps(1e-8),
    weight_decay: weightDecay(),
    maximize,
  },
  nadam: {
    lr: lr(2e-3),
    betas,
    eps: eps(1e-8),
    weight_decay: weightDecay(),
    momentum_decay: nonNegative(4e-3, "How fast NAdam's momentum schedule approaches beta1."),
  },
  radam: {
    lr: lr(1e-3),
    betas,
    eps: eps(1e-8),
    weight_decay: weightDecay(),
  },
  asgd: {
    lr: lr(1e-2),
    lambd: nonNegative(1e-4, "Decay term of ASGD's learning rate."),
    alpha: nonNegative(0.75, 'Power of the learning-rate decay: eta = lr / (1 + lambd·lr·t)^alpha.'),
    t0: nonNegative(1e6, 'The step from which the weights are averaged.'),
    weight_decay: weightDecay(),
    maximize,
  },
  rprop: {
    lr: lr(1e-2),
    etas: positivePair([0.5, 1.2], 'Multiplicative decrease and increase factors (etaminus, etaplus), with 0 < etaminus < 1 < etaplus.'),
    step_sizes: positivePair([1e-6, 50], 'The smallest and largest allowed step sizes (minimal, maximal).'),
    maximize,
  },
  lbfgs: {
    lr: lr(1),
    max_iter: positiveInteger(20, 'Iterations per optimizer step.'),
    // No default: absent means floor(max_iter · 5/4), torch's default, which depends on max_iter.
    max_eval: { kind: 'number', integer: true, minimum: 1, doc: 'Function evaluations per optimizer step. Default: max_iter · 5/4.' },
    tolerance_grad: nonNegative(1e-7, 'Stop the step when the largest absolute gradient is at most this.'),
    tolerance_change: nonNegative(1e-9, 'Stop the step when the loss or the weights change by at most this.'),
    history_size: positiveInteger(100, 'How many past updates approximate the inverse Hessian.'),
    line_search_fn: {
      kind: 'enum',
      values: ['none', 'strong_wolfe'],
      default: 'none',
      doc: 'How far each step goes: `none` takes fixed steps of lr, `strong_wolfe` searches for a step satisfying the strong Wolfe conditions.',
    },
  },
  // The course's schemes (seed 004), with the defaults of its code (alpha = 0.1, factor 0.99).
  sgd_lr_decay: {
    lr: lr(0.1),
    decay: {
      kind: 'number',
      default: 0.99,
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 1,
      doc: 'The learning rate is multiplied by this before every step, in (0, 1].',
    },
  },
  sgd_grad_lr_control: {
    lr: lr(0.1),
    control_factor: nonNegative(0.99, 'How strongly large gradients shrink their own step: scale 1 / (1 + control_factor·√|g|).'),
  },
  lookahead: {
    k: positiveInteger(5, 'Inner steps between two synchronizations of the slow weights.'),
    alpha: unitInterval(0.5, 'How far the slow weights move toward the fast weights at each synchronization, in [0, 1].'),
    // Any optimizer but lookahead itself (engine/experiment/slots.ts: 'inner_optimizer').
    optimizer: {
      kind: 'typed',
      slot: 'inner_optimizer',
      required: true,
      doc: 'The optimizer Lookahead wraps (that of the "fast" weights), e.g. { "type": "adam", "lr": 0.001 } or "sgd".',
    },
  },
};
