import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-node";
import { describe, expect, test } from "vitest";
import { loadModel } from "../../src/io/model-file.js";
import { loadExample } from "../../src/problem/examples.js";
import { solve } from "../../src/solve/solve.js";
import { CLI, gradstep, type Run } from "../cli.js";
import { maxDifference, temporaryFolder } from "./fixtures.js";

const dir = temporaryFolder();

function gradstepAsync(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
const EXAMPLE = "seed-004-sigmoid-3-2-2-shared-bias";
const problemFile = `examples/${EXAMPLE}.json`;

describe("gradstep export and inspect, end to end", () => {
  const model = join(dir, "exercise.json"),
    onnx = join(dir, "exercise.onnx"),
    web = join(dir, "web");
  const run = gradstep(["export", problemFile, "--model", model, "--onnx", onnx, "--tfjs", web]);

  test("a problem file becomes a model file, an ONNX model and a tfjs model", () => {
    expect(run.stderr).toContain("note: TensorFlow.js stores float32 weights");
    expect(run.status).toBe(0);
    const header = JSON.parse(readFileSync(model, "utf8")) as { dtype: string; notation: unknown; weights: unknown };
    expect(header.dtype).toBe("float64");
    expect(header.notation).toEqual(loadExample(EXAMPLE).notation);
    expect(Array.isArray(header.weights)).toBe(true);
  });

  test("the ONNX file runs in onnxruntime and gives the exercise's forward pass", async () => {
    const problem = loadExample(EXAMPLE);
    const session = await ort.InferenceSession.create(readFileSync(onnx), { logSeverityLevel: 3 });
    const x = problem.data.inputs;
    const out = await session.run({ input: new ort.Tensor("float64", Float64Array.from(x.flat()), [x.length, problem.network.inputs]) });
    const want = solve(problem).steps[0]!.forward.at(-1)!.a.flat();
    expect(maxDifference(out.output!.data as Float64Array, want)).toBeLessThanOrEqual(1e-12);
  });

  test("the tfjs files load in @tensorflow/tfjs and predict the same outputs", async () => {
    await tf.setBackend("cpu");
    const json = JSON.parse(readFileSync(join(web, "model.json"), "utf8")) as {
      modelTopology: object;
      weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    };
    const shard = readFileSync(join(web, json.weightsManifest[0]!.paths[0]!));
    const weightData = shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength);
    const loaded = await tf.loadLayersModel({
      load: () => Promise.resolve({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData }),
    });
    const problem = loadExample(EXAMPLE);
    const got = tf.tidy(() => (loaded.predict(tf.tensor2d(problem.data.inputs as number[][])) as tf.Tensor).dataSync());
    expect(maxDifference(got, solve(problem).steps[0]!.forward.at(-1)!.a.flat())).toBeLessThanOrEqual(1e-5);
    loaded.dispose();
  });

  test("ONNX back to a model file (safetensors beside), and inspect of each format", async () => {
    const back = join(dir, "back.json");
    expect((await gradstepAsync(["export", onnx, "--model", back])).status).toBe(0);
    const original = loadModel(model).spec,
      again = loadModel(back).spec;
    // Shared biases come back per neuron (ONNX has no shared bias); every value is identical.
    expect(again.layers.map((l) => l.weights)).toEqual(original.layers.map((l) => l.weights));
    const formats = [
      [onnx, "onnx", "float64", 14],
      [join(web, "model.json"), "tfjs", "float32", 14],
      [back, "gradstep", "float64", 14],
    ] as const;
    const [text, bare, ...inspected] = await Promise.all([
      gradstepAsync(["inspect", model]),
      gradstepAsync(["inspect", join(dir, "back.safetensors"), "--arch", "tanh,softmax", "--json"]),
      ...formats.map(([file]) => gradstepAsync(["inspect", file, "--json"])),
    ]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/exercise\.json: gradstep model, float64, 3-2-2 network, 12 parameters/);
    expect(text.stdout).toMatch(/^0 +3 +2 +sigmoid +shared +6 +1 +7$/m);
    expect(text.stdout).toMatch(/^total +10 +2 +12$/m);
    expect(JSON.parse(bare.stdout)).toMatchObject({ format: "safetensors", layers: [{ activation: "tanh" }, { activation: "softmax" }] });
    formats.forEach(([, format, dtype, parameters], i) => {
      expect(inspected[i]!.status).toBe(0);
      expect(JSON.parse(inspected[i]!.stdout)).toMatchObject({
        format,
        dtype,
        inputs: 3,
        outputs: 2,
        parameters,
        layers: [
          { activation: "sigmoid", weights: 6 },
          { activation: "sigmoid", weights: 4 },
        ],
      });
    });
  });

  test("bad input exits with 2 and names the file", async () => {
    const cut = join(dir, "cut.onnx");
    writeFileSync(cut, readFileSync(onnx).subarray(0, 100));
    const conv = join(dir, "conv.safetensors");
    writeFileSync(conv, readFileSync(join(dir, "back.safetensors")));
    const cases: [string[], RegExp][] = [
      [["export", cut, "--model", join(dir, "x.json")], /cut\.onnx: not an ONNX model gradstep can read/],
      [["inspect", join(dir, "missing.json")], /missing\.json: expected a model file, found no such file/],
      [["export", problemFile], /expected at least one output/],
      [["export", conv, "--onnx", join(dir, "x.onnx")], /conv\.safetensors: --arch: a bare safetensors file holds weights but no activations/],
      [["export", conv, "--arch", "relu", "--onnx", join(dir, "x.onnx")], /expected 2 activations/],
      [["inspect", model, "--arch", "swish"], /argument 'swish' is invalid/],
      [["export", problemFile, "--onnx", join(dir, "no", "such", "folder", "x.onnx")], /cannot write the output/],
    ];
    // Run side by side: each is a fresh Node process.
    const results = await Promise.all(cases.map(([args]) => gradstepAsync(args)));
    results.forEach((result, i) => {
      const [args, message] = cases[i]!;
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
    });
  });
});
