#!/usr/bin/python3
"""PyTorch golden values for the training loop's parts: clipping, penalties, EMA, whole trajectories.

Run with Debian's python3-torch:  /usr/bin/python3 test/torch/gen_train_golden.py
Writes (deterministically; commit the output):
  test/fixtures/torch/train_clipping.json    clip_grad_norm_ (p = 2, 1, inf, 3) and clip_grad_value_
  test/fixtures/torch/train_penalties.json   l1*sum|w| + l2/2*sum w^2 and its gradients (autograd)
  test/fixtures/torch/train_ema.json         swa_utils.AveragedModel with an EMA avg_fn, with and without buffers
  test/fixtures/torch/train_trajectory.json  20 full-batch steps: MLP with BatchNorm1d, SGD(momentum),
                                             StepLR, L2 penalty, clip_grad_norm_
  test/fixtures/torch/train_lbfgs.json       L-BFGS (strong_wolfe), full batch, on a logistic regression
  test/fixtures/torch/train_lbfgs_sum.json   the same with cross_entropy(reduction='sum') on features × 10: the
                                             closure's value and gradient are the sum, which the line search sees

Numbers are written as the shortest decimal that round-trips their float32 value.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.optim.swa_utils import AveragedModel

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "fixtures", "torch"))

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def f32(values):
    """Tensor, array or number -> nested lists of floats with their shortest float32 decimal."""
    array = np.asarray(values.detach().cpu().numpy() if torch.is_tensor(values) else values, dtype=np.float32)
    if array.ndim == 0:
        value = np.float32(array)
        if not np.isfinite(value):
            return str(value)
        return float(np.format_float_positional(value, unique=True, trim="-"))
    return [f32(v) for v in array]


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")


# ---- clipping -----------------------------------------------------------------------------------

SHAPES = {"0.weight": [4, 3], "0.bias": [4], "2.weight": [2, 4], "2.bias": [2]}


def grads_for(seed, scale):
    g = torch.Generator().manual_seed(seed)
    return {name: torch.randn(*shape, generator=g) * scale for name, shape in SHAPES.items()}


def clipping():
    cases = []
    for seed, scale, max_norm, norm_type in [
        (1, 1.0, 1.0, 2.0),  # clips
        (2, 0.05, 1.0, 2.0),  # below max_norm: unchanged
        (3, 3.0, 0.5, float("inf")),
        (4, 2.0, 1.5, 1.0),
        (5, 1.0, 0.25, 3.0),
    ]:
        grads = grads_for(seed, scale)
        params = []
        for name, gvalue in grads.items():
            p = torch.zeros_like(gvalue, requires_grad=True)
            p.grad = gvalue.clone()
            params.append(p)
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
        cases.append(
            {
                "max_norm": max_norm,
                "norm_type": "inf" if math.isinf(norm_type) else norm_type,
                "grads": {n: f32(v) for n, v in grads.items()},
                "total_norm": f32(total),
                "clipped": {n: f32(p.grad) for n, p in zip(grads, params)},
            }
        )
    value_cases = []
    for seed, clip_value in [(6, 0.5), (7, 2.0)]:
        grads = grads_for(seed, 1.0)
        params = []
        for gvalue in grads.values():
            p = torch.zeros_like(gvalue, requires_grad=True)
            p.grad = gvalue.clone()
            params.append(p)
        torch.nn.utils.clip_grad_value_(params, clip_value)
        value_cases.append(
            {
                "clip_value": clip_value,
                "grads": {n: f32(v) for n, v in grads.items()},
                "clipped": {n: f32(p.grad) for n, p in zip(grads, params)},
            }
        )
    return {
        "description": "torch.nn.utils.clip_grad_norm_ / clip_grad_value_, torch " + torch.__version__,
        "shapes": SHAPES,
        "norm_cases": cases,
        "value_cases": value_cases,
    }


# ---- penalties ----------------------------------------------------------------------------------


def penalty_of(params, l1, l2):
    return l1 * sum(p.abs().sum() for p in params) + l2 / 2 * sum((p**2).sum() for p in params)


def penalties():
    g = torch.Generator().manual_seed(11)
    values = {name: torch.randn(*shape, generator=g) for name, shape in SHAPES.items()}
    values["0.weight"][0, 0] = 0.0  # sign(0) = 0: no L1 gradient
    cases = []
    for l1, l2, apply_to in [(0.0, 0.1, "weights"), (0.01, 0.0, "weights"), (0.01, 0.05, "all"), (0.003, 0.02, "weights")]:
        params = {n: v.clone().requires_grad_(True) for n, v in values.items()}
        chosen = [p for p in params.values() if apply_to == "all" or p.dim() >= 2]
        penalty = penalty_of(chosen, l1, l2)
        penalty.backward()
        cases.append(
            {
                "l1": l1,
                "l2": l2,
                "apply_to": apply_to,
                "penalty": penalty.item(),
                "grads": {n: f32(p.grad if p.grad is not None else torch.zeros_like(p)) for n, p in params.items()},
            }
        )
    return {
        "description": "penalty = l1*sum|w| + l2/2*sum w^2 over weights (dim >= 2) or all; autograd gradients",
        "values": {n: f32(v) for n, v in values.items()},
        "cases": cases,
    }


# ---- EMA ----------------------------------------------------------------------------------------


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(3, 2))
        self.bias = nn.Parameter(torch.zeros(3))
        self.register_buffer("running_mean", torch.zeros(3))


def ema_avg(decay):
    return lambda averaged, current, num_averaged: decay * averaged + (1 - decay) * current


def ema():
    g = torch.Generator().manual_seed(21)
    snapshots = []
    tiny = Tiny()
    for _ in range(6):
        with torch.no_grad():
            for t in [tiny.weight, tiny.bias, tiny.running_mean]:
                t.add_(torch.randn(t.shape, generator=g))
        snapshots.append({n: t.detach().clone() for n, t in tiny.state_dict().items()})
    cases = []
    for decay, use_buffers in [(0.9, False), (0.75, True), (0.999, False)]:
        source = Tiny()
        averaged = AveragedModel(source, avg_fn=ema_avg(decay), use_buffers=use_buffers)
        history = []
        for snap in snapshots:
            source.load_state_dict(snap)
            averaged.update_parameters(source)
            history.append({n: f32(t) for n, t in averaged.module.state_dict().items()})
        cases.append({"decay": decay, "use_buffers": use_buffers, "averages": history})
    return {
        "description": "torch.optim.swa_utils.AveragedModel(avg_fn=decay*avg + (1-decay)*p); state after each update_parameters",
        "snapshots": [{n: f32(t) for n, t in s.items()} for s in snapshots],
        "cases": cases,
    }


# ---- a whole trajectory -------------------------------------------------------------------------

TRAJECTORY_STEPS = 20
ROWS = 24
LR, MOMENTUM = 0.2, 0.9
STEP_SIZE, GAMMA = 5, 0.5
MAX_NORM = 0.2
L1, L2 = 1e-3, 1e-2
# ReLU inputs (batch-normalized) must stay this far from 0 along the whole trajectory so float32
# rounding differences between torch and the engine cannot switch a unit.
RELU_MARGIN = 2e-4


def trajectory_model():
    return nn.Sequential(nn.Linear(2, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))


def run_trajectory(model, x, classes):
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=STEP_SIZE, gamma=GAMMA)
    weights = [p for p in model.parameters() if p.dim() >= 2]
    steps = []
    margin = float("inf")
    model.train()
    for _ in range(TRAJECTORY_STEPS):
        optimizer.zero_grad()
        hidden = model[1](model[0](x))
        margin = min(margin, hidden.abs().min().item())
        data_loss = F.cross_entropy(model[3](model[2](hidden)), classes)
        penalty = penalty_of(weights, L1, L2)
        (data_loss + penalty).backward()
        total_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), MAX_NORM)
        lr = optimizer.param_groups[0]["lr"]
        optimizer.step()
        scheduler.step()
        steps.append({"loss": data_loss.item(), "penalty": penalty.item(), "grad_norm": total_norm.item(), "lr": lr})
    return steps, margin


def trajectory():
    for seed in range(200):
        torch.manual_seed(seed)
        model = trajectory_model()
        x = torch.randn(ROWS, 2) * 1.5
        classes = torch.randint(0, 3, (ROWS,))
        initial = {k: v.clone() for k, v in model.state_dict().items()}
        steps, margin = run_trajectory(model, x, classes)
        clipped = sum(1 for s in steps if s["grad_norm"] > MAX_NORM)
        if margin > RELU_MARGIN and 0 < clipped < TRAJECTORY_STEPS:
            break
    else:
        raise RuntimeError("no seed kept the ReLU margin")
    model.eval()
    with torch.no_grad():
        eval_loss = F.cross_entropy(model(x), classes).item()
    return {
        "description": (
            f"torch {torch.__version__}, seed {seed}: nn.Sequential(Linear(2,8), BatchNorm1d(8), ReLU(), Linear(8,3)); "
            f"{TRAJECTORY_STEPS} full-batch steps of: zero_grad; loss = cross_entropy + {L1}*sum|W| + {L2}/2*sum W^2 "
            f"(weights only); backward; clip_grad_norm_({MAX_NORM}); SGD(lr={LR}, momentum={MOMENTUM}).step(); "
            f"StepLR(step_size={STEP_SIZE}, gamma={GAMMA}).step(). Step losses are the data loss before the update."
        ),
        "seed": seed,
        "relu_margin": margin,
        "hyper": {"lr": LR, "momentum": MOMENTUM, "step_size": STEP_SIZE, "gamma": GAMMA, "max_norm": MAX_NORM, "l1": L1, "l2": L2},
        "initial_state_dict": {k: f32(v) if v.dtype == torch.float32 else int(v) for k, v in initial.items()},
        "x": f32(x),
        "classes": classes.tolist(),
        "steps": steps,
        "final_state_dict": {k: f32(v) if v.dtype == torch.float32 else int(v) for k, v in model.state_dict().items()},
        "final_eval_loss": eval_loss,
    }


# ---- L-BFGS -------------------------------------------------------------------------------------

LBFGS_STEPS = 6


def lbfgs(reduction="mean", scale=1.0):
    g = torch.Generator().manual_seed(31)
    rows = 40
    classes = torch.arange(rows) % 2
    # Two overlapping clouds: not separable, so the logistic loss has a finite minimum.
    x = torch.randn(rows, 3, generator=g) + (classes.float() * 2 - 1).unsqueeze(1) * torch.tensor([0.6, -0.4, 0.2])
    x = x * scale
    model = nn.Sequential(nn.Linear(3, 2))  # state_dict keys "0.weight", "0.bias", as the engine's
    with torch.no_grad():
        model[0].weight.copy_(torch.randn(2, 3, generator=g) * 0.5)
        model[0].bias.copy_(torch.randn(2, generator=g) * 0.1)
    initial = {k: f32(v) for k, v in model.state_dict().items()}
    optimizer = torch.optim.LBFGS(model.parameters(), lr=1, max_iter=4, history_size=10, line_search_fn="strong_wolfe")
    steps = []
    for _ in range(LBFGS_STEPS):

        def closure():
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), classes, reduction=reduction)
            loss.backward()
            return loss

        loss = optimizer.step(closure)
        state = optimizer.state[optimizer._params[0]]  # LBFGS keeps its counters on the first parameter
        steps.append({"loss": loss.item(), "func_evals": state["func_evals"], "n_iter": state["n_iter"]})
    with torch.no_grad():
        final_loss = F.cross_entropy(model(x), classes).item()
    return {
        "description": (
            f"torch {torch.__version__}: nn.Sequential(nn.Linear(3, 2)) + cross_entropy(reduction='{reduction}') on 40 rows "
            f"(features × {scale:g}), full batch; "
            f"LBFGS(lr=1, max_iter=4, history_size=10, line_search_fn='strong_wolfe'); {LBFGS_STEPS} calls of "
            "step(closure); loss = the value step returns (the closure's first evaluation); func_evals and n_iter "
            "are the optimizer's cumulative counters after the call; final_loss is the mean."
        ),
        "reduction": reduction,
        "optimizer": {"lr": 1, "max_iter": 4, "history_size": 10, "line_search_fn": "strong_wolfe"},
        "initial_state_dict": initial,
        "x": f32(x),
        "classes": classes.tolist(),
        "steps": steps,
        "final_state_dict": {k: f32(v) for k, v in model.state_dict().items()},
        "final_loss": final_loss,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    write("train_clipping.json", clipping())
    write("train_penalties.json", penalties())
    write("train_ema.json", ema())
    write("train_trajectory.json", trajectory())
    write("train_lbfgs.json", lbfgs())
    # Features × 10: the line search must zoom, with cubic steps from the closure's values, which
    # then must be the sum whose gradient backward gives (func_evals differ otherwise).
    write("train_lbfgs_sum.json", lbfgs("sum", 10.0))


if __name__ == "__main__":
    main()
