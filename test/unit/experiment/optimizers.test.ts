import { describe, expect, it } from 'vitest';
import { OPTIMIZERS, type OptimizerSpec } from '../../../engine/optim/kinds';
import { createOptimizer } from '../../../engine/optim';
import { at, brief, keyAt, MINIMAL, parse, textOf, valueAt } from './helpers';

function optimizer(value: unknown, extra: object = {}): { t: string; problems: string[] } {
  const t = textOf({ ...MINIMAL, optimizer: value, ...extra });
  return { t, problems: brief(parse(t)) };
}

describe('optimizers', () => {
  it('torch 1.13 defaults are filled in (adamw weight_decay 0.01, lbfgs without max_eval)', () => {
    const spec = (value: unknown): unknown => parse(textOf({ ...MINIMAL, optimizer: value })).resolve()?.spec.optimizer;
    expect(spec('adamw')).toEqual({ type: 'adamw', lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01, amsgrad: false, maximize: false });
    expect(spec({ type: 'rmsprop', momentum: 0.9, centered: true })).toEqual({
      type: 'rmsprop',
      lr: 0.01,
      alpha: 0.99,
      eps: 1e-8,
      weight_decay: 0,
      momentum: 0.9,
      centered: true,
      maximize: false,
    });
    // absent max_eval means torch's floor(max_iter · 5/4); the resolved spec leaves it out.
    expect(spec('lbfgs')).toEqual({
      type: 'lbfgs',
      lr: 1,
      max_iter: 20,
      tolerance_grad: 1e-7,
      tolerance_change: 1e-9,
      history_size: 100,
      line_search_fn: 'none',
    });
    expect(spec({ type: 'sgd_lr_decay', decay: 0.95 })).toEqual({ type: 'sgd_lr_decay', lr: 0.1, decay: 0.95 });
  });

  it("torch's None is accepted where torch takes it: L-BFGS's line_search_fn and max_eval as null", () => {
    const { problems } = optimizer({ type: 'lbfgs', line_search_fn: null, max_eval: null });
    expect(problems).toEqual([]);
    const resolved = parse(textOf({ ...MINIMAL, optimizer: { type: 'lbfgs', line_search_fn: null, max_eval: null } })).resolve()?.spec.optimizer;
    expect(resolved).toMatchObject({ type: 'lbfgs', line_search_fn: null, max_eval: null });
    // The optimizer made from it is torch's default one: no line search, floor(20 · 5/4) evaluations.
    const made = createOptimizer(resolved as OptimizerSpec, []) as unknown as { stateDict(): { param_groups: Record<string, unknown>[] } };
    expect(made.stateDict().param_groups[0]).toMatchObject({ line_search_fn: null, max_eval: 25 });
  });

  it("torch's implementation switches (foreach, capturable, fused, differentiable) are accepted, each with an information at its key", () => {
    const { t, problems } = optimizer({ type: 'adam', lr: 0.01, foreach: true, fused: null });
    expect(problems).toEqual([
      `${keyAt(t, 'foreach')} info: 'foreach' picks how PyTorch computes the update (its for-each kernels over all parameters), not what it computes; Trainscope has one implementation, so it changes nothing here`,
      `${keyAt(t, 'fused')} info: 'fused' picks how PyTorch computes the update (fused GPU kernels), not what it computes; Trainscope has one implementation, so it changes nothing here`,
    ]);
    expect(parse(t).resolve()?.spec.optimizer).toMatchObject({ type: 'adam', lr: 0.01, foreach: true, fused: null });
    // Not an option of the course's own schemes, which torch does not have.
    expect(optimizer({ type: 'sgd_lr_decay', foreach: true }).problems[0]).toMatch(/error: 'foreach' is not an option of optimizer 'sgd_lr_decay'/);
  });

  it('an unknown optimizer lists them all; common names get the kind meant', () => {
    const list = OPTIMIZERS.types.join(', ');
    const nesterov = optimizer('nesterov');
    expect(nesterov.problems).toEqual([`${at(nesterov.t, '"nesterov"')} error: unknown optimizer 'nesterov'; expected one of: ${list} (did you mean 'sgd'?)`]);
    const lbfgs = optimizer({ type: 'LBFGS' });
    expect(lbfgs.problems).toEqual([`${at(lbfgs.t, '"LBFGS"')} error: unknown optimizer 'LBFGS'; expected one of: ${list} (did you mean 'lbfgs'?)`]);
  });

  it("Adam's momentum is betas[0]; a misspelt key gets the nearest; absurd values say why", () => {
    const { t, problems } = optimizer({ type: 'adam', momentum: 0.9, beta1: 0.9, betas: [1.2, 0.999], lr: -0.01 });
    expect(problems).toEqual([
      `${keyAt(t, 'momentum')} error: 'momentum' is not an option of optimizer 'adam' (its momentum is betas[0], e.g. "betas": [0.9, 0.999]); it belongs to 'sgd' and 'rmsprop'`,
      `${keyAt(t, 'beta1')} error: unknown key 'beta1' in optimizer 'adam'; expected one of: lr, betas, eps, weight_decay, amsgrad, maximize, decoupled_weight_decay (did you mean 'betas'?)`,
      `${at(t, '1.2')} error: 'betas[0]' must be less than 1, not 1.2 (each beta is the decay rate of a running average, 0 ≤ β < 1; typical: [0.9, 0.999])`,
      `${valueAt(t, 'lr')} error: 'lr' must be greater than 0, not -0.01 (PyTorch also accepts 0, but then the weights never change)`,
    ]);
  });

  it('rprop: 0 < etaminus < 1 < etaplus, and step_sizes in order', () => {
    const { t, problems } = optimizer({ type: 'rprop', etas: [1.5, 1.2], step_sizes: [1, 0.1] });
    expect(problems).toEqual([
      `${valueAt(t, 'etas')} error: etas must be (etaminus, etaplus) with 0 < etaminus < 1 < etaplus (torch.optim.Rprop raises "Invalid eta values"), not [1.5, 1.2]: ` +
        'the step shrinks by etaminus when the gradient changes sign and grows by etaplus when it keeps it',
      `${valueAt(t, 'step_sizes')} error: step_sizes must be (minimal, maximal) with minimal ≤ maximal, not [1, 0.1]`,
    ]);
  });

  it('rmsprop and sgd: momentum ≥ 1 is a warning; nesterov needs momentum', () => {
    const rms = optimizer({ type: 'rmsprop', momentum: 1 });
    expect(rms.problems).toEqual([`${valueAt(rms.t, 'momentum')} warning: momentum 1 ≥ 1 lets the velocity grow without bound; typical values are 0.9 or 0.99`]);
    const sgd = optimizer({ type: 'sgd', lr: 0.1, nesterov: true });
    expect(sgd.problems).toEqual([
      `${valueAt(sgd.t, 'nesterov')} error: nesterov requires momentum > 0 and dampening = 0 (torch.optim.SGD raises otherwise); momentum is 0`,
    ]);
  });

  it('lbfgs: max_eval below max_iter is a warning; batch_size and shuffle are unused; dropout misleads its line search', () => {
    const { t, problems } = optimizer(
      { type: 'lbfgs', max_iter: 10, max_eval: 5 },
      { model: [{ type: 'linear', out_features: 8 }, 'dropout', 'linear'], training: { batch_size: 16, shuffle: false } },
    );
    expect(problems).toEqual([
      `${at(t, '"dropout"')} warning: dropout draws new masks at every evaluation of the loss, so lbfgs sees a different function each time and its line search goes astray; remove dropout or use another optimizer`,
      `${valueAt(t, 'max_eval')} warning: max_eval 5 is below max_iter 10: every iteration evaluates the function at least once, so a step stops after 5 iterations`,
      `${valueAt(t, 'batch_size')} warning: lbfgs takes one full-batch step per epoch (over all 240 training examples), so 'batch_size' is not used`,
      `${valueAt(t, 'shuffle')} warning: lbfgs takes one full-batch step per epoch (over all 240 training examples), so 'shuffle' is not used`,
    ]);
  });

  it('sgd_lr_decay with a schedule: the two set the lr', () => {
    const { t, problems } = optimizer('sgd_lr_decay', { schedule: 'cosine_annealing' });
    expect(problems).toEqual([
      `${at(t, '"cosine_annealing"')} warning: sgd_lr_decay already decays the learning rate before every step, and a schedule sets it too, so the two fight; use "sgd" with this schedule, or drop the schedule`,
    ]);
  });
});

describe('lookahead and its inner optimizer', () => {
  it('resolves the inner optimizer with its defaults (its name alone, or an object)', () => {
    const spec = (value: unknown): unknown => parse(textOf({ ...MINIMAL, optimizer: value })).resolve()?.spec.optimizer;
    expect(spec({ type: 'lookahead', optimizer: 'adam' })).toEqual({
      type: 'lookahead',
      k: 5,
      alpha: 0.5,
      optimizer: { type: 'adam', lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false, decoupled_weight_decay: false },
    });
    expect(spec({ type: 'lookahead', k: 10, optimizer: { type: 'sgd', lr: 0.5, momentum: 0.9 } })).toMatchObject({
      k: 10,
      optimizer: { type: 'sgd', lr: 0.5, momentum: 0.9 },
    });
  });

  it('problems inside the inner optimizer are reported inside it', () => {
    const { t, problems } = optimizer({ type: 'lookahead', alpha: 2, optimizer: { type: 'sgd', lr: -1, nesterov: true, betas: [0.9, 0.99] } });
    expect(problems).toEqual([
      `${valueAt(t, 'alpha')} error: 'alpha' must be at most 1, not 2`,
      `${valueAt(t, 'lr')} error: 'lr' must be greater than 0, not -1`,
      `${valueAt(t, 'nesterov')} error: nesterov requires momentum > 0 and dampening = 0 (torch.optim.SGD raises otherwise); momentum is 0`,
      `${keyAt(t, 'betas')} error: 'betas' is not an option of optimizer 'sgd'; it belongs to 'adam', 'adamw', 'adamax', 'nadam' and 'radam'`,
    ]);
    expect(parse(t).problems.map(p => p.path)).toEqual([
      ['optimizer', 'alpha'],
      ['optimizer', 'optimizer', 'lr'],
      ['optimizer', 'optimizer', 'nesterov'],
      ['optimizer', 'optimizer', 'betas'],
    ]);
  });

  it('a missing, misspelt or lookahead inner optimizer', () => {
    const missing = optimizer({ type: 'lookahead' });
    expect(missing.problems).toEqual([
      `${keyAt(missing.t, 'optimizer')} error: optimizer 'lookahead' needs 'optimizer' (the optimizer it wraps, e.g. "optimizer": { "type": "adam", "lr": 0.001 })`,
    ]);
    const typo = optimizer({ type: 'lookahead', optimizer: 'adamm' });
    expect(typo.problems).toEqual([
      `${at(typo.t, '"adamm"')} error: unknown optimizer 'adamm'; expected one of: ${OPTIMIZERS.types.filter(k => k !== 'lookahead').join(', ')} (did you mean 'adam'?)`,
    ]);
    const nested = optimizer({ type: 'lookahead', optimizer: 'lookahead' });
    expect(nested.problems).toEqual([
      `${at(nested.t, '"lookahead"', 1)} error: lookahead cannot wrap another lookahead; name the optimizer it should wrap, e.g. "adam"`,
    ]);
    const sgd = optimizer({ type: 'lookahead', optimizer: 'sgd' });
    expect(sgd.problems).toEqual([
      `${at(sgd.t, '"sgd"')} error: optimizer 'sgd' needs 'lr' (the learning rate: torch.optim.SGD has no default; e.g. "lr": 0.1)`,
    ]);
  });

  it('a variant changes the inner optimizer key by key, or replaces it with another type', () => {
    const t = textOf({
      ...MINIMAL,
      optimizer: { type: 'lookahead', optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 } },
      variants: { slower: { optimizer: { optimizer: { lr: 0.01 } } }, adam: { optimizer: { optimizer: 'adam' } } },
    });
    const p = parse(t);
    expect(p.problems).toEqual([]);
    expect(p.resolve('slower')!.spec.optimizer).toMatchObject({ type: 'lookahead', optimizer: { type: 'sgd', lr: 0.01, momentum: 0.9 } });
    expect(p.resolve('adam')!.spec.optimizer).toMatchObject({ type: 'lookahead', optimizer: { type: 'adam', lr: 1e-3 } });
  });
});

describe('an optimizer of no known kind is taken for none', () => {
  const misspelt = (t: string, name: string, meant: string, inner = false) => {
    const list = OPTIMIZERS.types.filter(type => !inner || type !== 'lookahead').join(', ');
    return `${at(t, `"${name}"`)} error: unknown optimizer '${name}'; expected one of: ${list} (did you mean '${meant}'?)`;
  };

  it('it may be lbfgs: the steps per epoch, and what batch_size means, are unknown', () => {
    const bn = [{ type: 'linear', out_features: 16 }, 'batch_norm', 'relu', 'linear'];
    const norm = optimizer({ type: 'LBFGS' }, { model: bn, training: { batch_size: 1 } });
    expect(norm.problems).toEqual([misspelt(norm.t, 'LBFGS', 'lbfgs')]);
    const inner = optimizer({ type: 'lookahead', optimizer: 'LBFGS' }, { model: bn, training: { batch_size: 1 } });
    expect(inner.problems).toEqual([misspelt(inner.t, 'LBFGS', 'lbfgs', true)]);
    const steps = optimizer({ type: 'LBFGS' }, { data: { type: 'spiral', samples: 100000 }, training: { batch_size: 1, epochs: 2000 } });
    expect(steps.problems).toEqual([misspelt(steps.t, 'LBFGS', 'lbfgs')]);
    const cycle = optimizer({ type: 'LBFGS' }, { training: { batch_size: 8, epochs: 10 }, schedule: { type: 'one_cycle', max_lr: 0.1, total_steps: 20 } });
    expect(cycle.problems).toEqual([misspelt(cycle.t, 'LBFGS', 'lbfgs')]);
    const wide = optimizer({ type: 'LBFGS' }, { training: { batch_size: 5000 } });
    expect(wide.problems).toEqual([misspelt(wide.t, 'LBFGS', 'lbfgs')]);
  });

  it('whether it has a momentum for the schedules to set is unknown', () => {
    const schedules = { schedule: { type: 'one_cycle', max_lr: 0.1 }, momentum_schedule: { type: 'linear' } };
    const typo = optimizer({ type: 'adgrad', lr: 0.1 }, schedules);
    expect(typo.problems).toEqual([misspelt(typo.t, 'adgrad', 'adagrad')]);
    const t = textOf({ data: 'spiral', model: MINIMAL.model, ...schedules });
    expect(brief(parse(t))).toEqual([`1:1 error: the experiment needs 'optimizer' (e.g. "optimizer": { "type": "sgd", "lr": 0.1 })`]);
  });
});

describe('an optimizer key written wrongly is unknown to the rules across sections, never its default', () => {
  it('a misspelt decoupled_weight_decay may be true: L2 and weight_decay are not said to decay twice', () => {
    const typo = optimizer({ type: 'adam', weight_decay: 0.01, decoupled_weight_decay: 'true' }, { training: { regularization: { l2: 0.01 } } });
    expect(typo.problems).toEqual([`${valueAt(typo.t, 'decoupled_weight_decay')} error: 'decoupled_weight_decay' must be true or false, not a string ('true')`]);
    expect(optimizer({ type: 'adam', weight_decay: 0.01 }, { training: { regularization: { l2: 0.01 } } }).problems).toHaveLength(1);
  });

  it("a misspelt momentum or betas does not change whether the optimizer has one for the schedules to set", () => {
    const momentum = optimizer({ type: 'sgd', lr: 0.1, momentum: '0.9' }, { schedule: { type: 'one_cycle', max_lr: 0.1 } });
    expect(momentum.problems).toEqual([`${valueAt(momentum.t, 'momentum')} error: 'momentum' must be a number, not a string: write 0.9 without quotes`]);
    const betas = optimizer({ type: 'adam', betas: 0.9 }, { schedule: { type: 'one_cycle', max_lr: 0.1 }, momentum_schedule: { type: 'linear' } });
    expect(betas.problems).toEqual([
      `${valueAt(betas.t, 'betas')} error: 'betas' must be a pair of numbers like [0.9, 0.999], not the number 0.9`,
      `${at(betas.t, '"linear"', 2)} error: both momentum_schedule and the schedule's one_cycle (cycle_momentum true by default) set the momentum; set "cycle_momentum": false in the schedule, or remove momentum_schedule`,
    ]);
  });
});
