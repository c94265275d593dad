import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LOSSES } from "../src/engine/losses.js";
import { fromRows } from "../src/engine/matrix.js";
import { buildNetwork } from "../src/engine/network.js";
import { backward, forward } from "../src/engine/propagate.js";
import { loadModel } from "../src/io/model-file.js";
import { gradstep } from "./cli.js";

/**
 * The road from gradstep to PyTorch, travelled with Debian's python3-torch
 * (the test set-up installs it): a gradstep model loads into nn.Sequential
 * with the same outputs and gradients, a PyTorch-trained state dict comes
 * back through `--arch` with the same outputs, and training continues in
 * PyTorch from a gradstep checkpoint along gradstep's own loss curve.
 */

const PYTHON = "/usr/bin/python3";
const ROAD = fileURLToPath(new URL("torch/road.py", import.meta.url));
const hasTorch = spawnSync(PYTHON, ["-c", "import torch"]).status === 0;

const SIDE = 8;
const CLASSES = 3;
/** float32 through two different sums: outputs agree to about 1e-6, gradients and losses to a few 1e-6 relative. */
const TOLERANCE = 2e-5;

let dir: string;
let data: string;

/** 8×8 images of three classes (a bright block top left, centre or bottom right) with seeded noise. */
function images(count: number, seed: number): { pixels: Uint8Array; labels: Uint8Array } {
  let state = seed;
  const noise = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 90;
  const pixels = new Uint8Array(count * SIDE * SIDE);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % CLASSES;
    labels[n] = label;
    const corner = [0, 2, 4][label]!;
    for (let r = 0; r < SIDE; r++) {
      for (let c = 0; c < SIDE; c++) {
        const bright = r >= corner && r < corner + 4 && c >= corner && c < corner + 4;
        pixels[n * SIDE * SIDE + r * SIDE + c] = Math.round((bright ? 150 : 0) + noise());
      }
    }
  }
  return { pixels, labels };
}

function idx(dims: readonly number[], bytes: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x800 + dims.length, 0);
  dims.forEach((size, i) => header.writeUInt32BE(size, 4 + 4 * i));
  return Buffer.concat([header, bytes]);
}

function writeData(folder: string): void {
  mkdirSync(folder);
  for (const [part, count, seed] of [
    ["train", 240, 7],
    ["t10k", 60, 11],
  ] as const) {
    const { pixels, labels } = images(count, seed);
    writeFileSync(join(folder, `${part}-images-idx3-ubyte`), idx([count, SIDE, SIDE], pixels));
    writeFileSync(join(folder, `${part}-labels-idx1-ubyte`), idx([count], labels));
  }
}

function torch(args: readonly string[]): unknown {
  const result = spawnSync(PYTHON, [ROAD, ...args], { encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) throw new Error(`road.py ${args[0]!} failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1e-3, Math.abs(want[i]!)));
  expect(worst, what).toBeLessThan(TOLERANCE);
}

/** One full batch per epoch, Adam, a constant rate: every step is the same step in both frameworks. */
const TRAIN = ["train", "--data", "", "--hidden", "16", "--batch", "240", "--optimizer", "adam", "--lr", "0.01", "--schedule", "constant", "--format", "json"];
const trainArgs = (epochs: number, out: string) => TRAIN.map((arg) => (arg === "" ? data : arg)).concat(["--epochs", String(epochs), "--out", out]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gradstep-torch-"));
  data = join(dir, "blocks");
  writeData(data);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(hasTorch)("the road to PyTorch (python3-torch)", () => {
  test("a gradstep model in nn.Sequential: the same outputs and the same gradients", () => {
    const file = join(dir, "model.json");
    const trained = gradstep(trainArgs(3, file));
    expect(trained.status, trained.stderr).toBe(0);
    const theirs = torch(["outputs", file.replace(".json", ".safetensors"), data, "relu,softmax"]) as {
      probabilities: number[][];
      gradients: Record<string, number[]>;
    };

    const predicted = gradstep(["predict", file, "--data", data, "--limit", "60", "--format", "json"]);
    const ours = predicted.stdout
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { probabilities: number[] }).probabilities);
    expectClose(ours.flat(), theirs.probabilities.flat(), "softmax outputs");

    // The same mean cross-entropy's gradients from gradstep's engine, over the same 60 test images.
    const net = buildNetwork(loadModel(file).spec, "float32");
    const { pixels, labels } = images(60, 11);
    const x = fromRows(
      "float32",
      Array.from({ length: 60 }, (_, n) => Array.from(pixels.subarray(n * 64, (n + 1) * 64), (p) => p / 255)),
    );
    const t = fromRows(
      "float32",
      Array.from(labels, (label) => Array.from({ length: CLASSES }, (_, c) => (c === label ? 1 : 0))),
    );
    const gradients = backward(net, x, forward(net, x), t, { loss: LOSSES.cross_entropy, reduction: "mean" });
    gradients.layers.forEach((layer, k) => {
      expectClose(layer.weights.data, theirs.gradients[`layers.${k}.weight`]!, `dL/dW of layer ${k}`);
      expectClose(layer.bias.data, theirs.gradients[`layers.${k}.bias`]!, `dL/db of layer ${k}`);
    });
  });

  test("a PyTorch-trained state dict back in gradstep with --arch: the same outputs", () => {
    const weights = join(dir, "torch.safetensors");
    const theirs = torch(["train", weights, data, "relu,softmax", "50", "0.5"]) as { probabilities: number[][] };
    const model = join(dir, "from-torch.json");
    expect(gradstep(["export", weights, "--arch", "relu,softmax", "--model", model]).status).toBe(0);
    const predicted = gradstep(["predict", model, "--data", data, "--limit", "60", "--format", "json"]);
    expect(predicted.status).toBe(0);
    const ours = predicted.stdout
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { probabilities: number[] }).probabilities);
    expectClose(ours.flat(), theirs.probabilities.flat(), "softmax outputs of the PyTorch-trained model");
    // It learned: the blocks are easy, so most test images are classified right.
    const right = ours.filter((p, n) => p.indexOf(Math.max(...p)) === n % CLASSES).length;
    expect(right).toBeGreaterThan(50);
  });

  test("training goes on in PyTorch from a gradstep checkpoint along gradstep's own loss curve", () => {
    // Two epochs, then a checkpoint; an unbroken run of five gives the curve to follow.
    expect(gradstep(trainArgs(2, join(dir, "first.json"))).status).toBe(0);
    const unbroken = gradstep(trainArgs(5, join(dir, "whole.json")));
    expect(unbroken.status).toBe(0);
    const curve = unbroken.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { epoch?: number; trainLoss?: number })
      .filter((line) => line.epoch !== undefined)
      .map((line) => line.trainLoss!);
    expect(curve).toHaveLength(5);

    const continued = torch(["continue", join(dir, "first.checkpoint.safetensors"), data, "relu,softmax", "3", "0.01"]) as { epoch: number; losses: number[] };
    expect(continued.epoch).toBe(2);
    expectClose(continued.losses, curve.slice(2), "the loss of epochs 3 to 5");
    // And the curve goes down, so the comparison is of learning, not of a standstill.
    expect(curve[4]!).toBeLessThan(curve[2]! * 0.9);
  });
});
