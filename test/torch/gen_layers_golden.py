#!/usr/bin/python3
"""PyTorch golden values for the engine's layers (engine/nn): activations, PReLU, maxout, BatchNorm1d,
LayerNorm and a whole nn.Sequential mixing them.

Run with Debian's python3-torch:  /usr/bin/python3 test/torch/gen_layers_golden.py
Writes (deterministically; commit the output), all under test/fixtures/torch/:
  layers_activations.json  every activation's output and input gradient on fixed values that
                           include kinks (0, ±1, ±3), near-zero and large |x| (softplus threshold,
                           gelu tails); softmax / log_softmax / glu row-wise; erf reference values
  layers_prelu.json        PReLU with one shared slope and one per feature: output, input and weight grads
  layers_maxout.json       maxout vs Linear(in, out·k) + .view(N, out, k).max(-1) composed from torch ops
  layers_batchnorm.json    BatchNorm1d: 3 training batches (sizes 6, 5, 2: forward, backward, running
                           stats after each), then eval-mode forward/backward, for momentum 0.1 / None,
                           affine False, track_running_stats False and a non-default eps
  layers_layernorm.json    LayerNorm forward/backward with and without elementwise affine
  layers_sequential.json   a Sequential of Linear, BatchNorm1d, GELU, Dropout(0), LayerNorm, PReLU,
                           Maxout-free tail and LogSoftmax: state_dict keys in order, forward and every
                           grad in train mode, running stats, eval-mode output

Every backward uses an upstream gradient g: the scalar is (y * g).sum(), so grads are vector-Jacobian
products with a generic g. Tensors are written as flat lists of the shortest decimals that round-trip
their float32 values; the engine reads them row-major.
"""
import copy
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "fixtures", "torch"))

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def f32(values):
    """Tensor -> flat list of floats with their shortest float32 decimal."""
    array = np.asarray(values.detach().cpu().numpy() if torch.is_tensor(values) else values, dtype=np.float32)
    return [float(np.format_float_positional(v, unique=True, trim="-")) for v in array.reshape(-1)]


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")


def vjp(module, x, g, double=False):
    """Output of module(x) and the grads of (y * g).sum() wrt x and every parameter.

    double=True runs the float32 inputs (exactly widened) through a float64 module. Used for the
    normalization layers: torch's float32 kernels sum centered values in float32, which on a feature
    whose mean is large against its spread (mean 5, std 0.09 here) loses ~1e-4 relative, while the
    engine accumulates in double. The float64 run is torch's own formula without that rounding, so a
    difference left is a formula difference; the callers check float32 torch stays close to it
    (same_as_float32).
    """
    if double:
        module.double()
        x, g = x.double(), g.double()
    x = x.clone().requires_grad_(True)
    module.zero_grad()
    y = module(x)
    (y * g).sum().backward()
    grads = {name: f32(p.grad) for name, p in module.named_parameters()}
    return y, x.grad, grads


def same_as_float32(module, x, g, y64, dx64):
    """Asserts a float32 copy of `module` gives (nearly) the float64 result: rounding, not formula."""
    y, dx, _ = vjp(copy.deepcopy(module).float(), x.float(), g.float())
    assert torch.allclose(y.double(), y64, rtol=1e-3, atol=1e-4), "float32 torch output differs"
    assert torch.allclose(dx.double(), dx64, rtol=1e-3, atol=1e-4), "float32 torch input grad differs"


# ---- activations ---------------------------------------------------------------------------------

# Kinks (0, ±1, ±3, -2, 0.5), near zero, moderate values, the softplus threshold (20 / 20.5 with
# beta 1; 2.5 / 2.6 with beta 2, threshold 5) and far tails (gelu and mish vanish, sigmoid saturates).
SPECIAL = [
    0.0, -0.0, 1e-6, -1e-6, 1e-3, -1e-3, 0.1, -0.1, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0,
    2.5, 2.6, -2.9, 2.9, 3.1, -3.1, 0.7, -0.7, 1.5, -1.5, 4.0, -4.0, 5.0, -5.0, 8.0, -8.0,
    10.0, -10.0, 15.0, -15.0, 19.5, 20.0, 20.5, -20.0, 25.0, -25.0, 50.0, -50.0, 100.0, -100.0, 0.25, -0.25,
]

ACTIVATIONS = [
    ({"type": "relu"}, lambda: nn.ReLU()),
    ({"type": "leaky_relu"}, lambda: nn.LeakyReLU()),
    ({"type": "leaky_relu", "negative_slope": 0.2}, lambda: nn.LeakyReLU(0.2)),
    ({"type": "elu"}, lambda: nn.ELU()),
    ({"type": "elu", "alpha": 0.5}, lambda: nn.ELU(0.5)),
    ({"type": "selu"}, lambda: nn.SELU()),
    ({"type": "celu"}, lambda: nn.CELU()),
    ({"type": "celu", "alpha": 2.0}, lambda: nn.CELU(2.0)),
    ({"type": "gelu"}, lambda: nn.GELU()),
    ({"type": "gelu", "approximate": "tanh"}, lambda: nn.GELU(approximate="tanh")),
    ({"type": "silu"}, lambda: nn.SiLU()),
    ({"type": "swish"}, lambda: nn.SiLU()),
    ({"type": "hardswish"}, lambda: nn.Hardswish()),
    ({"type": "softplus"}, lambda: nn.Softplus()),
    ({"type": "softplus", "beta": 2.0, "threshold": 5.0}, lambda: nn.Softplus(beta=2.0, threshold=5.0)),
    ({"type": "sigmoid"}, lambda: nn.Sigmoid()),
    ({"type": "tanh"}, lambda: nn.Tanh()),
    ({"type": "mish"}, lambda: nn.Mish()),
    ({"type": "hardtanh"}, lambda: nn.Hardtanh()),
    ({"type": "hardtanh", "min_val": -2.0, "max_val": 0.5}, lambda: nn.Hardtanh(-2.0, 0.5)),
    ({"type": "relu6"}, lambda: nn.ReLU6()),
    ({"type": "hardsigmoid"}, lambda: nn.Hardsigmoid()),
    ({"type": "softsign"}, lambda: nn.Softsign()),
    ({"type": "logsigmoid"}, lambda: nn.LogSigmoid()),
]

ROWWISE = [
    ({"type": "softmax"}, lambda: nn.Softmax(dim=1)),
    ({"type": "log_softmax"}, lambda: nn.LogSoftmax(dim=1)),
]

ERF_POINTS = [0.0, 1e-12, 1e-5, 0.01, 0.1, 0.3, 0.5, 0.8, 0.99, 1.0, 1.01, 1.3, 1.7, 2.0, 2.3, 2.49, 2.5, 2.51,
              2.8, 3.0, 3.5, 4.0, 5.0, 6.0, 7.5, 10.0, 15.0, 26.0, 27.5]


def activations():
    gen = torch.Generator().manual_seed(1)
    rows, features = 6, 8
    x = torch.tensor(SPECIAL, dtype=torch.float32).reshape(rows, features)
    g = (torch.rand(rows, features, generator=gen) * 2 - 1).float()
    cases = []
    for spec, make in ACTIVATIONS:
        module = make()
        y, dx, _ = vjp(module, x, g)
        cases.append({"spec": spec, "torch": repr(module), "output": f32(y), "grad_input": f32(dx)})

    # Row-wise: moderate rows, rows with huge / tiny scores (stability), a constant row.
    xr = torch.tensor(
        [
            [0.5, -1.2, 2.0, 0.0, 0.3],
            [100.0, 99.0, -100.0, 0.0, 101.0],
            [-1000.0, -999.5, -1001.0, -1000.0, -998.0],
            [1.0, 1.0, 1.0, 1.0, 1.0],
        ],
        dtype=torch.float32,
    )
    gr = (torch.rand(4, 5, generator=gen) * 2 - 1).float()
    rowwise = []
    for spec, make in ROWWISE:
        module = make()
        y, dx, _ = vjp(module, xr, gr)
        rowwise.append({"spec": spec, "torch": repr(module), "output": f32(y), "grad_input": f32(dx)})

    xg = (torch.rand(3, 6, generator=gen) * 8 - 4).float()
    gg = (torch.rand(3, 3, generator=gen) * 2 - 1).float()
    y, dx, _ = vjp(nn.GLU(dim=-1), xg, gg)
    glu = {"spec": {"type": "glu"}, "torch": "nn.GLU(dim=-1)", "rows": 3, "features": 6,
           "x": f32(xg), "g": f32(gg), "output": f32(y), "grad_input": f32(dx)}

    return {
        "description": "torch " + torch.__version__ + ": elementwise activations on x (rows × features, row-major)"
        " with upstream gradient g; grad_input = ∂(Σ y·g)/∂x",
        "rows": rows,
        "features": features,
        "x": f32(x),
        "g": f32(g),
        "cases": cases,
        "rowwise": {"rows": 4, "features": 5, "x": f32(xr), "g": f32(gr), "cases": rowwise},
        "glu": glu,
        # Python's math.erf / math.erfc (double precision), for engine/nn/erf.ts.
        "erf": [[x, math.erf(x), math.erfc(x), math.erf(-x), math.erfc(-x)] for x in ERF_POINTS],
    }


# ---- PReLU ---------------------------------------------------------------------------------------

def prelu():
    gen = torch.Generator().manual_seed(2)
    rows, features = 5, 4
    x = (torch.rand(rows, features, generator=gen) * 4 - 2).float()
    x[0, 0] = 0.0  # the kink: torch takes the a·x branch (gradient wrt a: x·g = 0)
    g = (torch.rand(rows, features, generator=gen) * 2 - 1).float()
    cases = []
    for spec, weight in [
        ({"type": "prelu"}, None),
        ({"type": "prelu", "num_parameters": 1, "init": -0.3}, [-0.3]),
        ({"type": "prelu", "num_parameters": features}, [0.1, -0.2, 0.3, 0.5]),
    ]:
        module = nn.PReLU(num_parameters=spec.get("num_parameters", 1), init=spec.get("init", 0.25))
        if weight is not None:
            with torch.no_grad():
                module.weight.copy_(torch.tensor(weight))
        y, dx, grads = vjp(module, x, g)
        cases.append({"spec": spec, "weight": f32(module.weight), "output": f32(y), "grad_input": f32(dx),
                      "grad_weight": grads["weight"]})
    return {"description": "torch " + torch.__version__ + ": nn.PReLU", "rows": rows, "features": features,
            "x": f32(x), "g": f32(g), "cases": cases}


# ---- maxout --------------------------------------------------------------------------------------

class Maxout(nn.Module):
    """The engine's maxout from torch ops: Linear(in, out·k), then max over consecutive groups of k."""

    def __init__(self, inputs, outputs, pieces, bias=True):
        super().__init__()
        self.outputs, self.pieces = outputs, pieces
        self.linear = nn.Linear(inputs, outputs * pieces, bias=bias)

    def forward(self, x):
        z = self.linear(x)
        return z.view(x.shape[0], self.outputs, self.pieces).max(dim=-1).values


def maxout():
    torch.manual_seed(3)
    rows, inputs = 6, 5
    cases = []
    for outputs, pieces, bias in [(3, 3, True), (4, 2, True), (2, 4, False)]:
        module = Maxout(inputs, outputs, pieces, bias)
        x = torch.randn(rows, inputs)
        g = torch.rand(rows, outputs) * 2 - 1
        y, dx, grads = vjp(module, x, g)
        case = {"in_features": inputs, "out_features": outputs, "pieces": pieces, "bias": bias,
                "weight": f32(module.linear.weight), "x": f32(x), "g": f32(g), "output": f32(y),
                "grad_input": f32(dx), "grad_weight": grads["linear.weight"]}
        if bias:
            case["bias_values"] = f32(module.linear.bias)
            case["grad_bias"] = grads["linear.bias"]
        cases.append(case)
    return {"description": "torch " + torch.__version__ + ": Linear(in, out·k) then .view(N, out, k).max(-1)",
            "rows": rows, "cases": cases}


# ---- BatchNorm1d ---------------------------------------------------------------------------------

BATCH_SIZES = [6, 5, 2]


def batchnorm_case(spec, features, gen):
    module = nn.BatchNorm1d(features, eps=spec.get("eps", 1e-5), momentum=spec.get("momentum", 0.1),
                            affine=spec.get("affine", True),
                            track_running_stats=spec.get("track_running_stats", True))
    if module.affine:
        with torch.no_grad():
            module.weight.copy_(torch.rand(features, generator=gen) + 0.5)
            module.bias.copy_(torch.rand(features, generator=gen) - 0.5)
    initial = {name: f32(t) for name, t in module.state_dict().items()}
    # Features with different means and spreads, as a layer's pre-activations have.
    scale = torch.tensor([1.0, 3.0, 0.2, 10.0])[:features]
    shift = torch.tensor([0.0, -2.0, 5.0, 1.0])[:features]
    batches = []
    module.train()
    for rows in BATCH_SIZES:
        x = (torch.randn(rows, features, generator=gen) * scale + shift).float()
        g = (torch.rand(rows, features, generator=gen) * 2 - 1).float()
        before = copy.deepcopy(module)
        y, dx, grads = vjp(module, x, g, double=True)
        same_as_float32(before, x, g, y, dx)
        batch = {"rows": rows, "x": f32(x), "g": f32(g), "output": f32(y), "grad_input": f32(dx), "grads": grads,
                 "state_dict": {name: (int(t.item()) if t.dtype == torch.long else f32(t))
                                for name, t in module.state_dict().items()}}
        batches.append(batch)
    module.eval()
    rows = 4
    x = (torch.randn(rows, features, generator=gen) * scale + shift).float()
    g = (torch.rand(rows, features, generator=gen) * 2 - 1).float()
    y, dx, grads = vjp(module, x, g, double=True)
    same_as_float32(module, x, g, y, dx)
    evaluation = {"rows": rows, "x": f32(x), "g": f32(g), "output": f32(y), "grad_input": f32(dx), "grads": grads}
    return {"spec": spec, "torch": repr(module), "state_dict_keys": list(module.state_dict().keys()),
            "initial_state_dict": initial, "train": batches, "eval": evaluation}


def batchnorm():
    gen = torch.Generator().manual_seed(4)
    features = 4
    specs = [
        {"type": "batch_norm"},
        {"type": "batch_norm", "momentum": None},
        {"type": "batch_norm", "affine": False},
        {"type": "batch_norm", "track_running_stats": False},
        {"type": "batch_norm", "eps": 1e-3, "momentum": 0.3},
    ]
    return {"description": "torch " + torch.__version__ + ": nn.BatchNorm1d, 3 training batches then eval",
            "features": features, "cases": [batchnorm_case(s, features, gen) for s in specs]}


# ---- LayerNorm -----------------------------------------------------------------------------------

def layernorm():
    gen = torch.Generator().manual_seed(5)
    rows, features = 5, 6
    x = (torch.randn(rows, features, generator=gen) * 2 + 0.5).float()
    x[4] = 3.0  # a constant row: variance 0, only ε keeps it finite
    g = (torch.rand(rows, features, generator=gen) * 2 - 1).float()
    cases = []
    for spec in [{"type": "layer_norm"}, {"type": "layer_norm", "eps": 1e-3},
                 {"type": "layer_norm", "elementwise_affine": False}]:
        module = nn.LayerNorm(features, eps=spec.get("eps", 1e-5),
                              elementwise_affine=spec.get("elementwise_affine", True))
        case = {"spec": spec, "torch": repr(module)}
        if module.elementwise_affine:
            with torch.no_grad():
                module.weight.copy_(torch.rand(features, generator=gen) + 0.5)
                module.bias.copy_(torch.rand(features, generator=gen) - 0.5)
            case["weight"] = f32(module.weight)
            case["bias"] = f32(module.bias)
        y, dx, grads = vjp(module, x, g, double=True)
        same_as_float32(module, x, g, y, dx)
        case.update({"output": f32(y), "grad_input": f32(dx), "grads": grads})
        cases.append(case)
    return {"description": "torch " + torch.__version__ + ": nn.LayerNorm(features)", "rows": rows,
            "features": features, "x": f32(x), "g": f32(g), "cases": cases}


# ---- a whole Sequential --------------------------------------------------------------------------

def sequential():
    torch.manual_seed(6)
    layers = [
        ({"type": "linear", "out_features": 8, "bias": True}, nn.Linear(3, 8)),
        ({"type": "batch_norm"}, nn.BatchNorm1d(8)),
        ({"type": "gelu"}, nn.GELU()),
        ({"type": "dropout", "p": 0.0}, nn.Dropout(0.0)),
        ({"type": "linear", "out_features": 6, "bias": True}, nn.Linear(8, 6)),
        ({"type": "layer_norm"}, nn.LayerNorm(6)),
        ({"type": "prelu", "num_parameters": 6}, nn.PReLU(6)),
        ({"type": "linear", "out_features": 4, "bias": False}, nn.Linear(6, 4, bias=False)),
        ({"type": "elu"}, nn.ELU()),
        ({"type": "linear", "bias": True}, nn.Linear(4, 3)),
        ({"type": "log_softmax"}, nn.LogSoftmax(dim=1)),
    ]
    model = nn.Sequential(*[m for _, m in layers])
    with torch.no_grad():
        model[1].weight.uniform_(0.5, 1.5)
        model[1].bias.uniform_(-0.5, 0.5)
        model[5].weight.uniform_(0.5, 1.5)
        model[5].bias.uniform_(-0.5, 0.5)
        model[6].weight.uniform_(0.0, 0.5)
    initial = {name: (int(t.item()) if t.dtype == torch.long else f32(t)) for name, t in model.state_dict().items()}
    rows = 8
    x = torch.randn(rows, 3)
    g = torch.rand(rows, 3) * 2 - 1
    model.train()
    before = copy.deepcopy(model)
    y, dx, grads = vjp(model, x, g, double=True)
    same_as_float32(before, x, g, y, dx)
    after = {name: (int(t.item()) if t.dtype == torch.long else f32(t)) for name, t in model.state_dict().items()}
    model.eval()
    with torch.no_grad():
        y_eval = model(x.double())
    return {
        "description": "torch " + torch.__version__ + ": " + " → ".join(repr(m) for _, m in layers),
        "layers": [s for s, _ in layers],
        "inputs": 3,
        "outputs": 3,
        "rows": rows,
        "state_dict_keys": list(model.state_dict().keys()),
        "state_dict": initial,
        "x": f32(x),
        "g": f32(g),
        "train": {"output": f32(y), "grad_input": f32(dx), "grads": grads, "state_dict_after": after},
        "eval_output": f32(y_eval),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    write("layers_activations.json", activations())
    write("layers_prelu.json", prelu())
    write("layers_maxout.json", maxout())
    write("layers_batchnorm.json", batchnorm())
    write("layers_layernorm.json", layernorm())
    write("layers_sequential.json", sequential())


if __name__ == "__main__":
    main()
