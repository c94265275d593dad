#!/usr/bin/env python3
"""PyTorch (Debian's python3-torch, CPU) on the benchmark workloads W1-W3.

Started by bench/run.ts as: python3 pytorch.py PLAN_JSON SYSTEM
(SYSTEM is "pytorch", or "pytorch-openblas" when run.ts points
LD_LIBRARY_PATH at OpenBLAS). Prints one JSON object per line, as the Node
workers do: the same networks, initial weights (PLAN's initFile), learning
rates, batch sizes and sample order (gradstep's mulberry32 shuffle) as
gradstep, float32, once per thread count in PLAN's threads.
"""
import gzip
import json
import os
import re
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def emit(obj):
    print(json.dumps(obj), flush=True)


def median(values):
    s = sorted(values)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


class Rng:
    """gradstep's mulberry32 (src/engine/rng.ts), bit for bit, so the epoch visits samples in the same order."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    def int(self, low, high):
        return low + int(self.next() * (high - low + 1))


def shuffled_order(count, seed):
    """gradstep's shuffledOrder: Fisher-Yates from the end."""
    rng = Rng(seed)
    order = list(range(count))
    for i in range(count - 1, 0, -1):
        j = rng.int(0, i)
        order[i], order[j] = order[j], order[i]
    return torch.tensor(order, dtype=torch.int64)


def read_idx(path):
    """An IDX file of unsigned bytes (MNIST's format), gzipped."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    zero, kind, rank = struct.unpack(">HBB", raw[:4])
    if zero != 0 or kind != 0x08:
        raise ValueError(f"{path}: expected an IDX file of unsigned bytes")
    dims = struct.unpack(">" + "I" * rank, raw[4 : 4 + 4 * rank])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load_split(plan, prefix, count):
    d = plan["dataDir"]
    images = read_idx(f"{d}/{prefix}-images-idx3-ubyte.gz")[:count]
    labels = read_idx(f"{d}/{prefix}-labels-idx1-ubyte.gz")[:count]
    # pixel / 255 in float64, then float32: the values gradstep's loader makes.
    x = (images.reshape(len(images), -1).astype(np.float64) / 255).astype(np.float32)
    return torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


def read_init(plan):
    """The 784-256-128-10 parameters every system starts from: per layer, weights (units x inputs) then bias."""
    sizes = plan["mlp"]["sizes"]
    values = np.fromfile(plan["initFile"], dtype="<f4")
    layers, at = [], 0
    for inputs, units in zip(sizes, sizes[1:]):
        w = values[at : at + units * inputs].reshape(units, inputs)
        at += units * inputs
        b = values[at : at + units]
        at += units
        layers.append((w, b))
    if at != len(values):
        raise ValueError(f"{plan['initFile']}: expected {at} float32 values, found {len(values)}")
    return layers


def dense(params, activations):
    """nn.Sequential of Linear layers holding `params` ((weights, bias) pairs), each followed by its activation."""
    modules = []
    for (w, b), relu in zip(params, activations):
        linear = nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            linear.weight.copy_(torch.as_tensor(np.asarray(w, dtype=np.float32)))
            linear.bias.copy_(torch.as_tensor(np.asarray(b, dtype=np.float32)))
        modules.append(linear)
        if relu:
            modules.append(nn.ReLU())
    return nn.Sequential(*modules)


def over_budget(plan, seconds, done, total, unit):
    if done == 0 or done >= total:
        return None
    projected = seconds / done * total
    judged = seconds >= min(1, plan["budgetSeconds"] / 5)
    if seconds <= plan["budgetSeconds"] and (not judged or projected <= plan["budgetSeconds"]):
        return None
    return (
        f"one run would take about {round(projected)} s ({round(done / seconds):,} {unit}/s over its first {done:,} {unit}), "
        f"over the {plan['budgetSeconds']} s budget (--budget)"
    )


def steps_per_second(step, plan):
    """Warm-up that also sizes the timed windows, then `repeat` windows of that many steps."""
    done, chunk = 0, 1
    start = time.perf_counter()
    while time.perf_counter() - start < plan["warmupSeconds"]:
        chunk_start = time.perf_counter()
        for _ in range(chunk):
            step()
        done += chunk
        if time.perf_counter() - chunk_start < 0.01:
            chunk *= 2
    count = max(1, round(done / (time.perf_counter() - start) * plan["w1Seconds"]))
    runs = []
    for _ in range(plan["repeat"]):
        t0 = time.perf_counter()
        for _ in range(count):
            step()
        runs.append(count / (time.perf_counter() - t0))
    return median(runs), runs


def w1(plan, system, threads, details):
    tiny = plan["tiny"]
    params = [(np.array(l["weights"]), np.array(l["bias"])) for l in tiny["layers"]]
    model = dense(params, [True] * (len(params) - 1) + [False])
    optimizer = torch.optim.SGD(model.parameters(), lr=tiny["learningRate"])
    x = torch.tensor([tiny["x"]], dtype=torch.float32)
    t = torch.tensor([tiny["target"]], dtype=torch.float32)

    def step():
        optimizer.zero_grad()
        loss = 0.5 * ((model(x) - t) ** 2).sum()
        loss.backward()
        optimizer.step()

    value, runs = steps_per_second(step, plan)
    emit({"workload": "W1", "system": system, "metric": "steps/s", "value": value, "threads": threads, "runs": runs, "details": details})


def mlp(init):
    return dense(init, [True] * (len(init) - 1) + [False])


def epoch(plan, init, x, y):
    """One epoch of mini-batch SGD on softmax cross-entropy from fresh initial weights; (model, samples/s or None, why skipped)."""
    model = mlp(init)
    optimizer = torch.optim.SGD(model.parameters(), lr=plan["mlp"]["learningRate"])
    batch, count = plan["mlp"]["batch"], len(x)
    order = shuffled_order(count, plan["orderSeed"])
    t0 = time.perf_counter()
    for start in range(0, count, batch):
        idx = order[start : start + batch]
        loss = F.cross_entropy(model(x[idx]), y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        skipped = over_budget(plan, time.perf_counter() - t0, min(count, start + batch), count, "samples")
        if skipped:
            return model, None, skipped
    return model, count / (time.perf_counter() - t0), None


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def w2(plan, system, threads, details, init, train, warmup, test):
    epoch(plan, init, *warmup)
    runs, acc = [], 0.0
    for _ in range(plan["repeat"]):
        model, rate, skipped = epoch(plan, init, *train)
        if skipped:
            emit({"workload": "W2", "system": system, "metric": "samples/s", "value": None, "threads": threads, "skipped": skipped})
            return
        runs.append(rate)
        acc = accuracy(model, *test)
    emit(
        {
            "workload": "W2",
            "system": system,
            "metric": "samples/s",
            "value": median(runs),
            "threads": threads,
            "runs": runs,
            "accuracy": acc,
            "details": {**details, "samples": len(train[0])},
        }
    )


def w3(plan, system, threads, details, init, test):
    model = mlp(init)
    x = test[0]
    batches = list(torch.split(x, plan["mlp"]["inferenceBatch"]))

    def one_pass():
        with torch.no_grad():
            for xb in batches:
                torch.softmax(model(xb), 1)

    one_pass()
    runs = []
    for _ in range(plan["repeat"]):
        t0 = time.perf_counter()
        for _ in range(plan["w3Passes"]):
            one_pass()
        runs.append(plan["w3Passes"] * len(x) / (time.perf_counter() - t0))
    emit({"workload": "W3", "system": system, "metric": "samples/s", "value": median(runs), "threads": threads, "runs": runs, "details": {**details, "images": len(x)}})


def loaded_blas():
    """The BLAS and LAPACK libraries this process has mapped, resolved through Debian's alternatives symlinks."""
    torch.randn(64, 64) @ torch.randn(64, 64)
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            name = os.path.basename(path)
            if "blas" in name or "lapack" in name:
                found.add(os.path.realpath(path))
    return sorted(found)


def blas_info():
    """What torch was built against, from its build configuration (Debian's says "generic": whatever libblas.so.3 is)."""
    found = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    return found.group(1) if found else "unknown"


def main():
    plan = json.loads(sys.argv[1])
    system = sys.argv[2]
    blas = loaded_blas()
    emit({"note": f"{system}: torch {torch.__version__} under {sys.executable}, built with BLAS_INFO={blas_info()} (sgemm from whatever libblas.so.3 loads)"})
    workloads = plan["workloads"]
    data = None
    init = None
    if "W2" in workloads or "W3" in workloads:
        init = read_init(plan)
        x, y = load_split(plan, "train", max(plan["trainSamples"], plan["warmupSamples"]))
        data = {
            "train": (x[: plan["trainSamples"]], y[: plan["trainSamples"]]),
            "warmup": (x[: plan["warmupSamples"]], y[: plan["warmupSamples"]]),
            "test": load_split(plan, "t10k", plan["testSamples"]),
        }
    for threads in plan["threads"]:
        torch.set_num_threads(threads)
        details = {"torch": torch.__version__, "blas": blas, "threads": torch.get_num_threads()}
        if "W1" in workloads:
            w1(plan, system, threads, details)
        if "W2" in workloads:
            w2(plan, system, threads, details, init, data["train"], data["warmup"], data["test"])
        if "W3" in workloads:
            w3(plan, system, threads, details, init, data["test"])


if __name__ == "__main__":
    main()
