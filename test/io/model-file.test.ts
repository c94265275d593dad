import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { buildNetwork, type NetworkSpec } from "../../src/engine/network.js";
import { decodeModel, encodeModel } from "../../src/io/gradstep-format.js";
import { modelOf, modelOfProblem } from "../../src/io/model.js";
import { loadModel, readModel, saveModel } from "../../src/io/model-file.js";
import { exportOnnx } from "../../src/io/onnx-export.js";
import { exportTfjs } from "../../src/io/tfjs-export.js";
import { loadExample } from "../../src/problem/examples.js";
import { InputError } from "../../src/input-error.js";
import { randomSpec, temporaryFolder } from "./fixtures.js";

const dir = temporaryFolder();

/** Awkward values: −0, a subnormal, the largest float32, values float64 keeps and float32 rounds. */
const awkward: NetworkSpec = {
  inputs: 2,
  layers: [
    {
      units: 2,
      activation: "tanh",
      weights: [
        [-0, 1e-310],
        [3.4028234663852886e38, 0.1],
      ],
      bias: { mode: "shared", value: -0 },
    },
    { units: 1, activation: "sigmoid", weights: [[Math.PI, -1 / 3]], bias: { mode: "none" } },
    { units: 2, activation: "softmax", weights: [[1.5], [-2.75]], bias: { mode: "perNeuron", values: [Number.MIN_VALUE, -0.1] } },
  ],
};

function bits(spec: NetworkSpec, dtype: "float32" | "float64"): string[] {
  const net = buildNetwork(spec, dtype);
  return net.layers.flatMap((l) => [...l.weights.data, ...l.bias.data].map((v) => (Object.is(v, -0) ? "-0" : v.toString(16))));
}

describe("gradstep model files round-trip bit for bit", () => {
  for (const dtype of ["float32", "float64"] as const) {
    test(`${dtype}, weights in safetensors beside the JSON`, () => {
      const net = buildNetwork(awkward, dtype);
      const { json, weights } = saveModel(join(dir, `beside-${dtype}`), net, {
        loss: { type: "cross_entropy", reduction: "sum" },
        classes: ["yes", "no"],
        training: { epochs: 3 },
      });
      expect(json.endsWith(`beside-${dtype}.json`)).toBe(true);
      expect(weights.endsWith(`beside-${dtype}.safetensors`)).toBe(true);
      const model = loadModel(json);
      expect(model.header).toMatchObject({
        format: "gradstep-model",
        version: 1,
        dtype,
        classes: ["yes", "no"],
        training: { epochs: 3 },
        loss: { type: "cross_entropy", reduction: "sum" },
      });
      expect(model.header.network.layers.map((l) => l.bias)).toEqual(["shared", "none", "perNeuron"]);
      expect(bits(model.spec, dtype)).toEqual(bits(awkward, dtype));
    });

    test(`${dtype}, weights inline`, () => {
      const { json, weights } = encodeModel(modelOf(awkward, dtype));
      expect(weights).toBeUndefined();
      expect(json).toContain('"bias": -0');
      expect(json).toContain('"bias": null');
      const back = decodeModel(json, "inline.json", () => {
        throw new Error("no weights file expected");
      });
      expect(back.header.dtype).toBe(dtype);
      expect(bits(back.spec, dtype)).toEqual(bits(awkward, dtype));
    });
  }

  test("a problem file's network keeps its title, loss, notation and shared bias", () => {
    const problem = loadExample("seed-004-sigmoid-3-2-2-shared-bias");
    const { json } = encodeModel(modelOfProblem(problem));
    const file = join(dir, "exercise.json");
    writeFileSync(file, json);
    const model = loadModel(file);
    expect(model.header.dtype).toBe("float64");
    expect(model.header.notation).toEqual(problem.notation);
    expect(model.header.loss).toEqual(problem.loss);
    expect(model.header.title).toBe(problem.title);
    expect(model.spec).toEqual(problem.network);
  });
});

describe("malformed model files are clear InputErrors naming the file", () => {
  const net = buildNetwork(randomSpec(2, [2, 3, 2], ["relu", "softmax"], "perNeuron"), "float32");
  const { json, weights } = saveModel(join(dir, "good"), net, { loss: { type: "cross_entropy", reduction: "mean" } });
  const text = readFileSync(json, "utf8");
  const header = JSON.parse(text) as Record<string, unknown>;

  function broken(change: (h: any) => void, name = "broken.json"): string {
    const copy = structuredClone(header) as any;
    change(copy);
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(copy));
    return file;
  }

  test("header errors carry the JSON path", () => {
    const cases: [(h: any) => void, RegExp][] = [
      [(h) => (h.version = 2), /broken\.json: version: expected a model file of version 1, found version 2/],
      [(h) => (h.network.layers[0].activation = "selu"), /broken\.json: network\.layers\[0\]\.activation: /],
      [(h) => (h.classes = ["a", "b", "c"]), /broken\.json: classes: has 3 names; expected at most 2, one per output/],
      [(h) => (h.loss = { type: "mse", reduction: "mean" }), /broken\.json: loss\.type: is "mse"; a softmax output requires "cross_entropy"/],
      [(h) => (h.notation = { inputs: ["x1"] }), /broken\.json: notation\.inputs: has 1 name; expected 2, one per network input/],
      [(h) => (h.weights = "missing.safetensors"), /expected the weights file missing\.safetensors beside broken\.json, found no such file/],
      [(h) => (h.dtype = "float64"), /good\.safetensors: expected float64 tensors \(F64\) for a float64 model, found F32/],
      [(h) => (h.network.layers[0].units = 4), /good\.safetensors: expected tensor layers\.0\.weight of shape \[4, 2\], found \[3,2\]/],
      [(h) => (h.network.layers[1].bias = "shared"), /expected tensor layers\.1\.bias of shape \[1\] \(shared bias\), found \[2\]/],
      [(h) => (h.weights = [{ weights: [[1, 2]], bias: [0] }]), /weights: has 1 entry; expected 2, one per layer/],
      [
        (h) =>
          (h.weights = [
            { weights: [[1, 2], [3, 4], [5]], bias: [0, 0, 0] },
            {
              weights: [
                [1, 2, 3],
                [4, 5, 6],
              ],
              bias: null,
            },
          ]),
        /weights\[0\]\.weights\[2\]: has 1 number; expected 2, one per input to layer 0/,
      ],
      [
        (h) =>
          (h.weights = [
            {
              weights: [
                [1, 2],
                [3, 4],
                [5, 6],
              ],
              bias: [0, 0, 0],
            },
            {
              weights: [
                [1, 2, 3],
                [4, 5, 6],
              ],
              bias: null,
            },
          ]),
        /weights\[1\]\.bias: expected 2 numbers, one per unit, found null/,
      ],
    ];
    for (const [change, message] of cases) {
      expect(() => loadModel(broken(change))).toThrow(message);
      expect(() => loadModel(broken(change))).toThrow(InputError);
    }
  });

  test("every truncation of the JSON, and of the weights file, is an InputError", () => {
    for (let length = 0; length < text.length; length += 7) {
      const file = join(dir, "cut.json");
      writeFileSync(file, text.slice(0, length));
      expect(() => loadModel(file), `cut at ${length}`).toThrow(/cut\.json/);
    }
    const bytes = readFileSync(weights);
    const file = broken((h) => (h.weights = "cut-weights.safetensors"));
    for (let length = 0; length < bytes.length; length++) {
      writeFileSync(join(dir, "cut-weights.safetensors"), bytes.subarray(0, length));
      expect(() => loadModel(file), `cut at ${length}`).toThrow(/cut-weights\.safetensors: /);
    }
  });
});

describe("loadModel reads every format", () => {
  const spec = randomSpec(4, [3, 4, 2], ["sigmoid", "softmax"], "perNeuron");

  test("ONNX, TensorFlow.js and problem files by content and extension", () => {
    writeFileSync(join(dir, "net.onnx"), exportOnnx(buildNetwork(spec, "float64")));
    const tfjs = exportTfjs(spec, "float32");
    writeFileSync(join(dir, "model.json"), tfjs.modelJson);
    writeFileSync(join(dir, "group1-shard1of1.bin"), tfjs.weights);
    const onnx = readModel(join(dir, "net.onnx"));
    expect(onnx.format).toBe("onnx");
    expect(onnx.model.spec).toEqual(spec);
    const fromTfjs = readModel(join(dir, "model.json"));
    expect(fromTfjs.format).toBe("tfjs");
    expect(fromTfjs.model.header.dtype).toBe("float32");
    const problem = readModel("examples/seed-000-relu-2-2-1.json");
    expect(problem.format).toBe("problem");
    expect(problem.model.header.dtype).toBe("float64");
  });

  test("missing files and files of no known format", () => {
    expect(() => loadModel(join(dir, "nothing.onnx"))).toThrow(/nothing\.onnx: expected a model file, found no such file/);
    writeFileSync(join(dir, "noise.bin"), Uint8Array.from([0xff, 0, 1, 2]));
    expect(() => loadModel(join(dir, "noise.bin"))).toThrow(
      /noise\.bin: expected a model \(gradstep model \.json, \.safetensors, \.onnx, TensorFlow\.js model\.json\) or a problem file/,
    );
  });
});
