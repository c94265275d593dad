import { setFlagsFromString } from "node:v8";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ACTIVATIONS, buildNetwork, backward, createOptimizer, forward, fromRows, LOSSES, typedBackend, type Backend } from "../src/engine/index.js";
import { loadModel, saveModel } from "../src/io/model-file.js";
import { readSafeTensors, writeSafeTensors } from "../src/io/safetensors.js";
import { InputError } from "../src/input-error.js";
import { loadCheckpoint, saveCheckpoint } from "../src/train/checkpoint.js";
import { loadDigits, subset } from "../src/train/data/index.js";
import { initialNetwork } from "../src/train/init.js";
import { fastBackend } from "../src/kernels/engine-backend.js";
import { DivergenceError, startTraining, train, type TrainSettings } from "../src/train/trainer.js";
import { gradstep } from "./cli.js";

setFlagsFromString("--experimental-wasm-relaxed-simd");
const dir = mkdtempSync(join(tmpdir(), "gradstep-train-"));
const digits = loadDigits();
const small = {
  train: subset(
    digits.train,
    Array.from({ length: 1200 }, (_, i) => i),
  ),
  test: subset(
    digits.test,
    Array.from({ length: 400 }, (_, i) => i),
  ),
};
const architecture = { inputs: 784, hidden: [32, 16], activation: "relu" as const, classes: 10 };
const settings: TrainSettings = { epochs: 3, batchSize: 50, learningRate: 0.002, schedule: { name: "constant" }, optimizer: { name: "adam" }, seed: 7 };

function parameters(state: ReturnType<typeof startTraining>): number[] {
  return state.net.layers.flatMap((l) => [...l.weights.data, ...l.bias.data]);
}

describe("one engine on two backends", () => {
  test("the WebAssembly float32 backend computes what the exact float64 backend does", async () => {
    const spec = initialNetwork({ inputs: 20, hidden: [13, 7], activation: "tanh", classes: 5 }, "xavier", 3);
    const x = Array.from({ length: 9 }, (_, i) => Array.from({ length: 20 }, (_, j) => Math.sin(i * 7 + j)));
    const t = Array.from({ length: 9 }, (_, i) => Array.from({ length: 5 }, (_, j) => (j === i % 5 ? 1 : 0)));
    const run = (backend: Backend) => {
      const net = buildNetwork(spec, backend);
      const X = net.backend.matrix(9, 20),
        T = net.backend.matrix(9, 5);
      X.data.set(x.flat());
      T.data.set(t.flat());
      const values = forward(net, X);
      const grads = backward(net, X, values, T, { loss: LOSSES.cross_entropy, reduction: "mean" }, { inputGradient: true });
      return [...values.at(-1)!.a.data, ...grads.layers.flatMap((g) => [...g.weights.data, ...g.bias.data]), ...grads.input!.data];
    };
    const exact = run(typedBackend("float64"));
    const fast = run(await fastBackend());
    expect(fast.length).toBe(exact.length);
    fast.forEach((v, i) => expect(Math.abs(v - exact[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(exact[i]!))));
  });
});

describe("softmax on the backend", () => {
  const spec = initialNetwork({ inputs: 6, hidden: [5], activation: "relu", classes: 4 }, "he", 2);
  const x = fromRows(
    "float32",
    Array.from({ length: 3 }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.cos(i * 5 + j))),
  );

  test("the forward pass hands a softmax layer to the backend's own softmax, which gives the engine's values", async () => {
    const plain = typedBackend("float32");
    const calls: [number, number][] = [];
    const withSoftmax: Backend = {
      ...plain,
      softmax(z, a) {
        calls.push([z.rows, z.cols]);
        a.data.fill(0.25);
      },
    };
    const out = forward(buildNetwork(spec, withSoftmax), x).at(-1)!;
    expect(calls).toEqual([[3, 4]]);
    expect(Array.from(out.a.data)).toEqual(Array(12).fill(0.25));

    // The kernels' products round differently from the engine's, so the check is on their own z.
    const fast = await fastBackend();
    expect("softmax" in fast).toBe(true);
    const X = fast.matrix(3, 6);
    X.data.set(x.data);
    const { z, a } = forward(buildNetwork(spec, fast), X).at(-1)!;
    const want = new Float32Array(12);
    ACTIVATIONS.softmax.forward(z, { rows: 3, cols: 4, data: want });
    expect(Array.from(a.data)).toEqual(Array.from(want));
  });
});

describe("optimizer updates in the kernels", () => {
  test("scaleAdd and adam on the WebAssembly backend match the TypeScript backend", async () => {
    const fast = await fastBackend(),
      exact = typedBackend("float32");
    const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(i * seed + 1));
    const run = (backend: Backend) => {
      const make = (seed: number) => {
        const m = backend.matrix(7, 13);
        m.data.set(values(91, seed));
        return m;
      };
      const w = make(1),
        g = make(2),
        m = make(3),
        v = make(4);
      for (let k = 0; k < v.data.length; k++) v.data[k] = Math.abs(v.data[k]!);
      backend.scaleAdd(w, 0.99, g, -0.1);
      backend.adam(w, g, m, v, { beta1: 0.9, beta2: 0.999, step: 0.01 / 0.1, correction2: 0.001, epsilon: 1e-8, keep: 0.999 });
      return [...w.data, ...m.data, ...v.data];
    };
    const want = run(exact),
      got = run(fast);
    // 91 entries: every SIMD lane and the scalar tail.
    got.forEach((x, i) => expect(Math.abs(x - want[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(want[i]!))));
  });
});

describe("training", () => {
  test("learns the built-in digits: above 85% held-out accuracy after 2 epochs", async () => {
    const state = startTraining(initialNetwork({ ...architecture, hidden: [64] }, "he", 1), await fastBackend(), { name: "adam" });
    const result = train(state, small, { ...settings, epochs: 2 });
    expect(result.history).toHaveLength(2);
    expect(result.history[1]!.testAccuracy).toBeGreaterThan(0.85);
    expect(result.history[1]!.trainLoss).toBeLessThan(result.history[0]!.trainLoss);
  });

  test("a run resumed from a checkpoint ends exactly where an unbroken run does", async () => {
    const backend = await fastBackend();
    const spec = initialNetwork(architecture, "he", settings.seed);
    const unbroken = train(startTraining(spec, backend, settings.optimizer), small, settings);

    const file = join(dir, "resume.checkpoint.safetensors");
    let saved = 0;
    // An interrupted run: 2 of 3 epochs, checkpointed after each.
    train(
      startTraining(spec, backend, settings.optimizer),
      small,
      { ...settings, epochs: 2 },
      {
        onEpoch: (_, state) => {
          saveCheckpoint(file, state, { ...settings, epochs: 2 }, "digits");
          saved++;
        },
      },
    );
    expect(saved).toBe(2);
    const resumed = train(loadCheckpoint(file, spec, backend, settings, "digits"), small, settings);

    expect(parameters(resumed)).toEqual(parameters(unbroken));
    expect(resumed.history.map((m) => m.testAccuracy)).toEqual(unbroken.history.map((m) => m.testAccuracy));
    expect(resumed.optimizer.steps).toBe(unbroken.optimizer.steps);
  });

  test("one thread and two train the same model, bit for bit", async () => {
    const spec = initialNetwork(architecture, "he", settings.seed);
    const [one, two] = await Promise.all([fastBackend({ threads: 1 }), fastBackend({ threads: 2 })]);
    expect([one.threads, two.threads]).toEqual([1, 2]);
    // The first layer's products (50×784×32) are past the size where they are split.
    const runs = [one, two].map((backend) => train(startTraining(spec, backend, settings.optimizer), small, { ...settings, epochs: 1 }));
    expect(parameters(runs[1]!)).toEqual(parameters(runs[0]!));
    await two.close();
  });

  test("a checkpoint of another run is refused", async () => {
    const backend = await fastBackend();
    const spec = initialNetwork(architecture, "he", settings.seed);
    const file = join(dir, "other.checkpoint.safetensors");
    train(
      startTraining(spec, backend, settings.optimizer),
      small,
      { ...settings, epochs: 1 },
      { onEpoch: (_, s) => saveCheckpoint(file, s, settings, "digits") },
    );
    expect(() => loadCheckpoint(file, spec, backend, { ...settings, batchSize: 64 }, "digits")).toThrow(/different batchSize/);
    expect(() => loadCheckpoint(file, spec, backend, settings, "fashion-mnist")).toThrow(/expected a checkpoint of this run/);
  });

  test("a diverging run stops with the step, layer and neuron of the first non-finite value", async () => {
    const state = startTraining(initialNetwork(architecture, "he", 1), await fastBackend(), { name: "sgd" });
    const run = () => train(state, small, { ...settings, learningRate: 1e9, optimizer: { name: "sgd" } });
    expect(run).toThrow(DivergenceError);
    expect(run).toThrow(/at epoch 1, step \d+: .* of layer \d .*neuron \d+ is (NaN|-?Infinity)\. Try a smaller learning rate/);
  });

  test("momentum and weight decay: decay shrinks the weights", async () => {
    const backend = await fastBackend();
    const spec = initialNetwork(architecture, "he", 2);
    const norm = (decay: number) => {
      const state = train(startTraining(spec, backend, { name: "momentum", weightDecay: decay }), small, {
        ...settings,
        epochs: 1,
        learningRate: 0.01,
        optimizer: { name: "momentum", weightDecay: decay },
      });
      let sum = 0;
      for (const w of state.net.layers[0]!.weights.data) sum += w * w;
      return sum;
    };
    expect(norm(0.5)).toBeLessThan(norm(0) * 0.99);
  });

  test("Adam's first step moves every weight by about the learning rate", () => {
    const net = buildNetwork(
      { inputs: 2, layers: [{ units: 1, activation: "identity", weights: [[0.5, -0.5]], bias: { mode: "perNeuron", values: [0] } }] },
      "float64",
    );
    const optimizer = createOptimizer(net, { name: "adam" });
    const x = fromRows("float64", [[1, 2]]),
      t = fromRows("float64", [[3]]);
    const grads = backward(net, x, forward(net, x), t, { loss: LOSSES.half_squared_error, reduction: "mean" });
    optimizer.step(grads, 0.1);
    // m̂/√v̂ = g/|g| on the first step: each parameter moves by η against its gradient's sign.
    expect(Array.from(net.layers[0]!.weights.data)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(-0.4, 6)]);
  });
});

describe("model files", () => {
  test("a float32 model round-trips bit for bit through JSON and safetensors", async () => {
    const net = buildNetwork(initialNetwork(architecture, "he", 5), await fastBackend());
    const { json } = saveModel(join(dir, "model.json"), net, { loss: { type: "cross_entropy", reduction: "mean" }, classes: ["a", "b"] });
    const model = loadModel(json);
    expect(model.header.dtype).toBe("float32");
    expect(model.header.classes).toEqual(["a", "b"]);
    const again = buildNetwork(model.spec, await fastBackend());
    again.layers.forEach((layer, k) => {
      expect(Array.from(layer.weights.data)).toEqual(Array.from(net.layers[k]!.weights.data));
      expect(Array.from(layer.bias.data)).toEqual(Array.from(net.layers[k]!.bias.data));
    });
  });

  test("a float64 model keeps float64", () => {
    const net = buildNetwork(initialNetwork({ ...architecture, hidden: [3] }, "xavier", 5), "float64");
    const { json } = saveModel(join(dir, "exact.json"), net, { loss: { type: "cross_entropy", reduction: "mean" } });
    const again = buildNetwork(loadModel(json).spec, "float64");
    expect(Array.from(again.layers[0]!.weights.data)).toEqual(Array.from(net.layers[0]!.weights.data));
  });

  test("safetensors: header exactly per the format, and corrupt files are clear errors", () => {
    const bytes = writeSafeTensors(
      new Map([
        ["layers.0.weight", { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
        ["layers.0.bias", { shape: [2], data: Float64Array.from([0.5, -1]) }],
      ]),
      { by: "gradstep" },
    );
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + length) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<string, unknown>;
    expect(header).toEqual({
      __metadata__: { by: "gradstep" },
      "layers.0.bias": { dtype: "F64", shape: [2], data_offsets: [0, 16] },
      "layers.0.weight": { dtype: "F32", shape: [2, 3], data_offsets: [16, 40] },
    });
    expect(bytes.length).toBe(8 + length + 40);
    const back = readSafeTensors(bytes);
    expect(Array.from(back.tensors.get("layers.0.weight")!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => readSafeTensors(bytes.subarray(0, bytes.length - 1), "cut.safetensors")).toThrow(
      /cut\.safetensors: not a valid safetensors file: tensor "layers.0.weight" needs 24 bytes/,
    );
    expect(() => readSafeTensors(bytes.subarray(0, 5))).toThrow(InputError);
    const lying = bytes.slice();
    new DataView(lying.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => readSafeTensors(lying)).toThrow(/the header length in the first 8 bytes is more than/);
  });
});

describe("gradstep train, eval and predict", () => {
  test("train writes the model, the curves and a checkpoint; eval and predict read the model", () => {
    const out = join(dir, "cli", "digits.json");
    const run = gradstep(["train", "--epochs", "1", "--hidden", "32", "--schedule", "constant", "--json", "--out", out]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const [epochLine, recordLine, ...more] = run.stdout.trim().split("\n");
    expect(more).toEqual([]);
    const metrics = JSON.parse(epochLine!) as { epoch: number; testAccuracy: number; testLoss: number; samplesPerSecond: number };
    expect(metrics.epoch).toBe(1);
    // The last line says what the run wrote and how it ended.
    expect(JSON.parse(recordLine!)).toEqual({
      done: true,
      epochs: 1,
      test: { loss: metrics.testLoss, accuracy: metrics.testAccuracy },
      wrote: {
        model: out,
        weights: out.replace(".json", ".safetensors"),
        plot: out.replace(".json", ".svg"),
        checkpoint: out.replace(".json", ".checkpoint.safetensors"),
      },
    });
    expect(metrics.testAccuracy).toBeGreaterThan(0.8);
    expect(readFileSync(out.replace(".json", ".svg"), "utf8")).toMatch(/^<svg[\s\S]*<polyline/);
    expect(readFileSync(out.replace(".json", ".checkpoint.safetensors")).length).toBeGreaterThan(1000);

    const evaluated = JSON.parse(gradstep(["eval", out, "--format", "json"]).stdout) as { accuracy: number; samples: number };
    expect(evaluated.samples).toBe(2000);
    expect(evaluated.accuracy).toBeCloseTo(metrics.testAccuracy, 10);
    const predicted = gradstep(["predict", out, "--limit", "3"]);
    expect(predicted.stdout.trim().split("\n")).toHaveLength(3);
    expect(predicted.stdout).toMatch(/^sample 0: \d \(\d+\.\d%\) {2}label \d/);

    // Under the cosine schedule another --epochs is another run; a constant schedule extends it.
    const resumed = gradstep(["train", "--epochs", "2", "--hidden", "32", "--schedule", "constant", "--json", "--out", out, "--resume"]);
    expect(resumed.status).toBe(0);
    expect((JSON.parse(resumed.stdout.split("\n")[0]!) as { epoch: number }).epoch).toBe(2);
  });

  test("a CSV with a label column", () => {
    const file = join(dir, "blobs.csv");
    const rows = Array.from({ length: 200 }, (_, i) => {
      const label = i % 2 === 0 ? "left" : "right";
      return `${(label === "left" ? -1 : 1) + Math.sin(i) * 0.3},${Math.cos(i * 3) * 0.3},${label}`;
    });
    writeFileSync(file, `x,y,side\n${rows.join("\n")}\n`);
    const run = gradstep([
      "train",
      "--data",
      file,
      "--label",
      "side",
      "--hidden",
      "8",
      "--epochs",
      "20",
      "--batch",
      "16",
      "--lr",
      "0.01",
      "--json",
      "--out",
      join(dir, "blobs.json"),
    ]);
    expect(run.status).toBe(0);
    const last = JSON.parse(run.stdout.trim().split("\n").at(-2)!) as { testAccuracy: number };
    expect(last.testAccuracy).toBeGreaterThan(0.95);
    expect(gradstep(["train", "--data", file, "--label", "sid", "--out", join(dir, "x.json")]).stderr).toMatch(/did you mean "side"/);
  });

  test("bad input exits 2", () => {
    const run = gradstep(["train", "--data", join(dir, "nope.csv"), "--label", "y"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/nope\.csv/);
    expect(gradstep(["eval", join(dir, "missing.json")]).status).toBe(2);
    const threads = gradstep(["train", "--threads", "0"]);
    expect(threads.status).toBe(2);
    expect(threads.stderr).toMatch(/--threads.*whole number from 1 to 16/);
  });
});
