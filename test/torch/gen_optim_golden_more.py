"""Golden data for the optimizers beyond SGD and Adam (test/unit/engine/optim-more.test.ts,
optim-lbfgs.test.ts, optim-seed.test.ts).

Run with Debian's PyTorch:  /usr/bin/python3 test/torch/gen_optim_golden_more.py
Writes test/fixtures/torch/optim_{adaptive,adam_family,asgd_rprop,lookahead,lbfgs,seed_quartic}.json.

Same problem as gen_optim_golden.py (weight 3x4, bias 4, loss = sum(R^2) + l4 * sum(p^4) with
R = A @ W + bias - T), 15 full-batch steps per case, foreach=False everywhere. To keep the files
small each step stores the losses and the parameters after the step, not the gradients; each case
also stores the optimizer state after its last step (torch's state_dict()['state'], tensors
flattened, None entries left out), so the tests can check our stateDict() key for key.

References, per case (the fixture says which):
- torch.optim.<Name> of the installed torch (1.13) for Adagrad, RMSprop, Adadelta, AdamW, Adamax,
  RAdam, ASGD, Rprop and LBFGS.
- NAdam: torch 1.13's NAdam has a bug fixed in 2.0 (the next-step momentum product multiplied mu_t
  twice). The engine implements the >= 2.0 formula, so the reference here is `NAdam2`, a port of
  torch 2.0's `_single_tensor_nadam` (non-differentiable path) written with torch tensor ops.
- Lookahead: torch has none. `Lookahead` below follows Algorithm 1 of Zhang et al. 2019
  ("Lookahead Optimizer: k steps forward, 1 step back") with torch ops around a torch optimizer.
- L-BFGS (optim_lbfgs.json) runs one step(closure) at a time on this problem and on the 2-D
  Rosenbrock function, recording the loss step() returns, the parameters and torch's cumulative
  n_iter / func_evals. Its closure evaluates in float64 and rounds loss and gradient to float32 (see
  run_lbfgs). The file also holds direct calls of torch's _strong_wolfe on 1-D polynomials chosen
  to take every branch, labelled with the branches they take.
- optim_seed_quartic.json: the course's own NumPy functions (seed 004: vanilla_gd, momentum_gd,
  vanilla_gd_lrdecay, vanilla_gd_gradlr) on its 1-D quartic, copied verbatim, in float64.
"""

import json
import os
import re
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_optim_golden as base  # noqa: E402  (same problem, loss and float formatting)

STEPS = 15
f32 = base.f32


# ---- references torch 1.13 lacks ------------------------------------------------------------------

class NAdam2(torch.optim.Optimizer):
    """torch 2.0's NAdam (`_single_tensor_nadam`, differentiable=False), ported with torch ops."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            beta1, beta2 = group['betas']
            lr, eps = group['lr'], group['eps']
            weight_decay, momentum_decay = group['weight_decay'], group['momentum_decay']
            for param in group['params']:
                state = self.state[param]
                if len(state) == 0:
                    state['step'] = torch.tensor(0.)
                    state['mu_product'] = torch.tensor(1.)
                    state['exp_avg'] = torch.zeros_like(param)
                    state['exp_avg_sq'] = torch.zeros_like(param)
                grad = param.grad
                exp_avg, exp_avg_sq = state['exp_avg'], state['exp_avg_sq']
                mu_product, step_t = state['mu_product'], state['step']
                step_t += 1
                step = step_t.item()
                bias_correction2 = 1 - beta2 ** step
                if weight_decay != 0:
                    grad = grad.add(param, alpha=weight_decay)
                mu = beta1 * (1. - 0.5 * (0.96 ** (step * momentum_decay)))
                mu_next = beta1 * (1. - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
                mu_product *= mu
                exp_avg.lerp_(grad, 1 - beta1)
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                denom = exp_avg_sq.div(bias_correction2).sqrt()
                mu_product_next = mu_product.item() * mu_next
                denom.add_(eps)
                param.addcdiv_(grad, denom, value=(-lr * (1. - mu) / (1. - mu_product.item())))
                param.addcdiv_(exp_avg, denom, value=(-lr * mu_next) / (1. - mu_product_next))


class Lookahead:
    """Zhang et al. 2019, Algorithm 1: slow weights phi start as the parameters; after every k steps
    of the inner optimizer, phi <- phi + alpha * (theta - phi) and theta <- phi."""

    def __init__(self, inner, k=5, alpha=0.5):
        self.inner, self.k, self.alpha = inner, k, alpha
        self.param_groups = inner.param_groups
        self.params = [p for g in inner.param_groups for p in g['params']]
        self.slow = [p.detach().clone() for p in self.params]
        self.steps = 0

    def zero_grad(self):
        self.inner.zero_grad()

    @torch.no_grad()
    def step(self):
        self.inner.step()
        self.steps += 1
        if self.steps % self.k == 0:
            for fast, slow in zip(self.params, self.slow):
                slow.add_(fast - slow, alpha=self.alpha)
                fast.copy_(slow)

    def state_dict(self):
        sd = self.inner.state_dict()
        for i, slow in enumerate(self.slow):
            sd['state'].setdefault(i, {})['lookahead_slow_buff'] = slow.clone()
        return sd


# ---- building optimizers from our specs -----------------------------------------------------------

TORCH_CLASSES = {
    'adagrad': torch.optim.Adagrad, 'rmsprop': torch.optim.RMSprop, 'adadelta': torch.optim.Adadelta,
    'adam': torch.optim.Adam, 'adamw': torch.optim.AdamW, 'adamax': torch.optim.Adamax,
    'radam': torch.optim.RAdam, 'asgd': torch.optim.ASGD, 'rprop': torch.optim.Rprop, 'sgd': torch.optim.SGD,
}


def build(spec, params):
    kwargs = {k: (tuple(v) if isinstance(v, list) else v) for k, v in spec.items() if k not in ('type', 'optimizer')}
    kind = spec['type']
    if kind == 'lookahead':
        return Lookahead(build(spec['optimizer'], params), k=spec['k'], alpha=spec['alpha'])
    if kind == 'nadam':
        return NAdam2(params, **kwargs)
    if kind == 'lbfgs':
        kwargs['line_search_fn'] = None if kwargs['line_search_fn'] == 'none' else kwargs['line_search_fn']
        return torch.optim.LBFGS(params, **kwargs)
    return TORCH_CLASSES[kind](params, foreach=False, **kwargs)


def reference_of(spec):
    kind = spec['type']
    if kind == 'nadam':
        return 'NAdam2: port of torch 2.0 _single_tensor_nadam (the >= 2.0 corrected formula; torch 1.13 NAdam differs)'
    if kind == 'lookahead':
        return 'Lookahead: Zhang et al. 2019 Algorithm 1 with torch ops, around torch.optim.%s' % build_name(spec['optimizer'])
    return 'torch.optim.%s (torch %s, foreach=False)' % (build_name(spec), torch.__version__)


def build_name(spec):
    return {'lbfgs': 'LBFGS', 'nadam': 'NAdam'}.get(spec['type'], TORCH_CLASSES.get(spec['type'], object).__name__)


SCALAR_KEYS = {'step', 'eta', 'mu', 'mu_product', 't', 'H_diag', 'prev_loss', 'func_evals', 'n_iter'}


def plain(key, value):
    """A state value as JSON: scalars as numbers, tensors flattened to float32 lists, lists of
    tensors (L-BFGS's history) concatenated, with null for None (JSON has no NaN)."""
    if key in SCALAR_KEYS:
        return float(value.item()) if torch.is_tensor(value) else value
    if torch.is_tensor(value):
        return f32(value.detach().reshape(-1).tolist())
    if isinstance(value, list):
        flat = []
        for v in value:
            flat.extend([None] if v is None else f32(v.detach().reshape(-1).tolist()))
        return flat
    raise TypeError('unexpected state value %s=%r' % (key, value))


def state_of(opt):
    sd = opt.state_dict()
    return {str(i): {k: plain(k, v) for k, v in entry.items() if v is not None} for i, entry in sd['state'].items()}


def set_momentum(opt, value):
    for group in opt.param_groups:
        if 'betas' in group:
            group['betas'] = (value, group['betas'][1])
        else:
            group['momentum'] = value


def run_case(problem, name, spec, lrs=None, momenta=None, record_asgd=False):
    weight = problem['weight'].clone().requires_grad_(True)
    bias = problem['bias'].clone().requires_grad_(True)
    opt = build(spec, [weight, bias])
    lrs = lrs or [spec.get('lr', spec.get('optimizer', {}).get('lr'))] * STEPS
    sign = -1.0 if spec.get('maximize', False) else 1.0
    losses, steps = [], []
    for k in range(STEPS):
        for group in opt.param_groups:
            group['lr'] = lrs[k]
        if momenta is not None:
            set_momentum(opt, momenta[k])
        opt.zero_grad()
        objective = sign * base.loss_fn(problem['A'], problem['T'], weight, bias)
        objective.backward()
        losses.append(objective.item())
        opt.step()
        record = {'weight': f32(weight.detach().reshape(-1).tolist()), 'bias': f32(bias.detach().tolist())}
        if record_asgd:
            sw, sb = opt.state[weight], opt.state[bias]
            record['eta'] = f32(sw['eta'].item())
            record['mu'] = f32(sw['mu'].item())
            record['ax'] = {'weight': f32(sw['ax'].reshape(-1).tolist()), 'bias': f32(sb['ax'].tolist())}
        steps.append(record)
    case = {
        'name': name,
        'optimizer': spec,
        'reference': reference_of(spec),
        'objective': 'negated_loss' if sign < 0 else 'loss',
        'lrs': lrs,
    }
    if momenta is not None:
        case['momenta'] = momenta
    case.update({'losses': f32(losses), 'steps': steps, 'final_state': state_of(opt)})
    return case


# ---- L-BFGS ------------------------------------------------------------------------------------

def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def run_lbfgs(problem, name, spec, outer_steps, objective):
    """Each outer step is one opt.step(closure): up to max_iter iterations. Records the loss step()
    returns, the parameters after it and torch's cumulative n_iter and func_evals.

    The closure evaluates the objective in float64 from the float32 parameters and hands L-BFGS the
    loss and gradient rounded to float32. L-BFGS amplifies gradient noise near the solution (it
    divides by differences of nearby gradients), and float32 autograd rounds differently from any
    other implementation; rounding an accurate value once gives a gradient the TypeScript test can
    reproduce exactly, so the comparison measures the optimizer, not the objective's arithmetic."""
    if objective == 'rosenbrock':
        params = [torch.tensor([-1.5, 2.0], requires_grad=True)]

        def value(ps):
            return rosenbrock(ps[0])
    else:
        params = [problem['weight'].clone().requires_grad_(True), problem['bias'].clone().requires_grad_(True)]
        A, T = problem['A'].double(), problem['T'].double()

        def value(ps):
            return base.loss_fn(A, T, ps[0], ps[1])
    opt = build(spec, params)

    def closure():
        opt.zero_grad()
        with torch.enable_grad():
            exact = [p.detach().double().requires_grad_(True) for p in params]
            loss = value(exact)
            loss.backward()
        for p, q in zip(params, exact):
            p.grad = q.grad.float()
        return loss.detach().float()

    steps = []
    for _ in range(outer_steps):
        loss = opt.step(closure)
        state = opt.state[params[0]]
        steps.append({
            'loss': f32(float(loss)),
            'params': [f32(p.detach().reshape(-1).tolist()) for p in params],
            'n_iter': state['n_iter'],
            'func_evals': state['func_evals'],
        })
    return {
        'name': name,
        'optimizer': spec,
        'reference': reference_of(spec),
        'objective': objective,
        'steps': steps,
        'final_state': state_of(opt),
    }


# ---- the strong-Wolfe line search alone -------------------------------------------------------------

# 1-D polynomials f(x) = sum(c_i x^(i+1)) and starts that drive torch's _strong_wolfe through every
# branch (found once by a random search; kept here as plain data): extrapolation, both bracketing
# exits, the zoom's high/low/swap updates, the insufficient-progress moves away from either end of
# the bracket, the cubic's no-minimum midpoint, and max_ls (f = -x never satisfies the curvature
# condition).
LINE_SEARCH_CASES = [
    ('extrapolates_then_zooms', [-0.29, -1.65, -2.27, 0.18], -1.24, 10.0),
    ('moves_away_from_the_low_end', [-0.09, -2.64, 1.9, -0.24], 0.08, 10.0),
    ('moves_away_from_the_high_end', [-2.58, 1.32, 2.92, -1.7], -0.56, 10.0),
    ('extrapolates_then_brackets_by_slope', [0.5, -1.0, 0.3, 0.2], 0.4, 1.0),
    ('extrapolates_past_a_cubic_without_minimum', [0.1, 0.8, -0.2, 0.05], -1.5, 0.01),
    ('max_ls_on_a_line', [-1.0, 0.0, 0.0, 0.0], 0.0, 1.0),
]

BRANCH_MARKS = {
    "            bracket_gtd = [gtd_prev, gtd_new]\n            break\n\n        if abs": 'bracket_armijo',
    "            done = True\n            break": 'wolfe_while_bracketing',
    "            bracket_gtd = [gtd_prev, gtd_new]\n            break\n\n        # interpolate": 'bracket_slope',
    "        min_step = t + 0.01 * (t - t_prev)\n": 'extrapolate',
    "        bracket = [0, t]\n": 'max_ls',
    "        return (xmin_bound + xmax_bound) / 2.": 'cubic_midpoint',
    "                    t = max(bracket) - eps\n": 'move_from_high_end',
    "                    t = min(bracket) + eps\n": 'move_from_low_end',
    "                insuf_progress = True\n": 'insufficient_progress',
    "            # Armijo condition not satisfied or not lower than lowest point\n": 'zoom_new_high',
    "                # old high becomes new low\n": 'zoom_swap',
    "                # Wolfe conditions satisfied\n": 'zoom_wolfe',
}


def instrumented_strong_wolfe():
    """A copy of torch's own _strong_wolfe source with a counter before each branch (used only to
    label what each case exercises; the recorded results come from the unmodified function)."""
    import collections
    import inspect
    import torch.optim.lbfgs as lbfgs_module
    source = inspect.getsource(lbfgs_module._cubic_interpolate) + '\n' + inspect.getsource(lbfgs_module._strong_wolfe)
    for text, name in BRANCH_MARKS.items():
        assert text in source, name
        if text.lstrip().startswith('return'):
            source = source.replace(text, text.replace('return', "HITS['%s'] += 1; return" % name, 1))
        else:
            indent = text[:len(text) - len(text.lstrip())]
            source = source.replace(text, "%sHITS['%s'] += 1\n%s" % (indent, name, text))
    scope = {'torch': torch, 'HITS': collections.Counter()}
    exec(compile(source, 'instrumented _strong_wolfe', 'exec'), scope)
    return scope['_strong_wolfe'], scope['HITS']


def line_search_cases():
    from torch.optim.lbfgs import _strong_wolfe as strong_wolfe
    counted, hits = instrumented_strong_wolfe()
    cases = []
    for name, coefs, x0, t0 in LINE_SEARCH_CASES:
        def at(x):
            """Loss and gradient in float64 at the float32 point x, rounded to float32 (as in run_lbfgs)."""
            e = x.detach().double().requires_grad_(True)
            with torch.enable_grad():
                loss = sum(c * e[0] ** (i + 1) for i, c in enumerate(coefs))
                loss.backward()
            return float(loss.float()), e.grad.float()

        def obj_func(x, t, d):
            p = x.clone()
            p.add_(d, alpha=t)
            return at(p)

        x = torch.tensor([x0])
        f, g = at(x)
        d = g.neg()
        gtd = g.dot(d)
        f_new, g_new, t, evals = strong_wolfe(obj_func, x, t0, d, f, g, gtd)
        hits.clear()
        counted(obj_func, x, t0, d, f, g, gtd)
        cases.append({
            'name': name, 'coefficients': coefs, 'x0': f32(x0), 't0': t0,
            'f': f32(f), 'g': f32(g.tolist()), 'd': f32(d.tolist()), 'gtd': f32(float(gtd)),
            'result': {'f': f32(float(f_new)), 'g': f32(g_new.tolist()), 't': f32(float(t)), 'evals': evals},
            'branches': sorted(hits),
        })
    return cases


# ---- the seed's quartic ------------------------------------------------------------------------

# Seed 004's code, verbatim apart from the layout.
def obj_fun(val):
    a4 = 319/8400
    a3 = 43/4200
    a2 = -6799/8400
    a1 = -299/840
    a0 = 6
    return a4*val**4 + a3*val**3 + a2*val**2 + a1*val + a0


def obj_fun_deriv(val):
    a4 = 319/8400
    a3 = 43/4200
    a2 = -6799/8400
    a1 = -299/840
    return 4*a4*val**3 + 3*a3*val**2 + 2*a2*val + a1


def vanilla_gd(start_val, alpha=0.1, n_iter=100):
    val = start_val
    list_vals = [val]
    for iter_num in range(n_iter):
        val -= alpha*obj_fun_deriv(val)
        list_vals.append(val)
    return val, list_vals


def momentum_gd(start_val, alpha=0.1, mu=0.1, n_iter=100):
    val = start_val
    mom = 0
    list_vals = [val]
    for iter_num in range(n_iter):
        grad = -alpha*obj_fun_deriv(val)
        mom = mu*mom + grad
        val += mom
        list_vals.append(val)
    return val, list_vals


def vanilla_gd_lrdecay(start_val, alpha=0.1, alpha_decay_fac=0.99, n_iter=100):
    val = start_val
    list_vals = [val]
    for iter_num in range(n_iter):
        alpha *= alpha_decay_fac
        val += -alpha*obj_fun_deriv(val)
        list_vals.append(val)
    return val, list_vals


def vanilla_gd_gradlr(start_val, alpha=0.1, alpha_control_fac=0.99, n_iter=100):
    val = start_val
    list_vals = [val]
    for iter_num in range(n_iter):
        grad = obj_fun_deriv(val)
        alpha *= 1/(1 + alpha_control_fac*np.sqrt(np.abs(grad)))
        val += -alpha*grad
        list_vals.append(val)
    return val, list_vals


def seed_runs():
    runs = []

    def add(function, spec, start, **kwargs):
        end, values = function(start, **kwargs)
        runs.append({'function': function.__name__, 'arguments': dict(start_val=start, **kwargs),
                     'optimizer': spec, 'end': float(end), 'values': [float(v) for v in values]})

    for start in (5.0, -5.0):
        add(vanilla_gd, dict(type='sgd', lr=0.1, momentum=0.0, dampening=0.0, weight_decay=0.0,
                             nesterov=False, maximize=False), start, alpha=0.1, n_iter=100)
        # The seed's own momentum cases: mu = 0.1 from both starts, mu = 0.9 from -5 (the escape).
        for mu in ((0.1,) if start > 0 else (0.1, 0.9)):
            add(momentum_gd, dict(type='sgd', lr=0.1, momentum=mu, dampening=0.0, weight_decay=0.0,
                                  nesterov=False, maximize=False), start, alpha=0.1, mu=mu, n_iter=100)
        add(vanilla_gd_lrdecay, dict(type='sgd_lr_decay', lr=0.1, decay=0.99), start,
            alpha=0.1, alpha_decay_fac=0.99, n_iter=100)
        add(vanilla_gd_gradlr, dict(type='sgd_grad_lr_control', lr=0.1, control_factor=0.99), start,
            alpha=0.1, alpha_control_fac=0.99, n_iter=100)
    return runs


# ---- output ---------------------------------------------------------------------------------------

def write(file_name, doc):
    path = os.path.join(base.OUT_DIR, file_name)
    text = json.dumps(doc, indent=1)
    text = re.sub(r'\[[-0-9.e+,\snul]+\]', lambda m: re.sub(r'\s+', '', m.group(0)), text)
    with open(path, 'w') as out:
        out.write(text + '\n')
    print('wrote', os.path.relpath(path), '%.1f KB' % (len(text) / 1024))


def problem_doc(problem, cases):
    return {
        'generator': 'test/torch/gen_optim_golden_more.py',
        'torch_version': torch.__version__,
        'loss': 'sum((A @ weight + bias - T)^2) + l4 * (sum(weight^4) + sum(bias^4))',
        'l4': base.L4,
        'A': f32(problem['A'].tolist()),
        'T': f32(problem['T'].tolist()),
        'initial': {'weight': f32(problem['weight'].tolist()), 'bias': f32(problem['bias'].tolist())},
        'cases': cases,
    }


def main():
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    problem = base.make_problem()

    def spec(kind, **overrides):
        return {**DEFAULTS[kind], **overrides}

    cycle = [0.95 - 0.5 * (k % 5) / 5 for k in range(STEPS)]  # a momentum schedule, as OneCycle writes it
    run = lambda name, s, **kw: run_case(problem, name, s, **kw)  # noqa: E731

    write('optim_adaptive.json', problem_doc(problem, [
        run('adagrad_default', spec('adagrad')),
        run('adagrad_lr_decay_initial_accumulator', spec('adagrad', lr=0.1, lr_decay=0.05, initial_accumulator_value=0.5,
                                                        weight_decay=0.1, eps=1e-6)),
        run('adagrad_maximize', spec('adagrad', lr=0.1, maximize=True)),
        run('rmsprop_default', spec('rmsprop')),
        run('rmsprop_centered_momentum', spec('rmsprop', lr=0.005, centered=True, momentum=0.9, alpha=0.9)),
        run('rmsprop_weight_decay_maximize', spec('rmsprop', weight_decay=0.1, eps=1e-4, maximize=True)),
        run('rmsprop_momentum_schedule', spec('rmsprop', lr=0.005, momentum=0.9), momenta=cycle),
        run('adadelta_default', spec('adadelta')),
        run('adadelta_rho_eps_weight_decay', spec('adadelta', lr=5.0, rho=0.5, eps=1e-4, weight_decay=0.1)),
        run('adadelta_maximize', spec('adadelta', lr=2.0, maximize=True)),
    ]))
    write('optim_adam_family.json', problem_doc(problem, [
        run('adamw_default', spec('adamw')),
        run('adamw_amsgrad', spec('adamw', lr=0.05, betas=[0.9, 0.9], amsgrad=True, weight_decay=0.1)),
        run('adamw_maximize', spec('adamw', lr=0.05, maximize=True)),
        run('adamw_momentum_schedule', spec('adamw', lr=0.05), momenta=cycle),
        run('adamax_default', spec('adamax')),
        run('adamax_weight_decay_maximize', spec('adamax', lr=0.05, betas=[0.8, 0.99], weight_decay=0.1, maximize=True)),
        run('nadam_default', spec('nadam')),
        run('nadam_weight_decay_momentum_decay', spec('nadam', lr=0.05, weight_decay=0.1, momentum_decay=0.05)),
        run('nadam_momentum_schedule', spec('nadam', lr=0.05), momenta=cycle),
        run('radam_default', spec('radam')),
        # beta2 = 0.9 makes rho_t exceed 5 from step 6 on: both branches of the update.
        run('radam_betas_weight_decay', spec('radam', lr=0.05, betas=[0.8, 0.9], weight_decay=0.1, eps=1e-6)),
    ]))
    write('optim_asgd_rprop.json', problem_doc(problem, [
        run('asgd_default', spec('asgd'), record_asgd=True),
        run('asgd_averaging', spec('asgd', lr=0.02, lambd=0.01, alpha=0.5, t0=4, weight_decay=0.05), record_asgd=True),
        run('asgd_maximize', spec('asgd', t0=2, maximize=True), record_asgd=True),
        run('rprop_default', spec('rprop')),
        run('rprop_custom_etas_step_sizes', spec('rprop', lr=0.05, etas=[0.3, 1.5], step_sizes=[0.01, 0.08])),
        run('rprop_maximize', spec('rprop', maximize=True)),
    ]))
    write('optim_lookahead.json', problem_doc(problem, [
        run('lookahead_sgd_momentum', dict(type='lookahead', k=5, alpha=0.5,
                                           optimizer=spec('sgd', lr=0.01, momentum=0.9))),
        run('lookahead_adam_k3', dict(type='lookahead', k=3, alpha=0.8, optimizer=spec('adam', lr=0.05))),
    ]))

    # L-BFGS turns float32 rounding differences into diverging paths once the curvature pairs come
    # from nearly equal gradients (on Rosenbrock, ~3x per iteration after 12-20 iterations), so the
    # runs stop while any two faithful float32 implementations still agree to ~1e-6.
    lbfgs = [
        run_lbfgs(problem, 'rosenbrock_strong_wolfe', spec('lbfgs', max_iter=4, line_search_fn='strong_wolfe'), 3, 'rosenbrock'),
        run_lbfgs(problem, 'rosenbrock_no_line_search', spec('lbfgs', lr=0.5, max_iter=7), 3, 'rosenbrock'),
        run_lbfgs(problem, 'rosenbrock_strong_wolfe_history_3', spec('lbfgs', lr=0.1, max_iter=4, history_size=3,
                                                                     line_search_fn='strong_wolfe'), 2, 'rosenbrock'),
        run_lbfgs(problem, 'quartic_strong_wolfe', spec('lbfgs', max_iter=4, history_size=3, line_search_fn='strong_wolfe'),
                  3, 'quartic'),
        run_lbfgs(problem, 'quartic_default', spec('lbfgs'), 1, 'quartic'),
        run_lbfgs(problem, 'quartic_max_eval', spec('lbfgs', max_iter=10, max_eval=6, history_size=4), 2, 'quartic'),
        run_lbfgs(problem, 'quartic_tolerance_change', spec('lbfgs', max_iter=50, tolerance_change=1e-2), 2, 'quartic'),
    ]
    doc = problem_doc(problem, lbfgs)
    doc['rosenbrock'] = {'loss': '(1 - x0)^2 + 100 (x1 - x0^2)^2', 'x0': [-1.5, 2.0]}
    doc['quartic'] = 'the loss above, on weight and bias'
    doc['line_search'] = line_search_cases()
    write('optim_lbfgs.json', doc)

    write('optim_seed_quartic.json', {
        'generator': 'test/torch/gen_optim_golden_more.py',
        'source': 'seed 004 (optimizers lecture): obj_fun, vanilla_gd, momentum_gd, vanilla_gd_lrdecay, vanilla_gd_gradlr, run verbatim in float64',
        'published': {
            'global_min': 3.2727653395584366,
            'local_min': -3.254993730859254,
            'vanilla_gd_from_5': 3.2727653395584366,
            'vanilla_gd_from_-5': -3.254993730859254,
            'momentum_gd_mu_0.1_from_5': 3.272765339558436,
            'momentum_gd_mu_0.1_from_-5': -3.254993730859254,
            'momentum_gd_mu_0.9_from_-5': 3.267681061691328,
        },
        'runs': seed_runs(),
    })


DEFAULTS = {
    'sgd': dict(type='sgd', lr=0.01, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False),
    'adam': dict(type='adam', lr=0.001, betas=[0.9, 0.999], eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False),
    'adagrad': dict(type='adagrad', lr=0.01, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10,
                    maximize=False),
    'rmsprop': dict(type='rmsprop', lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False,
                    maximize=False),
    'adadelta': dict(type='adadelta', lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, maximize=False),
    'adamw': dict(type='adamw', lr=0.001, betas=[0.9, 0.999], eps=1e-8, weight_decay=0.01, amsgrad=False, maximize=False),
    'adamax': dict(type='adamax', lr=0.002, betas=[0.9, 0.999], eps=1e-8, weight_decay=0.0, maximize=False),
    'nadam': dict(type='nadam', lr=0.002, betas=[0.9, 0.999], eps=1e-8, weight_decay=0.0, momentum_decay=0.004),
    'radam': dict(type='radam', lr=0.001, betas=[0.9, 0.999], eps=1e-8, weight_decay=0.0),
    'asgd': dict(type='asgd', lr=0.01, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0.0, maximize=False),
    'rprop': dict(type='rprop', lr=0.01, etas=[0.5, 1.2], step_sizes=[1e-6, 50], maximize=False),
    'lbfgs': dict(type='lbfgs', lr=1, max_iter=20, tolerance_grad=1e-7, tolerance_change=1e-9, history_size=100,
                  line_search_fn='none'),
}

if __name__ == '__main__':
    main()
