#!/usr/bin/env python3
"""PyTorch's side of `npm run bench`: one workload in this process, one JSON line on stdout.

    torch_workloads.py W1|W2|W3|W5 THREADS

The same workloads as bench/engine.workload.ts: W1 784-256-256-10 ReLU, batch 128, Adam(1e-3);
W2 2-64-64-3 on a spiral, batch 32, SGD(0.01, momentum 0.9); W3 784-1024-1024-10, batch 256, Adam;
W5 one epoch of W1's net over 60,000 × 784 random rows (shuffled, batch 128) plus the evaluation of
the training set and of 10,000 validation rows in chunks of 1024 under torch.no_grad(), as
Trainscope's session does at each epoch's end. A standard training loop: zero_grad, forward,
cross-entropy, backward, step. Run with Debian's /usr/bin/python3 and OpenBLAS's OpenMP build
(LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp), so BLAS shares torch's OpenMP pool.
"""
import json, os, resource, statistics, sys, time

workload, threads = sys.argv[1], int(sys.argv[2])
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(threads)
import torch  # noqa: E402 (after the thread variables)

torch.set_num_threads(threads)
torch.manual_seed(0)
SHAPES = {  # dims, batch, optimizer, warm-up steps, steps per repeat
    "W1": ([784, 256, 256, 10], 128, "adam", 50, 200),
    "W2": ([2, 64, 64, 3], 32, "sgd", 500, 2000),
    "W3": ([784, 1024, 1024, 10], 256, "adam", 5, 50),
    "W5": ([784, 256, 256, 10], 128, "adam", 0, 0),
}
REPEATS = 5
# Slow runs (a busy machine): steps per repeat shrunk so that one repeat takes about this long.
TARGET_S = 3.0
dims, batch, optimizer_name, warm, steps = SHAPES[workload]


def model_and_optimizer():
    layers = []
    for i in range(len(dims) - 1):
        layers.append(torch.nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    if optimizer_name == "adam":
        return model, torch.optim.Adam(model.parameters(), lr=1e-3)
    return model, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)


loss_fn = torch.nn.CrossEntropyLoss()
g = torch.Generator().manual_seed(1)


def step(model, opt, x, y):
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss


out = {"system": "pytorch", "workload": workload, "threads": threads, "version": torch.__version__}
if workload == "W5":
    x_train = torch.rand(60000, dims[0], generator=g)
    y_train = torch.randint(0, dims[-1], (60000,), generator=g)
    x_val = torch.rand(10000, dims[0], generator=g)
    y_val = torch.randint(0, dims[-1], (10000,), generator=g)

    def evaluate(model, x, y):
        model.eval()
        total, correct = 0.0, 0
        with torch.no_grad():
            for start in range(0, x.shape[0], 1024):
                logits = model(x[start:start + 1024])
                total += loss_fn(logits, y[start:start + 1024]).item() * logits.shape[0]
                correct += (logits.argmax(1) == y[start:start + 1024]).sum().item()
        model.train()
        return total / x.shape[0], correct / x.shape[0]

    values, parts = [], {}
    for repeat in range(int(os.environ.get("BENCH_EPOCHS", "3")) + 1):  # the first is a warm-up
        model, opt = model_and_optimizer()
        t0 = time.perf_counter()
        order = torch.randperm(60000, generator=g)
        for start in range(0, 60000, batch):
            idx = order[start:start + batch]
            step(model, opt, x_train[idx], y_train[idx])
        t1 = time.perf_counter()
        evaluate(model, x_train, y_train)
        evaluate(model, x_val, y_val)
        t2 = time.perf_counter()
        if repeat > 0:
            values.append(t2 - t0)
            parts = {"train_s": t1 - t0, "eval_s": t2 - t1}
    out.update(unit="s", values=values, parts=parts)
else:
    model, opt = model_and_optimizer()
    if workload == "W2":
        xs, ys = [], []
        for _ in range(64):
            c = torch.arange(batch) % 3
            t = torch.rand(batch, generator=g)
            th = c * 4.0 + t * 4.0 + 0.2 * torch.randn(batch, generator=g)
            xs.append(torch.stack([t * torch.sin(th), t * torch.cos(th)], 1))
            ys.append(c)
    else:
        teacher = torch.randn(dims[0], dims[-1], generator=g)
        xs = [torch.randn(batch, dims[0], generator=g) for _ in range(64)]
        ys = [(x @ teacher).argmax(1) for x in xs]
    for i in range(warm):
        step(model, opt, xs[i % 64], ys[i % 64])
    t0 = time.perf_counter()
    for i in range(3):
        loss = step(model, opt, xs[i % 64], ys[i % 64])
    loss.item()
    rate = 3 / (time.perf_counter() - t0)
    steps = max(3, min(steps, round(rate * TARGET_S)))
    out["steps_per_repeat"] = steps
    values = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        for i in range(steps):
            loss = step(model, opt, xs[i % 64], ys[i % 64])
        loss.item()
        values.append(steps / (time.perf_counter() - t0))
    out.update(unit="steps/s", values=values)
out["median"] = statistics.median(out["values"])
usage = resource.getrusage(resource.RUSAGE_SELF)
out["peak_rss_kb"] = usage.ru_maxrss
out["cpu_s"] = usage.ru_utime + usage.ru_stime
print(json.dumps(out))
