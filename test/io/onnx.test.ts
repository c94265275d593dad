import * as ort from "onnxruntime-node";
import { describe, expect, test } from "vitest";
import type { ActivationName } from "../../src/engine/activations.js";
import type { DType } from "../../src/engine/matrix.js";
import { buildNetwork, type BiasMode } from "../../src/engine/network.js";
import { Rng } from "../../src/engine/rng.js";
import { exportOnnx } from "../../src/io/onnx-export.js";
import { importOnnx } from "../../src/io/onnx-import.js";
import { bytesField, floatField, message, varintField } from "../../src/io/protobuf.js";
import { InputError } from "../../src/input-error.js";
import { engineOutput, maxDifference, randomBatch, randomSpec } from "./fixtures.js";

/** Runs ONNX bytes in onnxruntime (the independent oracle) on a batch. */
async function runOrt(bytes: Uint8Array, x: readonly (readonly number[])[], dtype: DType, input = "input"): Promise<Float32Array | Float64Array> {
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  const flat = x.flat();
  const tensor = new ort.Tensor(dtype, dtype === "float64" ? Float64Array.from(flat) : Float32Array.from(flat), [x.length, x[0]!.length]);
  const outputs = await session.run({ [input]: tensor });
  return outputs[session.outputNames[0]!]!.data as Float32Array | Float64Array;
}

const TOLERANCE: Readonly<Record<DType, number>> = { float64: 1e-12, float32: 1e-5 };

describe("ONNX export, run in onnxruntime", () => {
  const hidden: ActivationName[] = ["relu", "sigmoid", "tanh", "identity"];
  const outputs: ActivationName[] = ["softmax", "identity", "sigmoid"];
  const biases: BiasMode[] = ["perNeuron", "shared", "none"];
  const cases = hidden.flatMap((h) =>
    outputs.flatMap((o) => biases.flatMap((bias) => (["float64", "float32"] as const).map((dtype) => ({ h, o, bias, dtype })))),
  );

  test.each(cases)("$h hidden, $o output, $bias bias, $dtype", async ({ h, o, bias, dtype }) => {
    const seed = cases.findIndex((c) => c.h === h && c.o === o && c.bias === bias && c.dtype === dtype) + 1;
    const spec = randomSpec(seed, [3, 5, 4, 2], [h, h, o], bias);
    const x = randomBatch(seed + 1000, 6, 3);
    const bytes = exportOnnx(buildNetwork(spec, dtype));
    const theirs = await runOrt(bytes, x, dtype);
    expect(theirs).toBeInstanceOf(dtype === "float64" ? Float64Array : Float32Array);
    expect(maxDifference(theirs, engineOutput(spec, dtype, x))).toBeLessThanOrEqual(TOLERANCE[dtype]);
  });

  test("the batch dimension is symbolic: one sample and many run in the same model", async () => {
    const spec = randomSpec(7, [2, 3, 1], ["tanh", "identity"], "perNeuron");
    const bytes = exportOnnx(buildNetwork(spec, "float64"));
    for (const batch of [1, 17]) {
      const x = randomBatch(batch, batch, 2);
      expect(maxDifference(await runOrt(bytes, x, "float64"), engineOutput(spec, "float64", x))).toBeLessThanOrEqual(1e-12);
    }
  });

  test("export then import gives back the same parameters, bit for bit", () => {
    for (const dtype of ["float64", "float32"] as const) {
      const spec = randomSpec(3, [4, 3, 2], ["relu", "softmax"], "perNeuron");
      const net = buildNetwork(spec, dtype);
      const back = importOnnx(exportOnnx(net));
      expect(back.header.dtype).toBe(dtype);
      const again = buildNetwork(back.spec, dtype);
      again.layers.forEach((layer, k) => {
        expect(layer.weights.data).toEqual(net.layers[k]!.weights.data);
        expect(layer.bias.data).toEqual(net.layers[k]!.bias.data);
        expect(layer.activation.name).toBe(net.layers[k]!.activation.name);
      });
    }
  });
});

// ----------------------------------------------------------------- building ONNX by hand, as other tools write it

const FLOAT = 1,
  DOUBLE = 11;

function valueInfo(name: string, elemType: number, dims: readonly (number | string)[]): Uint8Array {
  const shape = message(...dims.map((d) => bytesField(1, typeof d === "number" ? varintField(1, d) : bytesField(2, d))));
  return message(bytesField(1, name), bytesField(2, bytesField(1, message(varintField(1, elemType), bytesField(2, shape)))));
}

/** A TensorProto with its data in raw_data, or in float_data / double_data (packed). */
function tensorProto(name: string, dims: readonly number[], values: readonly number[], elemType: number, storage: "raw" | "typed"): Uint8Array {
  const data = elemType === DOUBLE ? Float64Array.from(values) : Float32Array.from(values);
  const bytes = new Uint8Array(data.buffer);
  return message(
    ...dims.map((d) => varintField(1, d)),
    varintField(2, elemType),
    bytesField(8, name),
    storage === "raw" ? bytesField(9, bytes) : bytesField(elemType === DOUBLE ? 10 : 4, bytes),
  );
}

function intAttribute(name: string, value: number): Uint8Array {
  return message(bytesField(1, name), varintField(3, value), varintField(20, 2));
}

function floatAttribute(name: string, value: number): Uint8Array {
  return message(bytesField(1, name), floatField(2, value), varintField(20, 1));
}

function nodeProto(op: string, name: string, inputs: readonly string[], outputs: readonly string[], attributes: readonly Uint8Array[] = []): Uint8Array {
  return message(
    ...inputs.map((i) => bytesField(1, i)),
    ...outputs.map((o) => bytesField(2, o)),
    bytesField(3, name),
    bytesField(4, op),
    ...attributes.map((a) => bytesField(5, a)),
  );
}

function modelProto(
  parts: { nodes: Uint8Array[]; initializers: Uint8Array[]; inputs: Uint8Array[]; outputs: Uint8Array[] },
  irVersion = 7,
  opset = 13,
): Uint8Array {
  const graph = message(
    ...parts.nodes.map((n) => bytesField(1, n)),
    bytesField(2, "elsewhere"),
    ...parts.initializers.map((t) => bytesField(5, t)),
    ...parts.inputs.map((i) => bytesField(11, i)),
    ...parts.outputs.map((o) => bytesField(12, o)),
  );
  return message(
    varintField(1, irVersion),
    bytesField(8, message(bytesField(1, ""), varintField(2, opset))),
    bytesField(2, "a-different-exporter"),
    bytesField(7, graph),
  );
}

function randomValues(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.uniform(-1, 1));
}

describe("ONNX import of models made elsewhere", () => {
  test("MatMul+Add, MatMul without bias, a Constant weight, Gemm with transB=0 and float_data: predicts what onnxruntime predicts", async () => {
    const rng = new Rng(11);
    // Layer 0: MatMul(x, W0 [3×4]) then Add(b0, ·) (bias first), Tanh.
    // Layer 1: MatMul with W1 [4×5] from a Constant node, no bias, Relu.
    // Layer 2: Gemm(·, W2 [5×2], C [1×2]) with transB = 0 and explicit alpha = beta = 1, Softmax on axis 1.
    const w0 = randomValues(rng, 12),
      b0 = randomValues(rng, 4),
      w1 = randomValues(rng, 20),
      w2 = randomValues(rng, 10),
      c2 = randomValues(rng, 2);
    const bytes = modelProto({
      nodes: [
        nodeProto("MatMul", "mm0", ["x", "W0"], ["mm0_out"]),
        nodeProto("Add", "add0", ["b0", "mm0_out"], ["add0_out"]),
        nodeProto("Tanh", "tanh0", ["add0_out"], ["h0"]),
        nodeProto(
          "Constant",
          "const_w1",
          [],
          ["W1"],
          [message(bytesField(1, "value"), bytesField(5, tensorProto("", [4, 5], w1, FLOAT, "raw")), varintField(20, 4))],
        ),
        nodeProto("MatMul", "mm1", ["h0", "W1"], ["mm1_out"]),
        nodeProto("Relu", "relu1", ["mm1_out"], ["h1"]),
        nodeProto("Gemm", "gemm2", ["h1", "W2", "C2"], ["z2"], [intAttribute("transB", 0), floatAttribute("alpha", 1), floatAttribute("beta", 1)]),
        nodeProto("Softmax", "softmax2", ["z2"], ["y"], [intAttribute("axis", 1)]),
      ],
      initializers: [
        tensorProto("W0", [3, 4], w0, FLOAT, "typed"),
        tensorProto("b0", [4], b0, FLOAT, "typed"),
        tensorProto("W2", [5, 2], w2, FLOAT, "raw"),
        tensorProto("C2", [1, 2], c2, FLOAT, "typed"),
      ],
      // IR 3 style: initializers listed among the inputs too.
      inputs: [valueInfo("x", FLOAT, ["N", 3]), valueInfo("W0", FLOAT, [3, 4]), valueInfo("b0", FLOAT, [4])],
      outputs: [valueInfo("y", FLOAT, ["N", 2])],
    });
    const model = importOnnx(bytes);
    expect(model.header.dtype).toBe("float32");
    expect(model.header.network).toEqual({
      inputs: 3,
      layers: [
        { units: 4, activation: "tanh", bias: "perNeuron" },
        { units: 5, activation: "relu", bias: "none" },
        { units: 2, activation: "softmax", bias: "perNeuron" },
      ],
    });
    const x = randomBatch(12, 7, 3);
    expect(maxDifference(engineOutput(model.spec, "float32", x), await runOrt(bytes, x, "float32", "x"))).toBeLessThanOrEqual(1e-5);
  });

  test("double precision: Gemm with transB=1, double_data, a scalar bias, Sigmoid then Identity", async () => {
    const rng = new Rng(12);
    const w0 = randomValues(rng, 6),
      w1 = randomValues(rng, 3),
      b1 = randomValues(rng, 1);
    const bytes = modelProto(
      {
        nodes: [
          nodeProto("Gemm", "", ["features", "w0"], ["z0"], [intAttribute("transB", 1)]),
          nodeProto("Sigmoid", "", ["z0"], ["a0"]),
          nodeProto("Gemm", "", ["a0", "w1", "b1"], ["z1"], [intAttribute("transB", 1)]),
          nodeProto("Identity", "", ["z1"], ["prediction"]),
        ],
        initializers: [
          tensorProto("w0", [3, 2], w0, DOUBLE, "typed"),
          tensorProto("w1", [1, 3], w1, DOUBLE, "raw"),
          tensorProto("b1", [1], b1, DOUBLE, "typed"),
        ],
        inputs: [valueInfo("features", DOUBLE, ["batch", 2])],
        outputs: [valueInfo("prediction", DOUBLE, ["batch", 1])],
      },
      8,
      17,
    );
    const model = importOnnx(bytes);
    expect(model.header.dtype).toBe("float64");
    expect(model.spec.layers.map((l) => [l.activation, l.bias.mode])).toEqual([
      ["sigmoid", "none"],
      ["identity", "perNeuron"],
    ]);
    const x = randomBatch(13, 5, 2);
    expect(maxDifference(engineOutput(model.spec, "float64", x), await runOrt(bytes, x, "float64", "features"))).toBeLessThanOrEqual(1e-12);
  });

  test("a Flatten of a many-dimensional input, as PyTorch exports an MLP on images", async () => {
    const rng = new Rng(14);
    const w = randomValues(rng, 12),
      b = randomValues(rng, 2);
    const bytes = modelProto({
      nodes: [
        nodeProto("Flatten", "flatten", ["images"], ["flat"]),
        nodeProto("Gemm", "fc", ["flat", "w", "b"], ["logits"], [intAttribute("transB", 1)]),
        nodeProto("Relu", "relu", ["logits"], ["out"]),
      ],
      initializers: [tensorProto("w", [2, 6], w, FLOAT, "raw"), tensorProto("b", [2], b, FLOAT, "raw")],
      inputs: [valueInfo("images", FLOAT, ["N", 2, 3])],
      outputs: [valueInfo("out", FLOAT, ["N", 2])],
    });
    const model = importOnnx(bytes);
    expect(model.spec.inputs).toBe(6);
    const x = randomBatch(15, 4, 6);
    const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
    const out = await session.run({ images: new ort.Tensor("float32", Float32Array.from(x.flat()), [4, 2, 3]) });
    expect(maxDifference(engineOutput(model.spec, "float32", x), out.out!.data as Float32Array)).toBeLessThanOrEqual(1e-5);
  });

  const simple = (nodes: Uint8Array[], initializers: Uint8Array[] = [tensorProto("W", [2, 2], [1, 2, 3, 4], FLOAT, "raw")]) =>
    modelProto({ nodes, initializers, inputs: [valueInfo("x", FLOAT, ["N", 2])], outputs: [valueInfo("y", FLOAT, ["N", 2])] });

  test("an unsupported operator is named: its index, name and op_type", () => {
    const bytes = simple([nodeProto("Gemm", "fc", ["x", "W"], ["h"], [intAttribute("transB", 1)]), nodeProto("Conv", "conv1", ["h", "W"], ["y"])]);
    expect(() => importOnnx(bytes, "conv.onnx")).toThrow(InputError);
    expect(() => importOnnx(bytes, "conv.onnx")).toThrow(/^conv\.onnx: .*node 1 "conv1" \(Conv\): unsupported/);
  });

  test("structures that are not a chain of layers are named", () => {
    const cases: [Uint8Array, RegExp][] = [
      // Two layers reading the input: a branch.
      [simple([nodeProto("MatMul", "a", ["x", "W"], ["h"]), nodeProto("MatMul", "b", ["x", "W"], ["y"])]), /node 1 "b" \(MatMul\): takes "x", expected "h"/],
      // An activation straight on the input.
      [simple([nodeProto("Relu", "r", ["x"], ["h"]), nodeProto("MatMul", "m", ["h", "W"], ["y"])]), /node 0 "r" \(Relu\): applies Relu to the graph's input/],
      // Two activations in a row.
      [
        simple([nodeProto("MatMul", "m", ["x", "W"], ["h"]), nodeProto("Relu", "r", ["h"], ["h2"]), nodeProto("Tanh", "t", ["h2"], ["y"])]),
        /node 2 "t" \(Tanh\): applies Tanh after an activation/,
      ],
      // Weights computed in the graph, not stored.
      [
        simple([nodeProto("MatMul", "m", ["x", "x"], ["y"])]),
        /node 0 "m" \(MatMul\): expected its second input to be an initializer, found "x", computed in the graph/,
      ],
      // An integer initializer.
      [
        simple([nodeProto("MatMul", "m", ["x", "W"], ["y"])], [message(varintField(1, 2), varintField(1, 2), varintField(2, 7), bytesField(8, "W"))]),
        /data type INT64 \(7\)/,
      ],
      // transA.
      [simple([nodeProto("Gemm", "g", ["x", "W"], ["y"], [intAttribute("transA", 1)])]), /node 0 "g" \(Gemm\): has transA = 1/],
      // The output is not the chain's end.
      [
        modelProto({
          nodes: [nodeProto("MatMul", "m", ["x", "W"], ["h"])],
          initializers: [tensorProto("W", [2, 2], [1, 2, 3, 4], FLOAT, "raw")],
          inputs: [valueInfo("x", FLOAT, ["N", 2])],
          outputs: [valueInfo("other", FLOAT, ["N", 2])],
        }),
        /the graph's output "other" is not the end of the chain/,
      ],
      // A softmax inside the network.
      [
        simple([nodeProto("MatMul", "m", ["x", "W"], ["h"]), nodeProto("Softmax", "s", ["h"], ["h2"]), nodeProto("MatMul", "m2", ["h2", "W"], ["y"])]),
        /softmax is allowed only in the last layer/,
      ],
      // Mismatched sizes.
      [
        simple(
          [nodeProto("MatMul", "m", ["x", "W"], ["h"]), nodeProto("MatMul", "m2", ["h", "V"], ["y"])],
          [tensorProto("W", [2, 2], [1, 2, 3, 4], FLOAT, "raw"), tensorProto("V", [3, 1], [1, 2, 3], FLOAT, "raw")],
        ),
        /node 1 "m2" \(MatMul\): has weights for 3 inputs, but 2 arrive/,
      ],
      // Dims that ask for a terabyte, with a few bytes of data.
      [
        simple(
          [nodeProto("MatMul", "m", ["x", "W"], ["y"])],
          [message(varintField(1, 1e6), varintField(1, 1e6), varintField(2, 1), bytesField(8, "W"), bytesField(9, new Uint8Array(8)))],
        ),
        /initializer "W" has 8 bytes of raw_data; its dims \[1000000,1000000\] need 4000000000000/,
      ],
      // Raw data of the wrong length.
      [
        simple([nodeProto("MatMul", "m", ["x", "W"], ["y"])], [tensorProto("W", [2, 3], [1, 2, 3, 4], FLOAT, "raw")]),
        /initializer "W" has 16 bytes of raw_data; its dims \[2,3\] need 24/,
      ],
    ];
    for (const [bytes, message] of cases) {
      expect(() => importOnnx(bytes, "odd.onnx")).toThrow(message);
      expect(() => importOnnx(bytes, "odd.onnx")).toThrow(InputError);
    }
  });

  test("every truncation of an exported model is a clear InputError naming the file", () => {
    const bytes = exportOnnx(buildNetwork(randomSpec(5, [2, 2, 1], ["relu", "sigmoid"], "shared"), "float32"));
    for (let length = 0; length < bytes.length; length++) {
      expect(() => importOnnx(bytes.subarray(0, length), "cut.onnx"), `cut at ${length}`).toThrow(/^cut\.onnx: not an ONNX model gradstep can read: /);
    }
  });

  test("corrupted bytes give a model or an InputError, never a crash", () => {
    const bytes = exportOnnx(buildNetwork(randomSpec(6, [2, 3, 2], ["tanh", "softmax"], "perNeuron"), "float64"));
    const rng = new Rng(99);
    let rejected = 0;
    for (let trial = 0; trial < 400; trial++) {
      const broken = bytes.slice();
      for (let k = rng.int(1, 3); k > 0; k--) broken[rng.int(0, broken.length - 1)] = rng.int(0, 255);
      try {
        importOnnx(broken, "broken.onnx");
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        expect((error as Error).message).toMatch(/^broken\.onnx: /);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(100);
    expect(() => importOnnx(new TextEncoder().encode('{ "not": "onnx" }'), "text.onnx")).toThrow(
      /^text\.onnx: not an ONNX model gradstep can read: the protobuf encoding is broken/,
    );
  });
});
