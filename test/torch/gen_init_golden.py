"""Golden initializer distributions and gains for test/unit/engine/init.test.ts.

Run with Debian's PyTorch:  /usr/bin/python3 test/torch/gen_init_golden.py
Writes test/fixtures/torch/init_golden.json (seconds) and, unless --skip-activations is given,
test/fixtures/torch/init_activation_statistics.json (a few minutes: see gen_activation_statistics).

Random draws cannot match (our RNG is not torch's Mersenne Twister), so the golden values are the
*parameters* torch draws with: every torch.nn.init function ends in Tensor.uniform_(low, high),
Tensor.normal_(mean, std), Tensor.fill_(value) or Tensor.zero_(), and we record the arguments of
that final call. This proves the TS formulas (fans, gains, √3 factors, nn.Linear's default) are
torch's own, not a re-derivation of them. The structured initializers record more:

- trunc_normal_: the range of its uniform_ call, [2Φ(α) − 1, 2Φ(β) − 1), and the truncated
  normal's analytic mean and std (computed here with Python's math.erf);
- sparse_: the std of its normal_ call and the number of zeros torch leaves in each column;
- orthogonal_: the normal matrix torch drew and torch's result, in float64, so the TS Householder
  QR with the sign correction can be compared with LAPACK's entry by entry;
- lecun_uniform / lecun_normal (not in torch): torch's kaiming_*_(mode='fan_in',
  nonlinearity='linear'), which is the same distribution;
- erf / erfinv reference values (Python's math.erf/erfc; mpmath at 40 digits for erfinv).
"""

import json
import math
import os
import sys

import mpmath
import torch
from torch import nn

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'torch')
OUT = os.path.join(FIXTURES, 'init_golden.json')

_recorded = []


def _recorder(kind, original, describe):
    def method(self, *args, **kwargs):
        _recorded.append(describe(*args, **kwargs))
        return original(self, *args, **kwargs)
    return method


torch.Tensor.uniform_ = _recorder('uniform', torch.Tensor.uniform_,
                                  lambda a=0.0, b=1.0: {'kind': 'uniform', 'low': a, 'high': b})
torch.Tensor.normal_ = _recorder('normal', torch.Tensor.normal_,
                                 lambda mean=0.0, std=1.0: {'kind': 'normal', 'mean': mean, 'std': std})
torch.Tensor.fill_ = _recorder('fill', torch.Tensor.fill_, lambda value: {'kind': 'constant', 'value': float(value)})
torch.Tensor.zero_ = _recorder('zero', torch.Tensor.zero_, lambda: {'kind': 'constant', 'value': 0.0})


def distribution_of(fn):
    """The arguments of the last sampling call `fn` makes."""
    _recorded.clear()
    fn()
    assert _recorded, 'no sampling call recorded'
    return {k: float(v) for k, v in _recorded[-1].items() if k != 'kind'} | {'kind': _recorded[-1]['kind']}


# Resolved InitializerSpecs (as engine/experiment/spec.ts) and the torch call each one names.
def torch_init(spec):
    t = spec['type']
    if t == 'zeros':
        return lambda w: nn.init.zeros_(w)
    if t == 'constant':
        return lambda w: nn.init.constant_(w, spec['value'])
    if t == 'normal':
        return lambda w: nn.init.normal_(w, spec['mean'], spec['std'])
    if t == 'uniform':
        return lambda w: nn.init.uniform_(w, spec['a'], spec['b'])
    if t == 'xavier_uniform':
        return lambda w: nn.init.xavier_uniform_(w, gain=spec['gain'])
    if t == 'xavier_normal':
        return lambda w: nn.init.xavier_normal_(w, gain=spec['gain'])
    if t == 'kaiming_uniform':
        return lambda w: nn.init.kaiming_uniform_(w, a=spec['a'], mode=spec['mode'], nonlinearity=spec['nonlinearity'])
    if t == 'kaiming_normal':
        return lambda w: nn.init.kaiming_normal_(w, a=spec['a'], mode=spec['mode'], nonlinearity=spec['nonlinearity'])
    # Not in torch: LeCun's variance 1/fan_in is kaiming with the 'linear' gain 1.
    if t == 'lecun_uniform':
        return lambda w: nn.init.kaiming_uniform_(w, mode='fan_in', nonlinearity='linear')
    if t == 'lecun_normal':
        return lambda w: nn.init.kaiming_normal_(w, mode='fan_in', nonlinearity='linear')
    if t == 'trunc_normal':
        return lambda w: nn.init.trunc_normal_(w, mean=spec['mean'], std=spec['std'], a=spec['a'], b=spec['b'])
    if t == 'sparse':
        return lambda w: nn.init.sparse_(w, sparsity=spec['sparsity'], std=spec['std'])
    raise ValueError(t)


SHAPES = [[5, 3], [64, 32], [1, 1000], [10, 2]]  # [out_features, in_features]

SPECS = [
    {'type': 'zeros'},
    {'type': 'constant', 'value': 0.1},
    {'type': 'normal', 'mean': 0.0, 'std': 1.0},
    {'type': 'normal', 'mean': 0.5, 'std': 0.02},
    {'type': 'uniform', 'a': 0.0, 'b': 1.0},
    {'type': 'uniform', 'a': -0.3, 'b': 0.7},
    {'type': 'xavier_uniform', 'gain': 1.0},
    {'type': 'xavier_uniform', 'gain': 5.0 / 3},
    {'type': 'xavier_normal', 'gain': 1.0},
    {'type': 'xavier_normal', 'gain': math.sqrt(2.0)},
] + [
    {'type': kind, 'a': a, 'mode': mode, 'nonlinearity': nl}
    for kind in ['kaiming_uniform', 'kaiming_normal']
    for mode in ['fan_in', 'fan_out']
    for nl, a in [('leaky_relu', 0.0), ('leaky_relu', 0.2), ('relu', 0.0), ('tanh', 0.0),
                  ('linear', 0.0), ('sigmoid', 0.0), ('selu', 0.0)]
] + [
    {'type': 'lecun_uniform'},
    {'type': 'lecun_normal'},
    {'type': 'trunc_normal', 'mean': 0.0, 'std': 1.0, 'a': -2.0, 'b': 2.0},
    {'type': 'trunc_normal', 'mean': 0.1, 'std': 0.5, 'a': -0.3, 'b': 1.2},
    {'type': 'trunc_normal', 'mean': 0.0, 'std': 0.02, 'a': -0.04, 'b': 0.04},
    {'type': 'trunc_normal', 'mean': 1.0, 'std': 2.0, 'a': 0.0, 'b': 10.0},
    {'type': 'sparse', 'sparsity': 0.3, 'std': 0.01},
    {'type': 'sparse', 'sparsity': 0.1, 'std': 0.05},
    {'type': 'sparse', 'sparsity': 0.5, 'std': 0.01},
    {'type': 'sparse', 'sparsity': 0.0, 'std': 0.01},
    {'type': 'sparse', 'sparsity': 1.0, 'std': 0.01},
]

# Single extra cases: 0.28 · 25 = 7.000000000000001 in double, so torch's ceil gives 8 zeros per
# column of 25 rows, not 7; the TS formula must round the same way.
EXTRA_CASES = [([25, 4], {'type': 'sparse', 'sparsity': 0.28, 'std': 0.01})]


def trunc_normal_moments(mean, std, a, b):
    """Analytic mean and std of N(mean, std²) truncated to [a, b]."""
    cdf = lambda x: (1 + math.erf(x / math.sqrt(2))) / 2
    pdf = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
    alpha, beta = (a - mean) / std, (b - mean) / std
    z = cdf(beta) - cdf(alpha)
    shift = (pdf(alpha) - pdf(beta)) / z
    var = std ** 2 * (1 + (alpha * pdf(alpha) - beta * pdf(beta)) / z - shift ** 2)
    return mean + std * shift, math.sqrt(var)


def structured_distribution(spec, weight):
    """What torch draws for trunc_normal_ / sparse_, beyond the last sampling call."""
    call = distribution_of(lambda: torch_init(spec)(weight))
    if spec['type'] == 'trunc_normal':
        assert call['kind'] == 'uniform'
        mean, std = trunc_normal_moments(spec['mean'], spec['std'], spec['a'], spec['b'])
        # A large draw of torch's own must agree with the analytic moments (a check of this script).
        big = nn.init.trunc_normal_(torch.empty(400000, dtype=torch.float64), spec['mean'], spec['std'], spec['a'], spec['b'])
        assert abs(big.mean().item() - mean) < 0.01 * std and abs(big.std().item() / std - 1) < 0.01, (spec, big.std(), std)
        return {'kind': 'truncated_normal', 'mean': spec['mean'], 'std': spec['std'], 'low': spec['a'], 'high': spec['b'],
                'erfinvLow': call['low'], 'erfinvHigh': call['high'], 'analyticMean': mean, 'analyticStd': std}
    if spec['type'] == 'sparse':
        assert call['kind'] == 'normal' and call['mean'] == 0
        zeros = (weight == 0).sum(dim=0).tolist()
        assert len(set(zeros)) == 1, zeros  # the same count in every column
        return {'kind': 'sparse', 'std': call['std'], 'rows': weight.shape[0], 'cols': weight.shape[1],
                'zerosPerColumn': int(zeros[0])}
    return call


def orthogonal_cases():
    """torch's orthogonal_ on float64 tensors, with the normal matrix it drew."""
    cases = []
    captured = []
    original = torch.Tensor.normal_

    def capturing(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        captured.append(self.clone())
        return result

    for shape, gain in [([5, 3], 1.0), ([3, 5], 1.0), ([4, 4], 1.0), ([1, 6], 1.0), ([6, 1], 2.0),
                        ([8, 6], math.sqrt(2.0)), ([6, 8], 0.5)]:
        torch.manual_seed(100 + len(cases))
        weight = torch.empty(*shape, dtype=torch.float64)
        captured.clear()
        torch.Tensor.normal_ = capturing
        try:
            nn.init.orthogonal_(weight, gain=gain)
        finally:
            torch.Tensor.normal_ = original
        normals = captured[-1]
        assert list(normals.shape) == shape
        cases.append({'shape': shape, 'gain': gain, 'normals': normals.flatten().tolist(),
                      'torch': weight.flatten().tolist()})
    return cases


def erf_reference():
    xs = [-6.0, -4.0, -3.0, -2.5, -1.5, -1.0, -0.5, -1e-3, 0.0, 1e-8, 0.3, 0.5, 1.0, math.sqrt(2.0), 2.0,
          2.4999, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 27.0]
    ys = [-0.999999999, -0.9999, -0.99, -0.9, -0.5, -0.1, -1e-6, 0.0, 1e-9, 0.01, 0.3, 0.7, 0.9545, 0.99,
          0.999999, 1 - 1e-12]
    mpmath.mp.dps = 40
    return {
        'erf': [[x, math.erf(x), math.erfc(x)] for x in xs],
        'erfinv': [[y, float(mpmath.erfinv(mpmath.mpf(y)))] for y in ys],
    }

GAINS = [('linear', None), ('sigmoid', None), ('tanh', None), ('relu', None), ('selu', None), ('leaky_relu', None),
         ('leaky_relu', 0.0), ('leaky_relu', 0.2), ('leaky_relu', math.sqrt(5)), ('leaky_relu', 1.0)]


# ---- the seed's activation-statistics experiment -------------------------------------------------

# The course notes (seed 003, "Weight initialization: let's look at some activation statistics")
# push unit-normal data through 10 layers of 500 units, W = randn(fan_in, fan_out) · scale, H = act(X·W),
# and print the mean and std of every layer. The notes' tables come from ONE random draw each, so
# the TS test needs the sampling distribution of those statistics: this runs the same experiment
# in float64 (like numpy) for many seeds and records, per layer, the mean and the spread (sd) over
# seeds of both statistics, for the notes' input of 1000 × 500 (CS231n's `np.random.randn(1000, 500)`)
# and for the smaller input the TS test uses to stay fast.
ACTIVATION_CONFIGS = {
    # name: (weight scale as a function of fan_in, activation), as in the notes' code
    'tanh_small': (lambda fan_in: 0.01, torch.tanh),                 # W = 0.01 * randn
    'tanh_unit': (lambda fan_in: 1.0, torch.tanh),                   # W = randn * 1.0
    'tanh_xavier': (lambda fan_in: 1 / math.sqrt(fan_in), torch.tanh),  # randn / sqrt(fan_in)
    'relu_xavier': (lambda fan_in: 1 / math.sqrt(fan_in), torch.relu),
    'relu_kaiming': (lambda fan_in: 1 / math.sqrt(fan_in / 2), torch.relu),  # randn / sqrt(fan_in/2)
}
ACTIVATION_LAYERS = 10
ACTIVATION_WIDTH = 500
PUBLISHED_ROWS = 1000
TEST_ROWS = 100  # must equal ROWS in test/unit/engine/activation-statistics.test.ts
ACTIVATION_SEEDS = 60


def activation_run(config, rows, seed):
    """[(mean, std)] of the input and of each layer's output; std is numpy's (population)."""
    scale, act = ACTIVATION_CONFIGS[config]
    gen = torch.Generator().manual_seed(seed)
    h = torch.randn(rows, ACTIVATION_WIDTH, generator=gen, dtype=torch.float64)
    stats = [(h.mean().item(), h.std(unbiased=False).item())]
    for _ in range(ACTIVATION_LAYERS):
        w = torch.randn(ACTIVATION_WIDTH, ACTIVATION_WIDTH, generator=gen, dtype=torch.float64) * scale(ACTIVATION_WIDTH)
        h = act(h @ w)
        stats.append((h.mean().item(), h.std(unbiased=False).item()))
    return stats


def activation_ensemble(config, rows):
    runs = torch.tensor([activation_run(config, rows, seed) for seed in range(ACTIVATION_SEEDS)], dtype=torch.float64)
    means, stds = runs[:, :, 0], runs[:, :, 1]
    return {'meanOfMean': means.mean(0).tolist(), 'sdOfMean': means.std(0).tolist(),
            'meanOfStd': stds.mean(0).tolist(), 'sdOfStd': stds.std(0).tolist()}


def gen_activation_statistics():
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    out = os.path.join(FIXTURES, 'init_activation_statistics.json')
    doc = {
        'generator': 'test/torch/gen_init_golden.py (gen_activation_statistics)',
        'torch_version': torch.__version__,
        'layers': ACTIVATION_LAYERS, 'width': ACTIVATION_WIDTH, 'seeds': ACTIVATION_SEEDS,
        'dtype': 'float64',
        'note': 'per config and input rows: index 0 is the input, 1..10 the hidden layers; sd is over seeds',
        'ensembles': {str(rows): {name: activation_ensemble(name, rows) for name in ACTIVATION_CONFIGS}
                      for rows in [PUBLISHED_ROWS, TEST_ROWS]},
    }
    compact = lambda v: json.dumps(v, separators=(',', ':'))
    lines = ['{']
    for key in ['generator', 'torch_version', 'layers', 'width', 'seeds', 'dtype', 'note']:
        lines.append(f' "{key}": {compact(doc[key])},')
    lines.append(' "ensembles": {')
    groups = []
    for rows, configs in doc['ensembles'].items():
        body = ',\n'.join(f'   "{name}": {compact(stats)}' for name, stats in configs.items())
        groups.append(f'  "{rows}": {{\n{body}\n  }}')
    lines += [',\n'.join(groups), ' }', '}']
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('wrote', os.path.relpath(out))


def main():
    cases = []
    torch.manual_seed(20240604)
    for shape in SHAPES:
        weight = torch.empty(*shape)
        for spec in SPECS:
            cases.append({'shape': shape, 'target': 'weight', 'spec': spec,
                          'torch': structured_distribution(spec, weight)})
        # nn.Linear's own reset_parameters: first the weight's draw, then the bias's.
        layer = nn.Linear(shape[1], shape[0])
        _recorded.clear()
        layer.reset_parameters()
        weight_call, bias_call = _recorded[-2], _recorded[-1]
        for target, call in [('weight', weight_call), ('bias', bias_call)]:
            cases.append({'shape': shape, 'target': target, 'spec': {'type': 'default'},
                          'torch': {'kind': call['kind'], 'low': float(call['low']), 'high': float(call['high'])}})
    for shape, spec in EXTRA_CASES:
        cases.append({'shape': shape, 'target': 'weight', 'spec': spec,
                      'torch': structured_distribution(spec, torch.empty(*shape))})
    doc = {
        'generator': 'test/torch/gen_init_golden.py',
        'torch_version': torch.__version__,
        'gains': [{'nonlinearity': nl, 'param': p, 'gain': nn.init.calculate_gain(nl, p)} for nl, p in GAINS],
        'cases': cases,
        'orthogonal': orthogonal_cases(),
        'erf': erf_reference(),
    }
    # One gain / case per line: compact, yet a regenerated file diffs line by line.
    compact = lambda v: json.dumps(v, separators=(',', ':'))
    lines = ['{', f' "generator": {compact(doc["generator"])},', f' "torch_version": {compact(doc["torch_version"])},']
    for key in ['gains', 'cases', 'orthogonal']:
        items = [f'  {compact(item)}' for item in doc[key]]
        lines += [f' "{key}": [', ',\n'.join(items), ' ],']
    lines += [f' "erf": {compact(doc["erf"])}', '}']
    with open(OUT, 'w') as out:
        out.write('\n'.join(lines) + '\n')
    print('wrote', os.path.relpath(OUT), len(cases), 'cases')


if __name__ == '__main__':
    main()
    if '--skip-activations' not in sys.argv:
        gen_activation_statistics()
