"""Golden learning-rate (and momentum) sequences of torch.optim.lr_scheduler for
test/unit/engine/schedule-golden.test.ts.

Run with Debian's PyTorch:  /usr/bin/python3 test/torch/gen_schedule_golden.py
Writes test/fixtures/torch/schedule_golden.json.

Each case is written as the experiment file's `schedule` value *as a user would write it* (only the
keys that differ from the defaults). The generator passes exactly those keys to torch, so torch fills
in its own defaults, while the TypeScript test fills the missing keys from engine/schedule/fields.ts:
the fixture therefore also checks that our default table is torch's.

Mapping from our spec to torch (everything else is passed through under the same name):
  - `type` picks the class (step -> StepLR, cosine_annealing -> CosineAnnealingLR, ...); `interval`
    is ours only (when the training loop calls step()), torch never sees it.
  - inverse_time is not in torch: it is LambdaLR with factor 1 / (1 + decay_rate * t / decay_steps)
    (t floored to whole decay_steps when staircase), Keras' InverseTimeDecay.
  - keys we allow to be omitted although torch requires them are filled from the run's length in
    interval units (`length` below), as engine/schedule does: cosine_annealing's T_max, one_cycle's
    total_steps, cyclic's base_lr (the optimizer's lr), and the children of `sequential` get the length
    of their segment between milestones.

For every case the fixture records the lr (and momentum: SGD's `momentum` or Adam's betas[0]) right
after the scheduler's construction and after each scheduler.step() (optimizer.step() is called before
each, as in a training loop; there are no gradients, so it changes nothing but torch's step counter).
Values are doubles written by repr(), which round-trips exactly.
"""

import json
import math
import os
import re
import warnings

import torch
from torch.optim import lr_scheduler as S

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'torch',
                   'schedule_golden.json')

CLASSES = {
    'step': S.StepLR,
    'multi_step': S.MultiStepLR,
    'exponential': S.ExponentialLR,
    'cosine_annealing': S.CosineAnnealingLR,
    'cosine_annealing_warm_restarts': S.CosineAnnealingWarmRestarts,
    'one_cycle': S.OneCycleLR,
    'cyclic': S.CyclicLR,
    'linear': S.LinearLR,
    'constant': S.ConstantLR,
    'polynomial': S.PolynomialLR,
    'reduce_lr_on_plateau': S.ReduceLROnPlateau,
}


def run_length(schedule, context):
    """Number of scheduler steps in the run, in the schedule's interval units (engine/schedule)."""
    interval = schedule.get('interval', 'step' if schedule['type'] in ('one_cycle', 'cyclic') else 'epoch')
    per_epoch = context['stepsPerEpoch'] if interval == 'step' else 1
    return context['epochs'] * per_epoch


def build(schedule, opt, length):
    """The torch scheduler for one of our schedule specs (see the module docstring)."""
    kind = schedule['type']
    kwargs = {k: v for k, v in schedule.items() if k not in ('type', 'interval')}
    if kind == 'inverse_time':
        rate = kwargs['decay_rate']
        steps = kwargs.get('decay_steps', 1)
        staircase = kwargs.get('staircase', False)

        def factor(t):
            p = math.floor(t / steps) if staircase else t / steps
            return 1 / (1 + rate * p)
        return S.LambdaLR(opt, factor)
    if kind == 'sequential':
        milestones = kwargs['milestones']
        bounds = [0] + milestones + [length]
        children = [build(child, opt, bounds[i + 1] - bounds[i])
                    for i, child in enumerate(kwargs['schedulers'])]
        return S.SequentialLR(opt, children, milestones)
    if kind == 'chained':
        return S.ChainedScheduler([build(child, opt, length) for child in kwargs['schedulers']])
    if kind == 'multiplicative':
        factor = kwargs['factor']
        return S.MultiplicativeLR(opt, lambda epoch: factor)
    if kind == 'cosine_annealing':
        kwargs.setdefault('T_max', length)
    if kind == 'one_cycle' and not any(k in kwargs for k in ('total_steps', 'epochs', 'steps_per_epoch')):
        kwargs['total_steps'] = length
    if kind == 'cyclic':
        kwargs.setdefault('base_lr', opt.param_groups[0]['lr'])
    return CLASSES[kind](opt, **kwargs)


def momentum_of(opt):
    group = opt.param_groups[0]
    return group['betas'][0] if 'betas' in group else group['momentum']


def run_case(name, schedule, optimizer, steps, context=None, metrics=None, check_extra_step_raises=False):
    context = context or {'epochs': steps, 'stepsPerEpoch': 1}
    param = torch.zeros(3, requires_grad=True)
    opt_kwargs = {k: v for k, v in optimizer.items() if k != 'type'}
    if optimizer['type'] == 'sgd':
        opt = torch.optim.SGD([param], **opt_kwargs)
    else:
        opt_kwargs['betas'] = tuple(opt_kwargs['betas'])
        opt = torch.optim.Adam([param], **opt_kwargs)
    scheduler = build(schedule, opt, run_length(schedule, context))
    lrs = [opt.param_groups[0]['lr']]
    momentums = [momentum_of(opt)]
    for k in range(steps):
        opt.step()
        if metrics is not None:
            scheduler.step(metrics[k])
        else:
            scheduler.step()
        lrs.append(opt.param_groups[0]['lr'])
        momentums.append(momentum_of(opt))
    case = {'name': name, 'schedule': schedule, 'optimizer': optimizer, 'context': context, 'steps': steps}
    if metrics is not None:
        case['metrics'] = metrics[:steps]
    if check_extra_step_raises:
        opt.step()
        try:
            scheduler.step()
        except ValueError as error:
            case['extra_step_raises'] = str(error)
        else:
            raise AssertionError(name + ': torch did not raise on the extra step')
    case['lrs'] = lrs
    case['momentums'] = momentums
    return case


def plateau_metrics(n):
    """A loss-like curve: stretches of clear improvement, then plateaus whose tiny improvements (relative
    1e-5) fall below the default threshold, followed by bumps up and down that never beat the best."""
    values, v = [], 1.0
    for i in range(n):
        phase = (i // 9) % 3
        if phase == 0:
            v *= 0.9
        elif phase == 1:
            v *= 1 - 1e-5
        else:
            v *= 1.001 if (i % 9) % 2 == 0 else 0.9995
        values.append(v)
    return values


def abs_metrics(n):
    """Steps of 0.02 (above an abs threshold of 0.01) alternating with steps of 0.005 (below it)."""
    values, v = [], 2.0
    for i in range(n):
        v -= 0.02 if (i // 6) % 2 == 0 else 0.005
        values.append(v)
    return values


def main():
    warnings.simplefilter('ignore')
    torch.set_num_threads(1)
    sgd = {'type': 'sgd', 'lr': 0.1, 'momentum': 0.9}
    sgd_small = {'type': 'sgd', 'lr': 0.05, 'momentum': 0.9}
    adam = {'type': 'adam', 'lr': 1e-3, 'betas': [0.9, 0.999]}

    cases = [
        run_case('step', {'type': 'step', 'step_size': 3}, sgd, 30),
        run_case('step_gamma_half', {'type': 'step', 'step_size': 7, 'gamma': 0.5}, sgd, 40),
        # A repeated milestone multiplies by gamma twice (torch counts milestones with a Counter).
        run_case('multi_step', {'type': 'multi_step', 'milestones': [5, 12, 12, 30]}, sgd, 40),
        run_case('multi_step_gamma', {'type': 'multi_step', 'milestones': [3, 10, 20], 'gamma': 0.5}, sgd, 30),
        run_case('exponential', {'type': 'exponential', 'gamma': 0.9}, sgd, 40),
        run_case('exponential_slow', {'type': 'exponential', 'gamma': 0.99}, sgd, 60),
        run_case('inverse_time', {'type': 'inverse_time', 'decay_rate': 0.5}, sgd, 40),
        run_case('inverse_time_staircase',
                 {'type': 'inverse_time', 'decay_rate': 1.0, 'decay_steps': 5, 'staircase': True}, sgd, 40),
        # Past T_max torch's recursion climbs back up (its "(2k+1)·T_max" branch).
        run_case('cosine_annealing', {'type': 'cosine_annealing', 'T_max': 10}, sgd, 40),
        run_case('cosine_annealing_eta_min', {'type': 'cosine_annealing', 'T_max': 25, 'eta_min': 0.001}, sgd, 60),
        run_case('cosine_annealing_run_length', {'type': 'cosine_annealing'}, sgd, 30,
                 context={'epochs': 30, 'stepsPerEpoch': 4}),
        run_case('cosine_annealing_per_step', {'type': 'cosine_annealing', 'interval': 'step'}, sgd, 36,
                 context={'epochs': 4, 'stepsPerEpoch': 9}),
        run_case('cosine_annealing_warm_restarts', {'type': 'cosine_annealing_warm_restarts', 'T_0': 10}, sgd, 40),
        run_case('cosine_annealing_warm_restarts_mult2',
                 {'type': 'cosine_annealing_warm_restarts', 'T_0': 3, 'T_mult': 2, 'eta_min': 0.01}, sgd, 50),
        run_case('one_cycle', {'type': 'one_cycle', 'max_lr': 0.1, 'total_steps': 50}, sgd, 50,
                 check_extra_step_raises=True),
        run_case('one_cycle_linear',
                 {'type': 'one_cycle', 'max_lr': 0.2, 'total_steps': 40, 'pct_start': 0.25,
                  'anneal_strategy': 'linear', 'div_factor': 10.0, 'final_div_factor': 100.0}, sgd, 40),
        run_case('one_cycle_three_phase',
                 {'type': 'one_cycle', 'max_lr': 0.1, 'total_steps': 45, 'three_phase': True}, sgd, 45),
        run_case('one_cycle_three_phase_linear',
                 {'type': 'one_cycle', 'max_lr': 0.1, 'total_steps': 33, 'three_phase': True,
                  'anneal_strategy': 'linear', 'base_momentum': 0.8, 'max_momentum': 0.9}, sgd, 33),
        run_case('one_cycle_adam', {'type': 'one_cycle', 'max_lr': 0.01, 'total_steps': 40}, adam, 40),
        run_case('one_cycle_from_run_length', {'type': 'one_cycle', 'max_lr': 0.1}, sgd, 42,
                 context={'epochs': 6, 'stepsPerEpoch': 7}),
        run_case('one_cycle_epochs_steps_per_epoch',
                 {'type': 'one_cycle', 'max_lr': 0.1, 'epochs': 5, 'steps_per_epoch': 8}, sgd, 40),
        run_case('one_cycle_no_momentum', {'type': 'one_cycle', 'max_lr': 0.1, 'total_steps': 30,
                                           'cycle_momentum': False}, sgd, 30),
        run_case('cyclic', {'type': 'cyclic', 'base_lr': 0.01, 'max_lr': 0.1, 'step_size_up': 5}, sgd, 40),
        run_case('cyclic_defaults', {'type': 'cyclic', 'max_lr': 0.5}, sgd_small, 30),
        run_case('cyclic_triangular2',
                 {'type': 'cyclic', 'base_lr': 0.01, 'max_lr': 0.1, 'step_size_up': 4, 'step_size_down': 6,
                  'mode': 'triangular2'}, sgd, 60),
        run_case('cyclic_exp_range',
                 {'type': 'cyclic', 'base_lr': 0.01, 'max_lr': 0.1, 'step_size_up': 5, 'mode': 'exp_range',
                  'gamma': 0.97, 'base_momentum': 0.85, 'max_momentum': 0.95}, sgd, 50),
        run_case('cyclic_no_momentum',
                 {'type': 'cyclic', 'base_lr': 0.01, 'max_lr': 0.1, 'step_size_up': 3, 'cycle_momentum': False},
                 sgd, 20),
        run_case('linear', {'type': 'linear'}, sgd, 15),
        run_case('linear_decay', {'type': 'linear', 'start_factor': 1.0, 'end_factor': 0.1, 'total_iters': 20},
                 sgd, 30),
        run_case('constant', {'type': 'constant'}, sgd, 12),
        run_case('constant_half', {'type': 'constant', 'factor': 0.5, 'total_iters': 8}, sgd, 15),
        run_case('polynomial', {'type': 'polynomial'}, sgd, 10),
        run_case('polynomial_power2', {'type': 'polynomial', 'total_iters': 30, 'power': 2.0}, sgd, 40),
        run_case('polynomial_sqrt', {'type': 'polynomial', 'total_iters': 20, 'power': 0.5}, sgd, 25),
        run_case('sequential_warmup_cosine',
                 {'type': 'sequential', 'milestones': [5],
                  'schedulers': [{'type': 'linear', 'start_factor': 0.1, 'total_iters': 5},
                                 {'type': 'cosine_annealing', 'T_max': 25}]}, sgd, 40),
        run_case('sequential_warmup_cosine_run_length',
                 {'type': 'sequential', 'milestones': [4],
                  'schedulers': [{'type': 'linear', 'start_factor': 0.25, 'total_iters': 4},
                                 {'type': 'cosine_annealing', 'eta_min': 0.002}]}, sgd, 30),
        run_case('sequential_three',
                 {'type': 'sequential', 'milestones': [4, 15],
                  'schedulers': [{'type': 'constant', 'factor': 0.5, 'total_iters': 3},
                                 {'type': 'exponential', 'gamma': 0.9},
                                 {'type': 'step', 'step_size': 4, 'gamma': 0.5}]}, sgd, 30),
        run_case('sequential_restarts_then_one_cycle',
                 {'type': 'sequential', 'milestones': [12],
                  'schedulers': [{'type': 'cosine_annealing_warm_restarts', 'T_0': 5},
                                 {'type': 'one_cycle', 'max_lr': 0.3, 'cycle_momentum': False}]}, sgd, 30),
        run_case('multiplicative', {'type': 'multiplicative', 'factor': 0.9}, sgd, 20),
        run_case('sequential_then_multiplicative',
                 {'type': 'sequential', 'milestones': [6],
                  'schedulers': [{'type': 'constant', 'factor': 0.5, 'total_iters': 4},
                                 {'type': 'multiplicative', 'factor': 0.8}]}, sgd, 20),
        run_case('chained_warmup_exponential',
                 {'type': 'chained',
                  'schedulers': [{'type': 'linear', 'start_factor': 0.1, 'total_iters': 5},
                                 {'type': 'exponential', 'gamma': 0.95}]}, sgd, 30),
        run_case('chained_step_multiplicative_constant',
                 {'type': 'chained',
                  'schedulers': [{'type': 'step', 'step_size': 4, 'gamma': 0.5},
                                 {'type': 'multiplicative', 'factor': 0.97},
                                 {'type': 'constant', 'factor': 0.25, 'total_iters': 3}]}, sgd, 20),
        run_case('chained_cosine', {'type': 'chained', 'schedulers': [{'type': 'cosine_annealing', 'T_max': 10}]}, sgd, 15),
        run_case('reduce_lr_on_plateau', {'type': 'reduce_lr_on_plateau'}, sgd, 60, metrics=plateau_metrics(60)),
        run_case('reduce_lr_on_plateau_patience_cooldown',
                 {'type': 'reduce_lr_on_plateau', 'patience': 2, 'cooldown': 3, 'factor': 0.5}, sgd, 60,
                 metrics=plateau_metrics(60)),
        run_case('reduce_lr_on_plateau_abs_min_lr',
                 {'type': 'reduce_lr_on_plateau', 'threshold_mode': 'abs', 'threshold': 0.01, 'patience': 1,
                  'min_lr': 0.004, 'factor': 0.3}, sgd, 50, metrics=abs_metrics(50)),
        run_case('reduce_lr_on_plateau_max_rel',
                 {'type': 'reduce_lr_on_plateau', 'mode': 'max', 'patience': 3, 'cooldown': 1}, sgd, 60,
                 metrics=[1 - m for m in plateau_metrics(60)]),
        run_case('reduce_lr_on_plateau_max_abs',
                 {'type': 'reduce_lr_on_plateau', 'mode': 'max', 'threshold_mode': 'abs', 'threshold': 0.01,
                  'patience': 0, 'factor': 0.5}, sgd, 50, metrics=[-m for m in abs_metrics(50)]),
        # eps: once lr * factor is within 1e-3 of lr, reductions stop.
        run_case('reduce_lr_on_plateau_eps',
                 {'type': 'reduce_lr_on_plateau', 'patience': 0, 'factor': 0.5, 'eps': 1e-3}, sgd, 20,
                 metrics=[1.0] * 20),
    ]
    doc = {
        'generator': 'test/torch/gen_schedule_golden.py',
        'torch_version': torch.__version__,
        'cases': cases,
    }
    text = json.dumps(doc, indent=1)
    text = re.sub(r'\[[-0-9.e+,\s]+\]', lambda m: re.sub(r'\s+', '', m.group(0)), text)
    with open(OUT, 'w') as out:
        out.write(text + '\n')
    print('wrote', os.path.relpath(OUT), len(cases), 'cases,', len(text), 'bytes')


if __name__ == '__main__':
    main()
