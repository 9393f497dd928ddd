"""The Fashion-MNIST goal run in PyTorch, for comparison with Trainscope's
(examples/fashion-mnist-full.experiment.json): a 784-256-256-10 ReLU MLP, Kaiming-normal weights
and zero biases, Adam(lr=1e-3), batch 128, pixels / 255, 8 epochs on all 60,000 training images;
test accuracy after each epoch. Needs Debian's python3-torch and dataset-fashion-mnist.

    /usr/bin/python3 bench/fashion-mnist-reference.py [DATA_DIR] [SEED]
"""
import gzip
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

data_dir = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0


def idx(name):
    with gzip.open(f"{data_dir}/{name}.gz") as f:
        raw = f.read()
    ndims = raw[3]
    dims = struct.unpack(">" + "I" * ndims, raw[4 : 4 + 4 * ndims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndims).reshape(dims)


x = torch.tensor(idx("train-images-idx3-ubyte").reshape(-1, 784), dtype=torch.float32) / 255
y = torch.tensor(idx("train-labels-idx1-ubyte"), dtype=torch.long)
tx = torch.tensor(idx("t10k-images-idx3-ubyte").reshape(-1, 784), dtype=torch.float32) / 255
ty = torch.tensor(idx("t10k-labels-idx1-ubyte"), dtype=torch.long)

torch.manual_seed(seed)
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
for m in model:
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.zeros_(m.bias)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(1, 9):
    start = time.perf_counter()
    model.train()
    order = torch.randperm(len(x))
    for i in range(0, len(x), 128):
        rows = order[i : i + 128]
        opt.zero_grad()
        loss = loss_fn(model(x[rows]), y[rows])
        loss.backward()
        opt.step()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        out = model(tx)
        acc = (out.argmax(1) == ty).float().mean().item()
        test_loss = loss_fn(out, ty).item()
    print(f"epoch {epoch}: test loss {test_loss:.4f}, test acc {100 * acc:.2f}%  ({seconds:.1f} s)", flush=True)
