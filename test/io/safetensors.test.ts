import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { buildNetwork } from "../../src/engine/network.js";
import { loadModel, saveModel } from "../../src/io/model-file.js";
import { readSafeTensors, writeSafeTensors } from "../../src/io/safetensors.js";
import { InputError } from "../../src/input-error.js";
import { engineOutput, randomSpec, temporaryFolder } from "./fixtures.js";

const dir = temporaryFolder();

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Reads a safetensors file by the specification alone, independently of src/io/safetensors.ts. */
function readBySpec(bytes: Uint8Array): { header: Record<string, HeaderEntry>; metadata: unknown; values: Map<string, number[]> } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
  expect(text.startsWith("{")).toBe(true);
  expect(text.trimEnd().endsWith("}")).toBe(true);
  expect(text.slice(text.lastIndexOf("}") + 1)).toMatch(/^ *$/);
  const { __metadata__: metadata, ...header } = JSON.parse(text) as Record<string, HeaderEntry> & { __metadata__?: unknown };
  const values = new Map<string, number[]>();
  const ranges = Object.values(header)
    .map((e) => e.data_offsets)
    .sort((a, b) => a[0] - b[0]);
  let end = 0;
  for (const [begin, stop] of ranges) {
    expect(begin).toBe(end);
    end = stop;
  }
  expect(8 + n + end).toBe(bytes.length);
  for (const [name, entry] of Object.entries(header)) {
    const size = entry.dtype === "F64" ? 8 : 4;
    const count = entry.shape.reduce((a, b) => a * b, 1);
    expect(entry.data_offsets[1] - entry.data_offsets[0]).toBe(count * size);
    const at = 8 + n + entry.data_offsets[0];
    values.set(
      name,
      Array.from({ length: count }, (_, i) => (size === 8 ? view.getFloat64(at + 8 * i, true) : view.getFloat32(at + 4 * i, true))),
    );
  }
  return { header, metadata, values };
}

/** Writes a safetensors file byte by byte, the way safetensors.torch.save_file lays out a state dict. */
function torchFile(tensors: [string, number[], number[]][], dtype: "F32" | "F64" = "F32"): Uint8Array {
  const size = dtype === "F64" ? 8 : 4;
  const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
  let offset = 0;
  for (const [name, shape, values] of tensors) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + values.length * size] };
    offset += values.length * size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  let at = 8 + json.length;
  for (const [, , values] of tensors) {
    for (const v of values) {
      if (size === 8) view.setFloat64(at, v, true);
      else view.setFloat32(at, v, true);
      at += size;
    }
  }
  return bytes;
}

describe("safetensors written by gradstep, read by the specification", () => {
  test("a saved model's weights file has nn.Linear's layout: layers.K.weight (units × inputs), layers.K.bias", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const spec = randomSpec(1, [3, 4, 2], ["relu", "softmax"], "perNeuron");
      const net = buildNetwork(spec, dtype);
      const { weights } = saveModel(join(dir, `linear-${dtype}.json`), net, { loss: { type: "cross_entropy", reduction: "mean" } });
      const { header, values } = readBySpec(readFileSync(weights));
      const F = dtype === "float64" ? "F64" : "F32";
      expect(header).toEqual({
        "layers.0.weight": { dtype: F, shape: [4, 3], data_offsets: expect.any(Array) },
        "layers.0.bias": { dtype: F, shape: [4], data_offsets: expect.any(Array) },
        "layers.1.weight": { dtype: F, shape: [2, 4], data_offsets: expect.any(Array) },
        "layers.1.bias": { dtype: F, shape: [2], data_offsets: expect.any(Array) },
      });
      expect(values.get("layers.0.weight")).toEqual(Array.from(net.layers[0]!.weights.data));
      expect(values.get("layers.1.bias")).toEqual(Array.from(net.layers[1]!.bias.data));
    }
  });

  test("the header is padded with spaces so that the data starts 8-byte aligned", () => {
    const bytes = writeSafeTensors(new Map([["a", { shape: [3], data: Float32Array.from([1, -0, 3.5]) }]]), { note: "é" });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const { metadata, values } = readBySpec(bytes);
    expect(metadata).toEqual({ note: "é" });
    expect(Object.is(values.get("a")![1], -0)).toBe(true);
  });
});

describe("bare safetensors as PyTorch saves an nn.Sequential", () => {
  // nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1), nn.Sigmoid()): Linear modules at 0 and 2.
  const w0 = [0.5, -1, 2, 0.25, -0.75, 1.5],
    b0 = [0.1, -0.2, 0.3],
    w2 = [1, -2, 0.5],
    b2 = [-0.125];
  const bytes = torchFile([
    ["0.weight", [3, 2], w0],
    ["0.bias", [3], b0],
    ["2.weight", [1, 3], w2],
    ["2.bias", [1], b2],
  ]);
  const file = join(dir, "sequential.safetensors");
  writeFileSync(file, bytes);

  test("loads with --arch activations, weights in nn.Linear's layout", () => {
    const model = loadModel(file, { activations: ["relu", "sigmoid"] });
    expect(model.header.dtype).toBe("float32");
    expect(model.spec).toEqual({
      inputs: 2,
      layers: [
        {
          units: 3,
          activation: "relu",
          weights: [
            [0.5, -1],
            [2, 0.25],
            [-0.75, 1.5],
          ],
          bias: { mode: "perNeuron", values: b0.map(Math.fround) },
        },
        { units: 1, activation: "sigmoid", weights: [[1, -2, 0.5]], bias: { mode: "perNeuron", values: [-0.125] } },
      ],
    });
    // By hand: x = (1, 2): z0 = (0.5−2+0.1, 2+0.5−0.2, −0.75+3+0.3) → relu (0, 2.3, 2.55); z = 0 − 4.6 + 1.275 − 0.125 = −3.45.
    expect(engineOutput(model.spec, "float32", [[1, 2]])[0]).toBeCloseTo(1 / (1 + Math.exp(3.45)), 6);
  });

  test("without activations, or with the wrong number, the error says what to give", () => {
    expect(() => loadModel(file)).toThrow(
      /sequential\.safetensors: arch: a bare safetensors file holds weights but no activations; expected one per Linear layer \(0, 2\), e\.g\. relu,identity/,
    );
    expect(() => loadModel(file, { activations: ["relu"] })).toThrow(/expected 2 activations, one per Linear layer \(0, 2\), found 1/);
  });

  test("Linear layers without bias, F64, and a prefix", () => {
    const f64 = torchFile(
      [
        ["net.0.weight", [2, 2], [1, 2, 3, 4]],
        ["net.1.weight", [1, 2], [5, 6]],
        ["net.1.bias", [1], [7]],
      ],
      "F64",
    );
    const path = join(dir, "f64.safetensors");
    writeFileSync(path, f64);
    const model = loadModel(path, { activations: ["tanh", "identity"] });
    expect(model.header.dtype).toBe("float64");
    expect(model.spec.layers.map((l) => l.bias)).toEqual([{ mode: "none" }, { mode: "perNeuron", values: [7] }]);
  });

  test("shapes that do not chain, mixed dtypes and stray tensors are named", () => {
    const cases: [Uint8Array, RegExp][] = [
      [
        torchFile([
          ["0.weight", [3, 2], w0],
          ["2.weight", [1, 2], [1, 2]],
        ]),
        /"2\.weight" takes 2 inputs, but "0\.weight" gives 3 outputs/,
      ],
      [
        torchFile([
          ["0.weight", [3, 2], w0],
          ["0.bias", [2], [1, 2]],
        ]),
        /expected "0\.bias" of shape \[3\] for 3 units, found \[2\]/,
      ],
      [torchFile([["0.weight", [6], w0]]), /expected "0\.weight" to be a matrix/],
      [torchFile([["0.bias", [3], b0]]), /expected "0\.weight" beside "0\.bias"/],
      [
        torchFile([
          ["0.weight", [3, 2], w0],
          ["running_mean", [3], b0],
        ]),
        /found "running_mean"/,
      ],
    ];
    for (const [broken, message] of cases) {
      const path = join(dir, "broken.safetensors");
      writeFileSync(path, broken);
      expect(() => loadModel(path, { activations: ["relu", "relu"] })).toThrow(message);
    }
  });

  test("every truncation is a clear InputError naming the file", () => {
    for (let length = 0; length < bytes.length; length++) {
      expect(() => readSafeTensors(bytes.subarray(0, length), "cut.safetensors"), `cut at ${length}`).toThrow(
        /^cut\.safetensors: not a valid safetensors file: /,
      );
    }
  });

  test("corrupt headers are clear InputErrors", () => {
    const header = (json: string, data = 0) => {
      const text = new TextEncoder().encode(json);
      const out = new Uint8Array(8 + text.length + data);
      new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
      out.set(text, 8);
      return out;
    };
    const cases: [Uint8Array, RegExp][] = [
      [header("[1, 2]"), /the header is not a JSON object/],
      [header('{"a": '), /the header is not UTF-8 JSON/],
      [header('{"a": {"dtype": "F16", "shape": [1], "data_offsets": [0, 2]}}', 2), /tensor "a" has dtype "F16"; expected F32 or F64/],
      [header('{"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}', 8), /tensor "a" starts at data byte 4, expected 0/],
      [header('{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}', 8), /the tensors hold 4 data bytes, but 8 follow the header/],
      [
        header('{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}', 4),
        /tensor "b" starts at data byte 0, expected 4/,
      ],
      [header('{"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}', 4), /tensor "a" has no valid shape/],
      [header('{"__metadata__": {"n": 1}}'), /__metadata__ is not an object of strings/],
    ];
    for (const [broken, message] of cases) {
      expect(() => readSafeTensors(broken, "x.safetensors")).toThrow(message);
      expect(() => readSafeTensors(broken, "x.safetensors")).toThrow(InputError);
    }
  });
});
