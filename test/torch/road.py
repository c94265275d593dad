"""PyTorch's side of the road from gradstep to PyTorch, for test/pytorch.test.ts.

Each command reads what gradstep wrote (safetensors laid out as PyTorch's
nn.Linear: layers.K.weight is units x inputs, layers.K.bias is units; IDX
images and labels) and prints JSON. Everything runs in float32, on the CPU.

  outputs MODEL.safetensors DATA_DIR ACTIVATIONS
      softmax outputs on the test images, and the gradients of the mean
      cross-entropy over them with respect to every parameter
  continue CHECKPOINT.safetensors DATA_DIR ACTIVATIONS EPOCHS LR
      full-batch Adam from a gradstep checkpoint (parameters, both moments,
      the step count): the loss before each further step
  train OUT.safetensors DATA_DIR ACTIVATIONS STEPS LR
      trains a fresh nn.Sequential with SGD, writes its parameters for
      gradstep, and prints its softmax outputs on the test images
"""
import gzip
import json
import struct
import sys

import numpy as np
import torch

torch.manual_seed(0)
torch.set_num_threads(1)

ACTIVATIONS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid, "identity": torch.nn.Identity}


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4 : 4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def dataset(folder, part):
    images = read_idx(f"{folder}/{part}-images-idx3-ubyte")
    labels = read_idx(f"{folder}/{part}-labels-idx1-ubyte")
    x = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / np.float32(255))
    return x, torch.from_numpy(labels.astype(np.int64))


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    body = raw[8 + length :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", f"{name}: expected F32, found {info['dtype']}"
        start, end = info["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(body[start:end], dtype="<f4").copy().reshape(info["shape"]))
    return tensors


def write_safetensors(path, tensors):
    header, chunks, offset = {}, [], 0
    for name, tensor in tensors.items():
        data = tensor.detach().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def sequential(tensors, activations):
    """gradstep's layers.K as nn.Sequential(Linear, activation, Linear, ...); a softmax output is left to the loss."""
    modules = []
    for k, activation in enumerate(activations):
        weight = tensors[f"layers.{k}.weight"]
        linear = torch.nn.Linear(weight.shape[1], weight.shape[0])
        with torch.no_grad():
            linear.weight.copy_(weight)
            linear.bias.copy_(tensors[f"layers.{k}.bias"])
        modules.append(linear)
        if activation != "softmax":
            modules.append(ACTIVATIONS[activation]())
    return torch.nn.Sequential(*modules)


def linears(model):
    return [m for m in model if isinstance(m, torch.nn.Linear)]


def outputs(model_file, folder, arch):
    model = sequential(read_safetensors(model_file), arch)
    x, y = dataset(folder, "t10k")
    logits = model(x)
    torch.nn.functional.cross_entropy(logits, y).backward()
    grads = {}
    for k, linear in enumerate(linears(model)):
        grads[f"layers.{k}.weight"] = linear.weight.grad.flatten().tolist()
        grads[f"layers.{k}.bias"] = linear.bias.grad.flatten().tolist()
    return {"probabilities": torch.softmax(logits, dim=1).tolist(), "gradients": grads}


def resume(checkpoint, folder, arch, epochs, lr):
    tensors = read_safetensors(checkpoint)
    with open(checkpoint, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    record = json.loads(json.loads(raw[8 : 8 + length])["__metadata__"]["gradstep-checkpoint"])
    model = sequential(tensors, arch)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    # gradstep keeps, per layer, the weights' then the bias's first and second moments.
    buffers = iter(sorted(name for name in tensors if name.startswith("optimizer.")))
    for parameter in [p for linear in linears(model) for p in (linear.weight, linear.bias)]:
        optimizer.state[parameter] = {
            "step": torch.tensor(float(record["steps"])),
            "exp_avg": tensors[next(buffers)].reshape(parameter.shape).clone(),
            "exp_avg_sq": tensors[next(buffers)].reshape(parameter.shape).clone(),
        }
    x, y = dataset(folder, "train")
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    return {"epoch": record["epoch"], "losses": losses}


def train(out, folder, arch, steps, lr):
    x, y = dataset(folder, "train")
    hidden = 16
    shapes = [(x.shape[1], hidden)] + [(hidden, hidden)] * (len(arch) - 2) + [(hidden, int(y.max()) + 1)]
    modules = []
    for (n_in, n_out), activation in zip(shapes, arch):
        modules.append(torch.nn.Linear(n_in, n_out))
        if activation != "softmax":
            modules.append(ACTIVATIONS[activation]())
    model = torch.nn.Sequential(*modules)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    tensors = {}
    for k, linear in enumerate(linears(model)):
        tensors[f"layers.{k}.weight"] = linear.weight
        tensors[f"layers.{k}.bias"] = linear.bias
    write_safetensors(out, tensors)
    test_x, _ = dataset(folder, "t10k")
    return {"probabilities": torch.softmax(model(test_x), dim=1).tolist()}


if __name__ == "__main__":
    command, path, folder, arch = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
    if command == "outputs":
        result = outputs(path, folder, arch)
    elif command == "continue":
        result = resume(path, folder, arch, int(sys.argv[5]), float(sys.argv[6]))
    elif command == "train":
        result = train(path, folder, arch, int(sys.argv[5]), float(sys.argv[6]))
    else:
        sys.exit(f"unknown command {command}")
    json.dump(result, sys.stdout)
