#!/usr/bin/python3
"""A safetensors checkpoint made by PyTorch, and what the model it holds computes.

Run with Debian's python3-torch:  /usr/bin/python3 test/torch/gen_checkpoint_fixture.py
Writes (deterministically; commit the output):
  test/fixtures/torch/checkpoint_mlp_bn.safetensors  model.state_dict() of
      nn.Sequential(Linear(3, 5), BatchNorm1d(5), ReLU(), Linear(5, 2)) after a few training-mode
      batches (so running_mean / running_var / num_batches_tracked are not their initial values)
  test/fixtures/torch/checkpoint_mlp_bn.json         inputs and the model's eval-mode outputs

The `safetensors` Python package is not in Debian, so the file is written here with struct + numpy
exactly as `safetensors.torch.save_file(model.state_dict(), path)` lays it out: an 8-byte
little-endian header length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {...}}
padded with spaces to a multiple of 8 bytes, then the tensors' little-endian bytes, ordered like the
reference writer (larger dtypes first, then by name).

  /usr/bin/python3 test/torch/gen_checkpoint_fixture.py --check FILE.safetensors
reads a file written by the engine with the same format rules, loads it into the model with
load_state_dict(strict=True) and prints the eval-mode outputs for the fixture's inputs.
"""
import json
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "fixtures", "torch"))

DTYPES = {torch.float32: ("F32", np.float32), torch.float64: ("F64", np.float64), torch.int64: ("I64", np.int64)}
NUMPY_OF = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def f32(values):
    array = np.asarray(values.detach().cpu().numpy() if torch.is_tensor(values) else values, dtype=np.float32)
    if array.ndim == 0:
        return float(np.format_float_positional(np.float32(array), unique=True, trim="-"))
    return [f32(v) for v in array]


def make_model():
    return nn.Sequential(nn.Linear(3, 5), nn.BatchNorm1d(5), nn.ReLU(), nn.Linear(5, 2))


def save_file(tensors, path, metadata=None):
    """safetensors.torch.save_file, written by hand following the format's specification."""
    entries = sorted(tensors.items(), key=lambda kv: (-kv[1].element_size(), kv[0]))
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, tensor in entries:
        dtype, np_type = DTYPES[tensor.dtype]
        blob = tensor.detach().contiguous().numpy().astype(np_type).astype(np.dtype(np_type).newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(tensor.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def load_file(path):
    """safetensors.torch.load_file, by hand: checks that the tensors tile the data exactly."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    data = raw[8 + n :]
    metadata = header.pop("__metadata__", {})
    spans = sorted((v["data_offsets"][0], v["data_offsets"][1]) for v in header.values())
    at = 0
    for begin, end in spans:
        assert begin == at, f"gap or overlap at byte {begin}"
        at = end
    assert at == len(data), "tensors do not cover the data exactly"
    tensors = {}
    for name, v in header.items():
        begin, end = v["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=np.dtype(NUMPY_OF[v["dtype"]]).newbyteorder("<"))
        tensors[name] = torch.from_numpy(array.astype(NUMPY_OF[v["dtype"]]).reshape(v["shape"]).copy())
    return tensors, metadata


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(7)
    model = make_model()
    with torch.no_grad():
        # Non-trivial affine parameters, so loading them is visible in the output.
        model[1].weight.uniform_(0.5, 1.5)
        model[1].bias.uniform_(-0.5, 0.5)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(16, 3) * 2 + 0.5)
    model.eval()
    x = torch.randn(6, 3)
    with torch.no_grad():
        out = model(x)
    path = os.path.join(OUT, "checkpoint_mlp_bn.safetensors")
    save_file(model.state_dict(), path, metadata={"format": "pt"})
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")

    reread, _ = load_file(path)
    check = make_model()
    check.load_state_dict(reread, strict=True)
    check.eval()
    assert torch.equal(check(x), out)

    fixture = {
        "description": (
            f"torch {torch.__version__}: nn.Sequential(Linear(3,5), BatchNorm1d(5), ReLU(), Linear(5,2)) after 3 "
            "training-mode batches; state_dict saved as checkpoint_mlp_bn.safetensors; outputs in eval mode"
        ),
        "layers": [
            {"type": "linear", "out_features": 5, "bias": True},
            {"type": "batch_norm"},
            {"type": "relu"},
            {"type": "linear", "bias": True},
        ],
        "inputs": 3,
        "outputs": 2,
        "state_dict": {k: f32(v) if v.dtype == torch.float32 else int(v) for k, v in model.state_dict().items()},
        "x": f32(x),
        "eval_output": f32(out),
    }
    json_path = os.path.join(OUT, "checkpoint_mlp_bn.json")
    with open(json_path, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(json_path)} ({os.path.getsize(json_path)} bytes)")


def check(path):
    with open(os.path.join(OUT, "checkpoint_mlp_bn.json")) as f:
        fixture = json.load(f)
    tensors, metadata = load_file(path)
    model = make_model()
    model_keys = set(model.state_dict().keys())
    missing = model.load_state_dict({k: v for k, v in tensors.items() if k in model_keys}, strict=True)
    model.eval()
    with torch.no_grad():
        out = model(torch.tensor(fixture["x"]))
    print(json.dumps({"metadata_keys": sorted(metadata), "tensors": len(tensors), "load": str(missing), "eval_output": f32(out)}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        main()
