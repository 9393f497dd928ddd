import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../engine/experiment/parse';
import type { InnerOptimizerSpec } from '../../../engine/optim/plain';
import type { OptimizerSpec } from '../../../engine/optim/kinds';
import { OPTIMIZERS } from '../../../engine/optim/kinds';
import { option } from '../specs';

const OPTIMIZER_KINDS = OPTIMIZERS.types;
import { createOptimizer, type Optimizer, type OptimizerStateDict } from '../../../engine/optim';
import type { Parameter } from '../../../engine/core/parameter';
import golden from '../../fixtures/torch/optim_sgd.json';
import { evaluate, param, problemParams, type GoldenProblem } from './optim-golden-problem';

/*
 * The Optimizer interface beyond single updates: stateDict()/loadStateDict() round trips (5 steps,
 * save, a fresh optimizer loads, 5 more steps == 10 straight steps, bit for bit), the momentum
 * accessor schedulers use, closures, function-evaluation counts, and evaluationValues().
 */

const problem = golden as unknown as GoldenProblem;

/** One state-rich, non-default spec of every kind (state that crosses the save point). */
const SPECS: Record<string, OptimizerSpec> = {
  sgd: { type: 'sgd', lr: 0.01, momentum: 0.9, dampening: 0, weight_decay: 0.01, nesterov: true, maximize: false },
  sgd_lr_decay: { type: 'sgd_lr_decay', lr: 0.02, decay: 0.9 },
  sgd_grad_lr_control: { type: 'sgd_grad_lr_control', lr: 0.02, control_factor: 0.5 },
  adagrad: { type: 'adagrad', lr: 0.1, lr_decay: 0.01, weight_decay: 0.01, initial_accumulator_value: 0.1, eps: 1e-10, maximize: false },
  rmsprop: { type: 'rmsprop', lr: 0.005, alpha: 0.9, eps: 1e-8, weight_decay: 0, momentum: 0.5, centered: true, maximize: false },
  adadelta: { type: 'adadelta', lr: 1, rho: 0.9, eps: 1e-6, weight_decay: 0, maximize: false },
  adam: { type: 'adam', lr: 0.05, betas: [0.9, 0.9], eps: 1e-8, weight_decay: 0, amsgrad: true, maximize: false, decoupled_weight_decay: false },
  adamw: { type: 'adamw', lr: 0.05, betas: [0.9, 0.9], eps: 1e-8, weight_decay: 0.01, amsgrad: true, maximize: false },
  adamax: { type: 'adamax', lr: 0.05, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, maximize: false },
  nadam: { type: 'nadam', lr: 0.05, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, momentum_decay: 0.004 },
  radam: { type: 'radam', lr: 0.05, betas: [0.9, 0.9], eps: 1e-8, weight_decay: 0 },
  asgd: { type: 'asgd', lr: 0.01, lambd: 1e-3, alpha: 0.75, t0: 3, weight_decay: 0, maximize: false },
  rprop: { type: 'rprop', lr: 0.01, etas: [0.5, 1.2], step_sizes: [1e-6, 50], maximize: false },
  lbfgs: {
    type: 'lbfgs',
    lr: 1,
    max_iter: 3,
    tolerance_grad: 1e-7,
    tolerance_change: 1e-9,
    history_size: 3,
    line_search_fn: 'strong_wolfe',
  },
  lookahead: { type: 'lookahead', k: 3, alpha: 0.5, optimizer: { type: 'adam', lr: 0.05, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false, decoupled_weight_decay: false } },
};
/** SPECS[kind] with some keys changed (possibly to values the constructor must reject). */
function changed(kind: string, change: Record<string, unknown>): OptimizerSpec {
  return { ...SPECS[kind], ...change } as unknown as OptimizerSpec;
}
const LOOKAHEAD_LBFGS: OptimizerSpec = { type: 'lookahead', k: 2, alpha: 0.5, optimizer: SPECS.lbfgs as InnerOptimizerSpec };

interface Run {
  params: Parameter[];
  optimizer: Optimizer;
  /** Takes one step (with a closure when the optimizer needs one). */
  step: () => void;
}

function start(spec: OptimizerSpec, values?: Float32Array[]): Run {
  const { weight, bias } = problemParams(problem);
  if (values) {
    weight.data.set(values[0]);
    bias.data.set(values[1]);
  }
  const optimizer = createOptimizer(spec, [weight, bias]);
  const closure = (): number => {
    optimizer.zeroGrad();
    return evaluate(problem, weight, bias);
  };
  const step = (): void => {
    if (optimizer.requiresClosure) optimizer.step(closure);
    else {
      closure();
      optimizer.step();
    }
  };
  return { params: [weight, bias], optimizer, step };
}

/** A deep copy, as a checkpoint written and read back would be (no shared buffers). */
function copyStateDict(sd: OptimizerStateDict): OptimizerStateDict {
  return structuredClone(sd);
}

describe('stateDict() / loadStateDict() round trip: 5 + 5 steps == 10 steps, bit for bit', () => {
  const cases: [string, OptimizerSpec][] = [...Object.entries(SPECS), ['lookahead around lbfgs', LOOKAHEAD_LBFGS]];
  it('covers every optimizer kind', () => {
    expect(new Set(cases.map(([, s]) => s.type))).toEqual(new Set(OPTIMIZER_KINDS));
  });

  for (const [name, spec] of cases) {
    it(name, () => {
      // A scheduler changes the learning rate (and momentum) after step 5: both are state.
      const schedule = (opt: Optimizer): void => {
        opt.lr *= 0.5;
        if (opt.momentum !== undefined) opt.momentum = 0.8;
      };
      const straight = start(spec);
      for (let k = 0; k < 10; k++) {
        if (k === 5) schedule(straight.optimizer);
        straight.step();
      }

      const first = start(spec);
      for (let k = 0; k < 5; k++) first.step();
      schedule(first.optimizer);
      const saved = copyStateDict(first.optimizer.stateDict());
      const second = start(spec, first.params.map((p) => p.data.slice()));
      second.optimizer.loadStateDict(saved);
      expect(second.optimizer.stateDict()).toEqual(first.optimizer.stateDict());
      // The count comes back from torch's `step` state; torch's SGD keeps none (the loop knows its steps).
      const counted = spec.type !== 'sgd' && spec.type !== 'sgd_lr_decay';
      expect(second.optimizer.functionEvaluations).toBe(counted ? first.optimizer.functionEvaluations : 0);
      for (let k = 0; k < 5; k++) second.step();

      second.params.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(straight.params[i].data)));
      expect(second.optimizer.stateDict()).toEqual(straight.optimizer.stateDict());
      expect(second.optimizer.lr).toBe(straight.optimizer.lr);
    });
  }

  it('restores a scheduled lr and momentum', () => {
    const a = start(SPECS.adam);
    a.step();
    a.optimizer.lr = 0.0123;
    a.optimizer.momentum = 0.77;
    const b = start(SPECS.adam);
    b.optimizer.loadStateDict(copyStateDict(a.optimizer.stateDict()));
    expect(b.optimizer.lr).toBe(0.0123);
    expect(b.optimizer.momentum).toBe(0.77);
    expect(a.optimizer.stateDict().param_groups[0].betas).toEqual([0.77, 0.9]);
  });

  it('loading detects a state dict of another model', () => {
    const a = start(SPECS.adam);
    a.step();
    const sd = copyStateDict(a.optimizer.stateDict());
    const other = createOptimizer(SPECS.adam, [param('w', [5], [0, 0, 0, 0, 0]), param('b', [4], [0, 0, 0, 0])]);
    expect(() => other.loadStateDict(sd)).toThrow(/exp_avg.*12 values.*expected 5/);
    const fewer = createOptimizer(SPECS.adam, [param('w', [12], new Float32Array(12))]);
    expect(() => fewer.loadStateDict(sd)).toThrow(/2 parameters; this optimizer has 1/);
  });

  it('a state dict is a copy: stepping on does not change a saved one', () => {
    const a = start(SPECS.adam);
    a.step();
    const sd = a.optimizer.stateDict();
    const before = Array.from(sd.state[0].exp_avg as Float32Array);
    a.step();
    expect(Array.from(sd.state[0].exp_avg as Float32Array)).toEqual(before);
  });

  it('before the first step the state is empty, as torch creates it lazily', () => {
    for (const spec of Object.values(SPECS)) {
      const sd = start(spec).optimizer.stateDict();
      if (spec.type === 'lookahead') expect(Object.keys(sd.state[0])).toEqual(['lookahead_slow_buff']);
      else expect(sd.state).toEqual({});
      expect(sd.param_groups).toHaveLength(1);
      expect(sd.param_groups[0].params).toEqual([0, 1]);
    }
  });

  it("param_groups hold the spec's hyperparameters under torch's names", () => {
    const sd = start(SPECS.rprop).optimizer.stateDict();
    expect(sd.param_groups[0]).toEqual({ lr: 0.01, etas: [0.5, 1.2], step_sizes: [1e-6, 50], maximize: false, params: [0, 1] });
    const la = start(SPECS.lookahead).optimizer.stateDict().param_groups[0];
    expect(la).toMatchObject({ lr: 0.05, betas: [0.9, 0.999], lookahead_k: 3, lookahead_alpha: 0.5, lookahead_step: 0 });
  });
});

describe('the momentum accessor (what schedulers cycle)', () => {
  it("is SGD's and RMSprop's momentum and the Adam family's betas[0]", () => {
    expect(start(SPECS.sgd).optimizer.momentum).toBe(0.9);
    expect(start(SPECS.rmsprop).optimizer.momentum).toBe(0.5);
    for (const kind of ['adam', 'adamw', 'adamax', 'nadam', 'radam']) expect(start(SPECS[kind]).optimizer.momentum).toBe(0.9);
    expect(start(SPECS.lookahead).optimizer.momentum).toBe(0.9);
  });

  it('is undefined, and cannot be set, for optimizers without one', () => {
    for (const kind of ['sgd_lr_decay', 'sgd_grad_lr_control', 'adagrad', 'adadelta', 'asgd', 'rprop', 'lbfgs']) {
      const opt = start(SPECS[kind]).optimizer;
      expect(opt.momentum).toBeUndefined();
      expect(() => (opt.momentum = 0.5)).toThrow(TypeError);
    }
  });

  it('setting it changes the update: SGD with momentum 0 equals plain SGD, and cycling matters', () => {
    const a = start(changed('sgd', { nesterov: false }));
    const b = start(changed('sgd', { nesterov: false, momentum: 0 }));
    a.optimizer.momentum = 0;
    for (let k = 0; k < 3; k++) {
      a.step();
      b.step();
    }
    expect(Array.from(a.params[0].data)).toEqual(Array.from(b.params[0].data));
    const c = start(SPECS.adam);
    const d = start(SPECS.adam);
    d.optimizer.momentum = 0.5;
    c.step();
    d.step();
    c.step();
    d.step();
    expect(Array.from(c.params[0].data)).not.toEqual(Array.from(d.params[0].data));
  });
});

describe('closures, counts and evaluation values', () => {
  it('only L-BFGS (and Lookahead around it) requires a closure', () => {
    for (const [kind, spec] of Object.entries(SPECS)) expect(start(spec).optimizer.requiresClosure, kind).toBe(kind === 'lbfgs');
    expect(start(LOOKAHEAD_LBFGS).optimizer.requiresClosure).toBe(true);
  });

  it('other optimizers call a given closure once, before updating from the gradients it computed', () => {
    const x = param('x', [1], [1]);
    const opt = createOptimizer(changed('sgd', { momentum: 0, nesterov: false, weight_decay: 0, lr: 0.5 }), [x]);
    let calls = 0;
    opt.step(() => {
      calls++;
      x.grad[0] = 2;
      return 0;
    });
    expect(calls).toBe(1);
    expect(x.data[0]).toBe(0);
    expect(opt.functionEvaluations).toBe(1);
  });

  it('functionEvaluations counts steps, and L-BFGS counts closure calls', () => {
    const adam = start(SPECS.adam);
    for (let k = 0; k < 4; k++) adam.step();
    expect(adam.optimizer.functionEvaluations).toBe(4);
    const { weight, bias } = problemParams(problem);
    const lbfgs = createOptimizer(SPECS.lbfgs, [weight, bias]);
    let calls = 0;
    lbfgs.step(() => {
      calls++;
      lbfgs.zeroGrad();
      return evaluate(problem, weight, bias);
    });
    expect(lbfgs.functionEvaluations).toBe(calls);
    expect(calls).toBeGreaterThan(1);
  });

  it('evaluationValues is undefined except for ASGD once it averages (and Lookahead passes it on)', () => {
    for (const [kind, spec] of Object.entries(SPECS)) {
      if (kind === 'asgd') continue;
      const run = start(spec);
      for (let k = 0; k < 6; k++) run.step();
      expect(run.optimizer.evaluationValues(), kind).toBeUndefined();
    }
    const asgd = start(SPECS.asgd);
    const wrapped = start({ type: 'lookahead', k: 100, alpha: 0.5, optimizer: SPECS.asgd as InnerOptimizerSpec });
    for (let k = 0; k < 4; k++) {
      asgd.step();
      wrapped.step();
    }
    // t0 = 3: mu = 1/max(1, 4 − 3) = 1 after step 4, < 1 from step 5 on.
    expect(asgd.optimizer.evaluationValues()).toBeUndefined();
    asgd.step();
    wrapped.step();
    const ax = asgd.optimizer.evaluationValues()!;
    expect(ax.get(asgd.params[0])).toEqual(asgd.optimizer.stateDict().state[0].ax);
    expect(wrapped.optimizer.evaluationValues()!.get(wrapped.params[0])).toEqual(ax.get(asgd.params[0]));
  });
});

describe('every optimizer', () => {
  it('turns a NaN gradient into a NaN parameter rather than hiding it', () => {
    for (const [kind, spec] of Object.entries(SPECS)) {
      if (kind === 'lbfgs') continue;
      const run = start(spec.type === 'lookahead' ? { ...spec, k: 1 } : spec);
      run.step();
      run.params[0].grad.fill(NaN);
      run.optimizer.step();
      expect(run.params[0].data[0], kind).toBeNaN();
    }
  });

  it("the experiment format rejects what torch's constructors reject, pointing at the key", () => {
    // The optimizer's own key (a list's item is blamed at its index: the key is what counts here).
    const badKey = (spec: OptimizerSpec): unknown =>
      parseExperiment(JSON.stringify({ data: 'spiral', model: [{ type: 'linear' }], optimizer: spec }), 'x.experiment.json')
        .problems.find(problem => problem.severity === 'error')
        ?.path.slice(0, 2);
    const bad: [OptimizerSpec, string][] = [
      [changed('adagrad', { lr_decay: -1 }), 'lr_decay'],
      [changed('adagrad', { initial_accumulator_value: -1 }), 'initial_accumulator_value'],
      [changed('rmsprop', { alpha: -0.1 }), 'alpha'],
      [changed('rmsprop', { momentum: -0.1 }), 'momentum'],
      [changed('adadelta', { rho: 1.1 }), 'rho'],
      [changed('adamw', { betas: [0.9, 1] }), 'betas'],
      [changed('adamax', { eps: -1 }), 'eps'],
      [changed('nadam', { momentum_decay: -1 }), 'momentum_decay'],
      [changed('radam', { weight_decay: -1 }), 'weight_decay'],
      [changed('asgd', { weight_decay: -1 }), 'weight_decay'],
      [changed('rprop', { etas: [1.1, 1.2] }), 'etas'],
      [changed('rprop', { etas: [0.5, 1] }), 'etas'],
      [changed('lbfgs', { max_iter: 0 }), 'max_iter'],
      [changed('lbfgs', { history_size: 1.5 }), 'history_size'],
      [changed('lbfgs', { line_search_fn: 'backtracking' }), 'line_search_fn'],
      [changed('sgd_lr_decay', { decay: 1.5 }), 'decay'],
      [changed('sgd_grad_lr_control', { control_factor: -1 }), 'control_factor'],
      [changed('lookahead', { k: 0 }), 'k'],
      [changed('lookahead', { alpha: 1.5 }), 'alpha'],
      [changed('adadelta', { lr: -1 }), 'lr'],
    ];
    for (const [spec, key] of bad) expect(badKey(spec), `${spec.type} ${key}`).toEqual(['optimizer', key]);
    for (const spec of Object.values(SPECS)) expect(badKey(spec)).toBeUndefined();
  });
});

describe("the optimizers' options", () => {
  it('list every kind with the defaults the optimizers are built with', () => {
    expect(new Set(OPTIMIZER_KINDS).size).toBe(OPTIMIZER_KINDS.length);
    // A spec of the defaults constructs (lr of SGD is required; lookahead nests one).
    for (const kind of OPTIMIZER_KINDS) {
      const input = kind === 'sgd' ? { type: kind, lr: 0.1 } : kind === 'lookahead' ? { type: kind, optimizer: { type: 'adam' } } : { type: kind };
      const spec = OPTIMIZERS.resolve(input as Parameters<typeof OPTIMIZERS.resolve>[0]);
      expect(() => createOptimizer(spec, [param('w', [2], [1, 2])]), kind).not.toThrow();
    }
  });

  it("hold torch 1.13's defaults", () => {
    const d = (kind: string, key: string): unknown => option(OPTIMIZERS, kind, key).default;
    expect([d('adagrad', 'lr'), d('adagrad', 'eps'), d('rmsprop', 'alpha'), d('adadelta', 'lr'), d('adadelta', 'rho')]).toEqual([0.01, 1e-10, 0.99, 1, 0.9]);
    expect([d('adamw', 'weight_decay'), d('adamax', 'lr'), d('nadam', 'momentum_decay'), d('radam', 'lr')]).toEqual([0.01, 0.002, 0.004, 0.001]);
    expect([d('asgd', 'lambd'), d('asgd', 'alpha'), d('asgd', 't0'), d('rprop', 'etas'), d('rprop', 'step_sizes')]).toEqual([1e-4, 0.75, 1e6, [0.5, 1.2], [1e-6, 50]]);
    expect([d('lbfgs', 'lr'), d('lbfgs', 'max_iter'), d('lbfgs', 'max_eval'), d('lbfgs', 'tolerance_grad'), d('lbfgs', 'tolerance_change')]).toEqual([1, 20, undefined, 1e-7, 1e-9]);
    expect([d('lbfgs', 'history_size'), d('lbfgs', 'line_search_fn'), d('lookahead', 'k'), d('lookahead', 'alpha')]).toEqual([100, 'none', 5, 0.5]);
  });
});
