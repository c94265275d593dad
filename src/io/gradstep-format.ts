import * as v from "valibot";
import { ACTIVATION_NAMES } from "../engine/activations.js";
import { LOSS_NAMES, LOSSES, REDUCTIONS } from "../engine/losses.js";
import type { BiasSpec, LayerSpec, Network, NetworkSpec } from "../engine/network.js";
import type { JsonPath } from "../json-path.js";
import { InputError } from "../input-error.js";
import { notationNameIssue } from "../problem/notation-names.js";
import type { NotationSpec } from "../problem/problem.js";
import { notationSchema } from "../problem/schema.js";
import { describeIssue, firstIssue } from "../problem/schema-issues.js";
import { checkModelSpec, MODEL_FORMAT, MODEL_VERSION, parameterCount, rowsOf, type Model, type ModelInfo } from "./model.js";
import { readSafeTensors, writeSafeTensors, type Tensor } from "./safetensors.js";
import { encodedWidth, tableSpecSchema } from "./table-spec.js";

/**
 * gradstep's own model file: versioned JSON with the architecture, the loss,
 * the exercise's notation and the training record; the weights either inline
 * (exercises: `weights[k]` is `{ weights: units × inputs, bias }` with the
 * bias as traces write it: an array, a number when shared, null when none)
 * or in a safetensors file beside it (trained models), laid out as PyTorch's
 * nn.Linear: `layers.K.weight` (units × inputs) and `layers.K.bias`.
 */

const count = v.pipe(v.number(), v.integer(), v.minValue(1));
const finite = v.pipe(v.number(), v.finite());

const layerSchema = v.strictObject({
  units: count,
  activation: v.picklist(ACTIVATION_NAMES),
  bias: v.picklist(["perNeuron", "shared", "none"]),
});

const inlineLayerSchema = v.strictObject({
  weights: v.array(v.array(finite)),
  bias: v.union([v.array(finite), finite, v.null()]),
});

export const modelSchema = v.looseObject({
  format: v.literal(MODEL_FORMAT),
  version: v.literal(MODEL_VERSION),
  title: v.optional(v.string()),
  dtype: v.picklist(["float32", "float64"]),
  network: v.strictObject({ inputs: count, layers: v.pipe(v.array(layerSchema), v.minLength(1)) }),
  loss: v.optional(v.strictObject({ type: v.picklist(LOSS_NAMES), reduction: v.picklist(REDUCTIONS) })),
  notation: v.optional(notationSchema),
  /** A safetensors file beside this one, or the weights themselves. */
  weights: v.union([v.pipe(v.string(), v.minLength(1)), v.array(inlineLayerSchema)]),
  classes: v.optional(v.array(v.string())),
  training: v.optional(v.record(v.string(), v.unknown())),
  table: v.optional(tableSpecSchema),
});

export type ModelHeader = v.InferOutput<typeof modelSchema>;

export function weightName(layer: number): string {
  return `layers.${layer}.weight`;
}

export function biasName(layer: number): string {
  return `layers.${layer}.bias`;
}

/** The network's parameters as safetensors tensors, in its own precision; a layer without bias has no bias tensor. */
export function networkTensors(net: Network): Map<string, Tensor> {
  const tensors = new Map<string, Tensor>();
  net.layers.forEach((layer, k) => {
    tensors.set(weightName(k), { shape: [layer.units, layer.inputs], data: layer.weights.data.slice() });
    if (layer.biasMode !== "none") tensors.set(biasName(k), { shape: [layer.bias.cols], data: layer.bias.data.slice() });
  });
  return tensors;
}

function biasValues(bias: BiasSpec): number[] {
  return bias.mode === "perNeuron" ? [...bias.values] : bias.mode === "shared" ? [bias.value] : [];
}

/** The same tensors from a spec, stored in `dtype`. */
function specTensors(spec: NetworkSpec, dtype: ModelInfo["dtype"]): Map<string, Tensor> {
  const typed = (values: readonly number[]) => (dtype === "float64" ? Float64Array.from(values) : Float32Array.from(values));
  const tensors = new Map<string, Tensor>();
  let inputs = spec.inputs;
  spec.layers.forEach((layer, k) => {
    tensors.set(weightName(k), { shape: [layer.units, inputs], data: typed(layer.weights.flat()) });
    if (layer.bias.mode !== "none") tensors.set(biasName(k), { shape: [parameterCount(layer, inputs).biases], data: typed(biasValues(layer.bias)) });
    inputs = layer.units;
  });
  return tensors;
}

/** A number as JSON, keeping the sign of −0 so that every value round-trips bit for bit. */
function jsonNumber(v: number): string {
  return Object.is(v, -0) ? "-0" : JSON.stringify(v);
}

function inlineWeights(spec: NetworkSpec, round: (v: number) => number): string {
  const list = (values: readonly number[]) => `[${values.map((v) => jsonNumber(round(v))).join(", ")}]`;
  const layers = spec.layers.map((layer) => {
    const rows = layer.weights.map((row) => `        ${list(row)}`).join(",\n");
    const bias = layer.bias.mode === "perNeuron" ? list(layer.bias.values) : layer.bias.mode === "shared" ? jsonNumber(round(layer.bias.value)) : "null";
    return `    {\n      "weights": [\n${rows}\n      ],\n      "bias": ${bias}\n    }`;
  });
  return `[\n${layers.join(",\n")}\n  ]`;
}

const SCALAR = String.raw`(?:"(?:[^"\\\n]|\\.)*"|-?[\d.eE+-]+|true|false|null)`;
const SCALAR_ARRAY = new RegExp(String.raw`\[\n\s*(${SCALAR}(?:,\n\s*${SCALAR})*)\n\s*\]`, "g");

/** Pretty JSON with each array of plain values on one line: `["x1", "x2"]`, not one name per line. */
function compactArrays(json: string): string {
  return json.replace(SCALAR_ARRAY, (_, items: string) => `[${items.split(/,\n\s*/).join(", ")}]`);
}

const MARKER = "@@gradstep-inline-weights@@";

/**
 * The text of a model file and, unless the weights go inline, the
 * safetensors bytes of `weightsFile` (a name beside the model file).
 */
export function encodeModel(model: Model, weightsFile?: string): { json: string; weights?: Uint8Array } {
  const { header, spec } = model;
  checkModelSpec(spec, header.dtype, undefined);
  const round = header.dtype === "float32" ? Math.fround : (v: number) => v;
  const full = { ...header, format: MODEL_FORMAT, version: MODEL_VERSION, weights: weightsFile ?? MARKER };
  const text = `${compactArrays(JSON.stringify(full, null, 2))}\n`;
  if (weightsFile !== undefined) return { json: text, weights: writeSafeTensors(specTensors(spec, header.dtype)) };
  return { json: text.replace(JSON.stringify(MARKER), () => inlineWeights(spec, round)) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The notation names things the network has, in the network's shapes: the first mismatch. */
function notationIssue(notation: NotationSpec, network: ModelHeader["network"]): { path: JsonPath; detail: string } | undefined {
  const count = (names: readonly unknown[] | undefined, path: JsonPath, expected: number, meaning: string) =>
    names && names.length !== expected ? { path, detail: `has ${plural(names.length, "name")}; expected ${expected}, one per ${meaning}` } : undefined;
  const last = network.layers.at(-1)!;
  const top =
    count(notation.inputs, ["notation", "inputs"], network.inputs, "network input") ??
    count(notation.targets, ["notation", "targets"], last.units, "unit of the last layer") ??
    count(notation.layers, ["notation", "layers"], network.layers.length, "layer");
  if (top) return top;
  let inputs = network.inputs;
  for (const [k, names] of (notation.layers ?? []).entries()) {
    const layer = network.layers[k]!;
    const path: JsonPath = ["notation", "layers", k];
    const issue =
      count(names.weights, [...path, "weights"], layer.units, `unit of layer ${k}`) ??
      (names.weights ?? []).reduce<ReturnType<typeof count>>(
        (found, row, j) => found ?? count(row, [...path, "weights", j], inputs, `input to layer ${k}`),
        undefined,
      ) ??
      count(names.z, [...path, "z"], layer.units, `unit of layer ${k}`) ??
      count(names.a, [...path, "a"], layer.units, `unit of layer ${k}`) ??
      (names.bias === undefined
        ? undefined
        : layer.bias === "none"
          ? { path: [...path, "bias"], detail: `names a bias, but layer ${k} has none` }
          : layer.bias === "shared"
            ? typeof names.bias === "string"
              ? undefined
              : { path: [...path, "bias"], detail: `expected one name for the shared bias of layer ${k}` }
            : typeof names.bias === "string"
              ? undefined
              : count(names.bias, [...path, "bias"], layer.units, `unit of layer ${k}`));
    if (issue) return issue;
    inputs = layer.units;
  }
  return undefined;
}

/** What the header promises of each layer's bias: how many values it stores. */
function expectedBias(mode: ModelHeader["network"]["layers"][number]["bias"], units: number): number {
  return mode === "perNeuron" ? units : mode === "shared" ? 1 : 0;
}

function biasSpec(mode: ModelHeader["network"]["layers"][number]["bias"], values: readonly number[]): BiasSpec {
  return mode === "perNeuron" ? { mode, values: [...values] } : mode === "shared" ? { mode, value: values[0]! } : { mode };
}

/**
 * Reads a model file's text; `readWeights` reads the safetensors file it
 * names (a path relative to the model file). Every shape, dtype and name is
 * checked against the header.
 */
export function decodeModel(text: string, file: string | undefined, readWeights: (name: string) => { bytes: Uint8Array; path: string }): Model {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`expected a gradstep model file (JSON), found text that is not JSON (${(error as Error).message})`, { file });
  }
  const version = (parsed as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version > MODEL_VERSION) {
    throw new InputError(`expected a model file of version ${MODEL_VERSION}, found version ${version}, written by a newer gradstep`, {
      file,
      path: ["version"],
    });
  }
  const checked = v.safeParse(modelSchema, parsed);
  if (!checked.success) {
    const issue = describeIssue(firstIssue(checked.issues), parsed, modelSchema);
    throw new InputError(issue.detail, { file, path: issue.path });
  }
  const { weights: stored, ...info } = checked.output;
  const { network, dtype } = info;
  const fail = (detail: string, path?: JsonPath): never => {
    throw new InputError(detail, { file, path });
  };
  const last = network.layers.at(-1)!;
  if (info.loss) {
    const required = LOSSES[info.loss.type].requires;
    if (required && last.activation !== required)
      fail(`is "${info.loss.type}", which requires a ${required} last layer; found "${last.activation}"`, ["loss", "type"]);
    if (last.activation === "softmax" && info.loss.type !== "cross_entropy")
      fail(`is "${info.loss.type}"; a softmax output requires "cross_entropy"`, ["loss", "type"]);
  }
  // Names may cover only the first outputs (predict numbers the rest); more names than outputs is a mistake.
  if (info.classes && info.classes.length > last.units)
    fail(`has ${plural(info.classes.length, "name")}; expected at most ${last.units}, one per output`, ["classes"]);
  const twice = info.classes?.findIndex((name, k) => info.classes!.indexOf(name) !== k) ?? -1;
  if (twice >= 0) fail(`names the class ${JSON.stringify(info.classes![twice]!.slice(0, 40))} twice; expected one name per class`, ["classes", twice]);
  if (info.table) {
    const width = info.table.columns.reduce((n, c) => n + encodedWidth(c), 0);
    if (width !== network.inputs) fail(`encodes a row as ${width} inputs; expected ${network.inputs}, the network's inputs`, ["table", "columns"]);
    const outputs = info.table.task === "regression" ? info.table.label.columns.length : (info.table.label.classes?.length ?? 0);
    if (outputs !== last.units) fail(`gives ${outputs} outputs for the ${info.table.task}; expected ${last.units}, the last layer's units`, ["table", "label"]);
    if (info.table.task === "regression" && (info.table.label.mean?.length !== outputs || info.table.label.std?.length !== outputs))
      fail(`expected a mean and std per target`, ["table", "label"]);
    const linear = info.table.label.linear;
    if (linear && (linear.bias.length !== outputs || linear.weights.length !== outputs || linear.weights.some((w) => w.length !== width))) {
      fail(`expected a linear fit of ${outputs} × ${width} weights and ${outputs} biases, one row per target`, ["table", "label", "linear"]);
    }
  }
  const notation = info.notation && (notationNameIssue(info.notation) ?? notationIssue(info.notation, network));
  if (notation) fail(notation.detail, notation.path);

  let tensors: ReadonlyMap<string, Tensor> | undefined;
  let tensorFile = file;
  if (typeof stored === "string") {
    const { bytes, path } = readWeights(stored);
    tensorFile = path;
    tensors = readSafeTensors(bytes, path).tensors;
    const known = new Set(network.layers.flatMap((_, k) => [weightName(k), biasName(k)]));
    const stray = [...tensors.keys()].find((name) => !known.has(name));
    if (stray !== undefined) fail(`expected only the tensors layers.K.weight and layers.K.bias in ${stored}, found "${stray}"`, ["weights"]);
  } else if (stored.length !== network.layers.length) {
    fail(`has ${plural(stored.length, "entry")}; expected ${network.layers.length}, one per layer`, ["weights"]);
  }
  const expectedType = dtype === "float64" ? Float64Array : Float32Array;
  let inputs = network.inputs;
  const layers = network.layers.map((layer, k): LayerSpec => {
    const biasCount = expectedBias(layer.bias, layer.units);
    let weights: number[][];
    let bias: readonly number[];
    if (tensors) {
      const w = tensors.get(weightName(k)),
        b = tensors.get(biasName(k));
      const inFile = (detail: string): never => {
        throw new InputError(detail, { file: tensorFile });
      };
      if (!w || w.shape.length !== 2 || w.shape[0] !== layer.units || w.shape[1] !== inputs) {
        inFile(`expected tensor ${weightName(k)} of shape [${layer.units}, ${inputs}], found ${w ? JSON.stringify(w.shape) : "none"}`);
      }
      if (biasCount > 0 ? !b || b.shape.length !== 1 || b.shape[0] !== biasCount : b !== undefined && b.data.length !== 0) {
        inFile(
          `expected tensor ${biasName(k)} ${biasCount > 0 ? `of shape [${biasCount}] (${layer.bias} bias)` : "to be absent (the layer has no bias)"}, found ${b ? JSON.stringify(b.shape) : "none"}`,
        );
      }
      for (const t of [w, b])
        if (t && !(t.data instanceof expectedType))
          inFile(
            `expected ${dtype} tensors (${dtype === "float64" ? "F64" : "F32"}) for a ${dtype} model, found ${t.data instanceof Float64Array ? "F64" : "F32"}`,
          );
      weights = rowsOf(w!.data, layer.units, inputs);
      bias = b ? Array.from(b.data) : [];
    } else {
      const inline = (stored as v.InferOutput<typeof inlineLayerSchema>[])[k]!;
      const path: JsonPath = ["weights", k];
      if (inline.weights.length !== layer.units)
        fail(`has ${plural(inline.weights.length, "row")}; expected ${layer.units}, one per unit of layer ${k}`, [...path, "weights"]);
      const row = inline.weights.findIndex((r) => r.length !== inputs);
      if (row >= 0) fail(`has ${plural(inline.weights[row]!.length, "number")}; expected ${inputs}, one per input to layer ${k}`, [...path, "weights", row]);
      bias = inline.bias === null ? [] : typeof inline.bias === "number" ? [inline.bias] : inline.bias;
      if (bias.length !== biasCount)
        fail(
          `expected ${layer.bias === "none" ? "null (no bias)" : layer.bias === "shared" ? "one number (a shared bias)" : `${plural(layer.units, "number")}, one per unit`}, found ${inline.bias === null ? "null" : plural(bias.length, "number")}`,
          [...path, "bias"],
        );
      weights = inline.weights;
    }
    inputs = layer.units;
    return { units: layer.units, activation: layer.activation, weights, bias: biasSpec(layer.bias, bias) };
  });
  const spec = { inputs: network.inputs, layers };
  checkModelSpec(spec, dtype, tensorFile);
  const header: ModelInfo = { ...info, format: MODEL_FORMAT, version: MODEL_VERSION };
  return { header, spec };
}
