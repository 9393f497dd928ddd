"""Golden initializer distributions and gains for test/unit/engine/init.test.ts.

Run with Debian's PyTorch:  /usr/bin/python3 test/torch/gen_init_golden.py
Writes test/fixtures/torch/init_golden.json.

Random draws cannot match (our RNG is not torch's Mersenne Twister), so the golden values are the
*parameters* torch draws with: every torch.nn.init function ends in Tensor.uniform_(low, high),
Tensor.normal_(mean, std), Tensor.fill_(value) or Tensor.zero_(), and we record the arguments of
that final call. This proves the TS formulas (fans, gains, √3 factors, nn.Linear's default) are
torch's own, not a re-derivation of them.
"""

import json
import math
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'torch', 'init_golden.json')

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
                  ('linear', 0.0), ('sigmoid', 0.0)]
]

GAINS = [('linear', None), ('sigmoid', None), ('tanh', None), ('relu', None), ('leaky_relu', None),
         ('leaky_relu', 0.0), ('leaky_relu', 0.2), ('leaky_relu', math.sqrt(5)), ('leaky_relu', 1.0)]


def main():
    cases = []
    for shape in SHAPES:
        weight = torch.empty(*shape)
        for spec in SPECS:
            cases.append({'shape': shape, 'target': 'weight', 'spec': spec,
                          'torch': distribution_of(lambda: torch_init(spec)(weight))})
        # nn.Linear's own reset_parameters: first the weight's draw, then the bias's.
        layer = nn.Linear(shape[1], shape[0])
        _recorded.clear()
        layer.reset_parameters()
        weight_call, bias_call = _recorded[-2], _recorded[-1]
        for target, call in [('weight', weight_call), ('bias', bias_call)]:
            cases.append({'shape': shape, 'target': target, 'spec': {'type': 'default'},
                          'torch': {'kind': call['kind'], 'low': float(call['low']), 'high': float(call['high'])}})
    doc = {
        'generator': 'test/torch/gen_init_golden.py',
        'torch_version': torch.__version__,
        'gains': [{'nonlinearity': nl, 'param': p, 'gain': nn.init.calculate_gain(nl, p)} for nl, p in GAINS],
        'cases': cases,
    }
    # One gain / case per line: compact, yet a regenerated file diffs line by line.
    compact = lambda v: json.dumps(v, separators=(',', ':'))
    lines = ['{', f' "generator": {compact(doc["generator"])},', f' "torch_version": {compact(doc["torch_version"])},']
    for key in ['gains', 'cases']:
        items = [f'  {compact(item)}' for item in doc[key]]
        lines += [f' "{key}": [', ',\n'.join(items), ' ]' + (',' if key == 'gains' else '')]
    lines.append('}')
    with open(OUT, 'w') as out:
        out.write('\n'.join(lines) + '\n')
    print('wrote', os.path.relpath(OUT), len(cases), 'cases')


if __name__ == '__main__':
    main()
