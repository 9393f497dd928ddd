#!/usr/bin/python3
"""PyTorch golden values for the engine's MLP: forward, losses, gradients and short trajectories.

Run with Debian's python3-torch:  /usr/bin/python3 test/torch/gen_mlp_golden.py
Writes (deterministically; commit the output):
  test/fixtures/torch/mlp_forward_backward.json  logits, CE / MSE / one-hot MSE losses, every .grad
  test/fixtures/torch/mlp_training.json          20 full-batch steps of SGD(momentum) and Adam

The model is nn.Sequential(Linear(2, 8), Tanh(), Linear(8, 8), ReLU(), Linear(8, 3)): its
state_dict keys ("0.weight", "2.bias", ...) are the engine's parameter names. Weights are stored in
the fixture, so the engine's own initializer is not involved. Numbers are written as the shortest
decimal that round-trips their float32 value.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "fixtures", "torch"))
ROWS = 8
TRAIN_STEPS = 20
# Pre-activations of the ReLU must stay this far from 0 so float32 rounding differences between
# torch and the engine cannot flip a unit on or off.
RELU_MARGIN = 1e-3

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def f32(values):
    """Tensor or array -> nested lists of floats with their shortest float32 decimal."""
    array = np.asarray(values.detach().cpu().numpy() if torch.is_tensor(values) else values, dtype=np.float32)
    if array.ndim == 0:
        return float(np.format_float_positional(np.float32(array), unique=True, trim="-"))
    return [f32(v) for v in array]


def make_model():
    return nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 3))


def relu_margin(model, x):
    with torch.no_grad():
        pre = model[2](model[1](model[0](x)))
    return pre.abs().min().item()


def pick_problem():
    """The first seed whose ReLU pre-activations are all clear of 0 (deterministic search)."""
    for seed in range(100):
        torch.manual_seed(seed)
        model = make_model()
        x = torch.randn(ROWS, 2) * 1.5
        classes = torch.randint(0, 3, (ROWS,))
        regression = torch.randn(ROWS, 3)
        if relu_margin(model, x) > RELU_MARGIN and len(set(classes.tolist())) == 3:
            return seed, model, x, classes, regression
    raise RuntimeError("no seed gave a ReLU margin")


def state(model):
    return {name: f32(t) for name, t in model.state_dict().items()}


def gradients(model, loss):
    model.zero_grad()
    loss.backward()
    return {name: f32(p.grad) for name, p in model.named_parameters()}


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")


def forward_backward(seed, model, x, classes, regression):
    logits = model(x)
    ce = F.cross_entropy(logits, classes)
    mse = F.mse_loss(logits, regression)
    one_hot = F.one_hot(classes, 3).float()
    mse_one_hot = F.mse_loss(logits, one_hot)
    return {
        "description": "nn.Sequential(Linear(2,8), Tanh(), Linear(8,8), ReLU(), Linear(8,3)); torch "
        + torch.__version__
        + f"; weights from torch.manual_seed({seed}) default init",
        "layers": [
            {"type": "linear", "out_features": 8},
            {"type": "tanh"},
            {"type": "linear", "out_features": 8},
            {"type": "relu"},
            {"type": "linear"},
        ],
        "inputs": 2,
        "outputs": 3,
        "rows": ROWS,
        "state_dict": state(model),
        "x": f32(x),
        "classes": classes.tolist(),
        "regression_targets": f32(regression),
        "logits": f32(logits),
        "cross_entropy": {"loss": ce.item(), "grads": gradients(model, ce)},
        "mse": {"loss": mse.item(), "grads": gradients(model, model_loss(model, x, regression))},
        "mse_one_hot": {"loss": mse_one_hot.item(), "grads": gradients(model, model_loss(model, x, one_hot))},
    }


def model_loss(model, x, target):
    return F.mse_loss(model(x), target)


def trajectory(initial, x, classes, make_optimizer):
    model = make_model()
    model.load_state_dict(initial)
    optimizer = make_optimizer(model.parameters())
    losses = []
    for _ in range(TRAIN_STEPS):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), classes)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return {"losses": losses, "final_state_dict": state(model)}


def main():
    os.makedirs(OUT, exist_ok=True)
    seed, model, x, classes, regression = pick_problem()
    write("mlp_forward_backward.json", forward_backward(seed, model, x, classes, regression))

    initial = {k: v.clone() for k, v in model.state_dict().items()}
    write(
        "mlp_training.json",
        {
            "description": f"{TRAIN_STEPS} full-batch cross-entropy steps from state_dict; losses are before each update",
            "layers": [
                {"type": "linear", "out_features": 8},
                {"type": "tanh"},
                {"type": "linear", "out_features": 8},
                {"type": "relu"},
                {"type": "linear"},
            ],
            "inputs": 2,
            "outputs": 3,
            "state_dict": state(model),
            "x": f32(x),
            "classes": classes.tolist(),
            "sgd": {
                "optimizer": "torch.optim.SGD(lr=0.1, momentum=0.9)",
                **trajectory(initial, x, classes, lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
            },
            "adam": {
                "optimizer": "torch.optim.Adam(lr=0.01)",
                **trajectory(initial, x, classes, lambda p: torch.optim.Adam(p, lr=0.01)),
            },
        },
    )


if __name__ == "__main__":
    main()
