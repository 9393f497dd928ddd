"""Golden trajectories of torch.optim.SGD and torch.optim.Adam for test/unit/engine/optim.test.ts.

Run with Debian's PyTorch:  /usr/bin/python3 test/torch/gen_optim_golden.py
Writes test/fixtures/torch/optim_sgd.json and optim_adam.json.

The problem depends on no model code of ours, only on two float32 tensors shaped like a linear
layer (weight 3x4, bias 4) and a smooth, non-quadratic loss whose gradient the TS test computes
in closed form:

    R    = A @ W + 1 bias^T - T                 (A: 5x3, T: 5x4, fixed data in the fixture)
    loss = sum(R^2) + 0.1 * (sum(W^4) + sum(bias^4))
    dW   = 2 A^T R + 0.4 W^3
    dbias = 2 * column sums of R + 0.4 bias^3

`maximize` cases maximize -loss, which must follow the same path as minimizing loss.
Each case records, for every step k: the lr used, the loss before the step, the parameters after.
Only float32 values are stored, printed with 9 significant digits (enough to round-trip float32).
"""

import json
import os
import re

import torch

STEPS = 15
L4 = 0.1
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'torch')

SGD_DEFAULTS = dict(type='sgd', lr=0.01, momentum=0.0, dampening=0.0, weight_decay=0.0,
                    nesterov=False, maximize=False)
ADAM_DEFAULTS = dict(type='adam', lr=0.001, betas=[0.9, 0.999], eps=1e-8, weight_decay=0.0,
                     amsgrad=False, maximize=False)


def f32(values):
    """Nested lists of float32 tensor values, 9 significant digits (exact float32 round trip)."""
    if isinstance(values, list):
        return [f32(v) for v in values]
    return float('%.9g' % values)


def make_problem():
    gen = torch.Generator().manual_seed(20240601)
    return dict(
        A=torch.randn(5, 3, generator=gen),
        T=torch.randn(5, 4, generator=gen),
        weight=torch.randn(3, 4, generator=gen),
        bias=0.5 * torch.randn(4, generator=gen),
    )


def loss_fn(A, T, weight, bias):
    residual = A @ weight + bias - T
    return (residual ** 2).sum() + L4 * ((weight ** 4).sum() + (bias ** 4).sum())


def run_case(problem, name, spec, lrs=None):
    weight = problem['weight'].clone().requires_grad_(True)
    bias = problem['bias'].clone().requires_grad_(True)
    kwargs = {k: v for k, v in spec.items() if k != 'type'}
    if spec['type'] == 'sgd':
        opt = torch.optim.SGD([weight, bias], foreach=False, **kwargs)
    else:
        kwargs['betas'] = tuple(kwargs['betas'])
        opt = torch.optim.Adam([weight, bias], foreach=False, **kwargs)
    lrs = lrs or [spec['lr']] * STEPS
    sign = -1.0 if spec['maximize'] else 1.0
    losses, steps = [], []
    for k in range(STEPS):
        for group in opt.param_groups:
            group['lr'] = lrs[k]
        opt.zero_grad()
        objective = sign * loss_fn(problem['A'], problem['T'], weight, bias)
        objective.backward()
        losses.append(objective.item())
        grads = {'weight': weight.grad.tolist(), 'bias': bias.grad.tolist()}
        opt.step()
        steps.append({
            'grad': {n: f32(g) for n, g in grads.items()},
            'params': {'weight': f32(weight.detach().tolist()), 'bias': f32(bias.detach().tolist())},
        })
    return {
        'name': name,
        'optimizer': spec,
        'objective': 'negated_loss' if spec['maximize'] else 'loss',
        'lrs': lrs,
        'losses': f32(losses),
        'steps': steps,
    }


def write(file_name, problem, cases):
    doc = {
        'generator': 'test/torch/gen_optim_golden.py',
        'torch_version': torch.__version__,
        'loss': 'sum((A @ weight + bias - T)^2) + l4 * (sum(weight^4) + sum(bias^4))',
        'l4': L4,
        'A': f32(problem['A'].tolist()),
        'T': f32(problem['T'].tolist()),
        'initial': {'weight': f32(problem['weight'].tolist()), 'bias': f32(problem['bias'].tolist())},
        'cases': cases,
    }
    path = os.path.join(OUT_DIR, file_name)
    text = json.dumps(doc, indent=1)
    # Keep the structure readable but put each list of numbers on one line.
    text = re.sub(r'\[[-0-9.e+,\s]+\]', lambda m: re.sub(r'\s+', '', m.group(0)), text)
    with open(path, 'w') as out:
        out.write(text + '\n')
    print('wrote', os.path.relpath(path), len(cases), 'cases')


def main():
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    problem = make_problem()

    def sgd(**overrides):
        return {**SGD_DEFAULTS, **overrides}

    def adam(**overrides):
        return {**ADAM_DEFAULTS, **overrides}

    halving = [0.05 * 0.5 ** (k // 5) for k in range(STEPS)]
    write('optim_sgd.json', problem, [
        run_case(problem, 'sgd_default', sgd()),
        run_case(problem, 'sgd_momentum', sgd(momentum=0.9)),
        run_case(problem, 'sgd_momentum_dampening', sgd(momentum=0.9, dampening=0.5)),
        run_case(problem, 'sgd_nesterov', sgd(momentum=0.9, nesterov=True)),
        run_case(problem, 'sgd_weight_decay', sgd(weight_decay=0.1)),
        run_case(problem, 'sgd_momentum_weight_decay', sgd(momentum=0.8, weight_decay=0.05)),
        run_case(problem, 'sgd_maximize', sgd(maximize=True)),
        run_case(problem, 'sgd_momentum_lr_schedule', sgd(lr=0.01, momentum=0.9),
                 lrs=[0.01 * 0.5 ** (k // 5) for k in range(STEPS)]),
    ])
    write('optim_adam.json', problem, [
        run_case(problem, 'adam_default', adam(lr=0.05)),
        run_case(problem, 'adam_amsgrad', adam(lr=0.05, amsgrad=True)),
        # A short second-moment memory lets v shrink, so the running max really differs from v.
        run_case(problem, 'adam_amsgrad_beta2_0.9', adam(lr=0.05, betas=[0.9, 0.9], amsgrad=True)),
        run_case(problem, 'adam_weight_decay', adam(lr=0.05, weight_decay=0.1)),
        run_case(problem, 'adam_betas_eps', adam(lr=0.05, betas=[0.8, 0.99], eps=1e-3)),
        run_case(problem, 'adam_maximize', adam(lr=0.05, maximize=True)),
        run_case(problem, 'adam_amsgrad_weight_decay_maximize',
                 adam(lr=0.05, amsgrad=True, weight_decay=0.05, maximize=True)),
        run_case(problem, 'adam_lr_schedule', adam(lr=0.05), lrs=halving),
    ])


if __name__ == '__main__':
    main()
