"""Golden losses and gradients for test/unit/engine/losses.test.ts.

Run with Debian's PyTorch:  /usr/bin/python3 test/torch/gen_losses_golden.py
Writes test/fixtures/torch/losses_golden.json.

Every case is one call of a torch.nn.functional loss on a small batch with the case's reduction
('mean', or 'sum' where the spec says so), and the gradient of that loss wrt the model output
(autograd); `mean` is the same call's value with reduction='mean', which the engine reports
whatever the reduction. Inputs are float32 values (what the
engine's buffers hold, printed with 9 significant digits so they round-trip exactly); torch
evaluates them in float64, so the recorded loss and gradient are the exact values of the formula
for those inputs and the TS test can tell float32 storage error (gradients) from formula errors.

Each case records the resolved LossSpec (engine/losses/spec.ts), the dataset task and outputs
(number of classes, or regression targets) that createLoss receives, and torch's call, so the test
runs exactly createLoss(spec, outputs, rows, task).
"""

import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'torch', 'losses_golden.json')


def f32(t):
    """Float32 values as plain floats with 9 significant digits (an exact float32 round trip)."""
    return [float('%.9g' % v) for v in t.to(torch.float32).flatten().tolist()]


def f64(t):
    return [float(v) for v in t.flatten().tolist()]


def classification_inputs(gen, rows, classes, scale=2.0, extreme=False):
    logits = scale * torch.randn(rows, classes, generator=gen)
    if extreme:
        # Far beyond exp's float range without the max shift: log-sum-exp must be stable.
        logits[0] = torch.tensor([60.0] + [-45.0] * (classes - 1))
        logits[1, 1 % classes] = 85.0
    targets = torch.randint(0, classes, (rows,), generator=gen)
    targets[: classes] = torch.arange(classes)  # every class occurs
    return logits.to(torch.float32), targets


def case(name, spec, task, outputs, pred32, target, call):
    """Evaluates `call(pred64, target, reduction=...)` in float64 and records loss and ∂loss/∂pred."""
    pred = pred32.to(torch.float64).clone().requires_grad_(True)
    loss = call(pred, target, reduction=spec.get('reduction', 'mean'))
    loss.backward()
    mean = call(pred.detach(), target, reduction='mean')
    return {
        'name': name,
        'spec': spec,
        'task': task,
        'outputs': outputs,
        'rows': int(pred32.shape[0]),
        'pred': f32(pred32),
        'target': [float(v) for v in target.flatten().tolist()],
        'loss': float(loss.item()),
        'mean': float(mean.item()),
        'grad': f64(pred.grad),
    }


def cross_entropy_cases(gen):
    cases = []
    for classes, rows, extreme in [(3, 6, False), (4, 7, True)]:
        logits, targets = classification_inputs(gen, rows, classes, extreme=extreme)
        weight = [0.2, 1.0, 3.0, 0.5][:classes]
        tag = f'{classes} classes' + (', extreme logits' if extreme else '')
        variants = [
            ({}, {}),
            ({'weight': weight}, {'weight': torch.tensor(weight, dtype=torch.float64)}),
            ({'label_smoothing': 0.1}, {'label_smoothing': 0.1}),
            ({'weight': weight, 'label_smoothing': 0.25},
             {'weight': torch.tensor(weight, dtype=torch.float64), 'label_smoothing': 0.25}),
            ({'label_smoothing': 1.0}, {'label_smoothing': 1.0}),
        ]
        if not extreme:
            variants += [
                ({'reduction': 'sum'}, {}),
                ({'weight': weight, 'label_smoothing': 0.25, 'reduction': 'sum'},
                 {'weight': torch.tensor(weight, dtype=torch.float64), 'label_smoothing': 0.25}),
            ]
        for spec_extra, kwargs in variants:
            spec = {'type': 'cross_entropy', **spec_extra}
            cases.append(case(f'cross_entropy {tag} {json.dumps(spec_extra)}', spec, 'classification', classes,
                              logits, targets, lambda p, t, kw=kwargs, **r: F.cross_entropy(p, t, **kw, **r)))
    return cases


def nll_cases(gen):
    cases = []
    logits, targets = classification_inputs(gen, 6, 3)
    log_probs = F.log_softmax(logits.to(torch.float64), dim=1).to(torch.float32)
    weight = [2.0, 0.5, 1.0]
    for label, inputs in [('log_softmax inputs', log_probs), ('raw scores', logits)]:
        variants = [({}, {}), ({'weight': weight}, {'weight': torch.tensor(weight, dtype=torch.float64)})]
        if label == 'log_softmax inputs':
            variants.append(({'weight': weight, 'reduction': 'sum'}, {'weight': torch.tensor(weight, dtype=torch.float64)}))
        for spec_extra, kwargs in variants:
            cases.append(case(f'nll_loss {label} {json.dumps(spec_extra)}', {'type': 'nll_loss', **spec_extra},
                              'classification', 3, inputs, targets,
                              lambda p, t, kw=kwargs, **r: F.nll_loss(p, t, **kw, **r)))
    return cases


def bce_cases(gen):
    cases = []
    rows = 8
    logits = (3.0 * torch.randn(rows, 1, generator=gen)).to(torch.float32)
    logits[0, 0] = 40.0   # σ = 1 to double precision: the loss must not become log(0)
    logits[1, 0] = -40.0
    logits[2, 0] = 0.0
    targets = torch.tensor([0, 1, 1, 0, 1, 0, 1, 1])
    for pos_weight, reduction in [(None, 'mean'), (3.0, 'mean'), (0.5, 'mean'), (3.0, 'sum')]:
        spec = {'type': 'bce_with_logits'} | ({} if pos_weight is None else {'pos_weight': pos_weight})
        spec |= {} if reduction == 'mean' else {'reduction': reduction}
        kwargs = {} if pos_weight is None else {'pos_weight': torch.tensor([pos_weight], dtype=torch.float64)}
        cases.append(case(f'bce_with_logits {json.dumps({k: v for k, v in spec.items() if k != "type"})}', spec, 'classification', 2,
                          logits, targets,
                          lambda p, t, kw=kwargs, **r: F.binary_cross_entropy_with_logits(p, t.to(torch.float64).view(-1, 1), **kw, **r)))
    return cases


def bce_probability_cases(gen):
    """F.binary_cross_entropy on probabilities, with torch's log clamp at −100 and gradient floor."""
    cases = []
    rows = 8
    probs = torch.sigmoid(3.0 * torch.randn(rows, 1, generator=gen)).to(torch.float32)
    probs[0, 0] = 1.0   # log(1 − x) = −∞ clamped to −100; gradient (x − y)/max(x(1 − x), 1e-12)
    probs[1, 0] = 0.0   # log x = −∞ clamped to −100
    probs[2, 0] = 0.5
    probs[3, 0] = 1.0   # and right: loss 0, gradient 0
    targets = torch.tensor([0, 1, 1, 1, 1, 0, 1, 0])
    for reduction in ['mean', 'sum']:
        spec = {'type': 'bce'} | ({} if reduction == 'mean' else {'reduction': reduction})
        cases.append(case(f'bce {json.dumps({k: v for k, v in spec.items() if k != "type"})}', spec, 'classification', 2,
                          probs, targets,
                          lambda p, t, **r: F.binary_cross_entropy(p, t.to(torch.float64).view(-1, 1), **r)))
    return cases


def regression_cases(gen):
    cases = []
    rows, outputs = 6, 2
    target = (1.5 * torch.randn(rows, outputs, generator=gen)).to(torch.float32)
    # Differences spread over (−3, 3): both sides of delta/beta = 0.5, 1 and 2, plus exact ties.
    diff = torch.linspace(-3.0, 3.0, rows * outputs).view(rows, outputs)
    pred = (target + diff).to(torch.float32)
    target[0, 0], pred[0, 0] = 0.25, 1.25  # |d| = delta = beta = 1 exactly: the pieces meet
    pred[1, 1] = target[1, 1]        # d = 0: smooth_l1 with beta 0 has slope −1 there, l1_loss sign(0) = 0
    tgt64 = target.to(torch.float64)
    specs = [
        ({'type': 'mse'}, lambda p, t, **r: F.mse_loss(p, t, **r)),
        ({'type': 'huber'}, lambda p, t, **r: F.huber_loss(p, t, **r)),
        ({'type': 'huber', 'delta': 0.5}, lambda p, t, **r: F.huber_loss(p, t, delta=0.5, **r)),
        ({'type': 'huber', 'delta': 2.0}, lambda p, t, **r: F.huber_loss(p, t, delta=2.0, **r)),
        ({'type': 'smooth_l1'}, lambda p, t, **r: F.smooth_l1_loss(p, t, **r)),
        ({'type': 'smooth_l1', 'beta': 0.5}, lambda p, t, **r: F.smooth_l1_loss(p, t, beta=0.5, **r)),
        ({'type': 'smooth_l1', 'beta': 2.0}, lambda p, t, **r: F.smooth_l1_loss(p, t, beta=2.0, **r)),
        ({'type': 'smooth_l1', 'beta': 0.0}, lambda p, t, **r: F.smooth_l1_loss(p, t, beta=0.0, **r)),
        ({'type': 'l1_loss'}, lambda p, t, **r: F.l1_loss(p, t, **r)),
    ]
    summed = [({**spec, 'reduction': 'sum'}, fn) for spec, fn in specs if spec in ({'type': 'mse'}, {'type': 'huber', 'delta': 0.5}, {'type': 'smooth_l1', 'beta': 0.5}, {'type': 'l1_loss'})]
    for spec, fn in specs + summed:
        cases.append(case(f'{json.dumps(spec)} regression', spec, 'regression', outputs, pred, target,
                          lambda p, t, fn=fn, **r: fn(p, tgt64, **r)))
    # Classification data: compared with one-hot rows, torch's loss(pred, one_hot(y, C).float()).
    logits, targets = classification_inputs(gen, 5, 3, scale=1.5)
    for spec, fn in specs[:2] + specs[4:5] + summed[:1] + specs[-1:]:
        cases.append(case(f'{json.dumps(spec)} one-hot classification', spec, 'classification', 3, logits, targets,
                          lambda p, t, fn=fn, **r: fn(p, F.one_hot(t, 3).to(torch.float64), **r)))
    return cases


def ignore_index_cases(gen):
    """cross_entropy and nll_loss skipping one class's rows (ignore_index), with weights, smoothing and sum."""
    cases = []
    logits, targets = classification_inputs(gen, 8, 4)
    targets[5] = 1  # class 1 occurs twice, so two rows are skipped
    weight = [0.2, 1.0, 3.0, 0.5]
    w = torch.tensor(weight, dtype=torch.float64)
    variants = [
        ({'ignore_index': 1}, {'ignore_index': 1}),
        ({'ignore_index': 1, 'weight': weight}, {'ignore_index': 1, 'weight': w}),
        ({'ignore_index': 1, 'label_smoothing': 0.2}, {'ignore_index': 1, 'label_smoothing': 0.2}),
        ({'ignore_index': 1, 'weight': weight, 'label_smoothing': 0.2}, {'ignore_index': 1, 'weight': w, 'label_smoothing': 0.2}),
        ({'ignore_index': 1, 'reduction': 'sum'}, {'ignore_index': 1}),
        ({'ignore_index': 9}, {'ignore_index': 9}),  # no class: nothing skipped
    ]
    for spec_extra, kwargs in variants:
        spec = {'type': 'cross_entropy', **spec_extra}
        cases.append(case(f'cross_entropy ignore_index {json.dumps(spec_extra)}', spec, 'classification', 4, logits, targets,
                          lambda p, t, kw=kwargs, **r: F.cross_entropy(p, t, **kw, **r)))
    log_probs = F.log_softmax(logits.to(torch.float64), dim=1).to(torch.float32)
    for spec_extra, kwargs in [({'ignore_index': 0}, {'ignore_index': 0}), ({'ignore_index': 1, 'weight': weight, 'reduction': 'sum'}, {'ignore_index': 1, 'weight': w})]:
        spec = {'type': 'nll_loss', **spec_extra}
        cases.append(case(f'nll_loss ignore_index {json.dumps(spec_extra)}', spec, 'classification', 4, log_probs, targets,
                          lambda p, t, kw=kwargs, **r: F.nll_loss(p, t, **kw, **r)))
    return cases


def probability_target_cases(gen):
    """Soft labels: cross_entropy against rows of class probabilities; bce_with_logits and bce against P(class 1)."""
    cases = []
    rows, classes = 6, 3
    logits = (2.0 * torch.randn(rows, classes, generator=gen)).to(torch.float32)
    probs = torch.softmax(1.5 * torch.randn(rows, classes, generator=gen), dim=1).to(torch.float32)
    probs[0] = torch.tensor([1.0, 0.0, 0.0])  # a hard label among the soft ones
    weight = [0.2, 1.0, 3.0]
    w = torch.tensor(weight, dtype=torch.float64)
    for spec_extra, kwargs in [({}, {}), ({'weight': weight}, {'weight': w}), ({'label_smoothing': 0.1}, {'label_smoothing': 0.1}),
                               ({'weight': weight, 'label_smoothing': 0.3, 'reduction': 'sum'}, {'weight': w, 'label_smoothing': 0.3})]:
        spec = {'type': 'cross_entropy', **spec_extra}
        cases.append(case(f'cross_entropy probability targets {json.dumps(spec_extra)}', spec, 'probabilities', classes, logits, probs,
                          lambda p, t, kw=kwargs, **r: F.cross_entropy(p, t.to(torch.float64), **kw, **r)))
    binary_rows = 8
    logits1 = (3.0 * torch.randn(binary_rows, 1, generator=gen)).to(torch.float32)
    logits1[0, 0] = 40.0
    logits1[1, 0] = -40.0
    p1 = torch.rand(binary_rows, generator=gen).to(torch.float32)
    p1[2], p1[3] = 0.0, 1.0
    # The data set stores a probability target of class 1 as the row [1 − p, p].
    rows2 = torch.stack([1.0 - p1.to(torch.float64), p1.to(torch.float64)], dim=1)
    for pos_weight, reduction in [(None, 'mean'), (3.0, 'mean'), (None, 'sum')]:
        spec = {'type': 'bce_with_logits'} | ({} if pos_weight is None else {'pos_weight': pos_weight}) | ({} if reduction == 'mean' else {'reduction': reduction})
        kwargs = {} if pos_weight is None else {'pos_weight': torch.tensor([pos_weight], dtype=torch.float64)}
        cases.append(case(f'bce_with_logits probability targets {json.dumps({k: v for k, v in spec.items() if k != "type"})}', spec, 'probabilities', 2,
                          logits1, rows2,
                          lambda p, t, kw=kwargs, **r: F.binary_cross_entropy_with_logits(p, t[:, 1:2], **kw, **r)))
    sig = torch.sigmoid(logits1.to(torch.float64) / 4).to(torch.float32)
    for reduction in ['mean', 'sum']:
        spec = {'type': 'bce'} | ({} if reduction == 'mean' else {'reduction': reduction})
        cases.append(case(f'bce probability targets {json.dumps({k: v for k, v in spec.items() if k != "type"})}', spec, 'probabilities', 2,
                          sig, rows2, lambda p, t, **r: F.binary_cross_entropy(p, t[:, 1:2], **r)))
    return cases


def main():
    gen = torch.Generator().manual_seed(20240603)
    cases = cross_entropy_cases(gen) + nll_cases(gen) + bce_cases(gen) + regression_cases(gen)
    # Drawn last, so that adding them left the other cases' inputs as they were.
    cases += bce_probability_cases(gen)
    cases += ignore_index_cases(gen) + probability_target_cases(gen)
    compact = lambda v: json.dumps(v, separators=(',', ':'))
    lines = ['{', f' "generator": "test/torch/gen_losses_golden.py",', f' "torch_version": {compact(torch.__version__)},',
             ' "cases": [', ',\n'.join(f'  {compact(c)}' for c in cases), ' ]', '}']
    with open(OUT, 'w') as out:
        out.write('\n'.join(lines) + '\n')
    print('wrote', os.path.relpath(OUT), len(cases), 'cases')


if __name__ == '__main__':
    main()
