import * as v from "valibot";
import { ACTIVATION_NAMES } from "../engine/activations.js";
import { LOSS_NAMES, LOSSES, REDUCTIONS } from "../engine/losses.js";
import type { BiasSpec, LayerSpec, Network, NetworkSpec } from "../engine/network.js";
import type { JsonPath } from "../json-path.js";
import { InputError } from "../input-error.js";
import { quoted } from "./error-phrases.js";
import { say, verbatim, type Say } from "../i18n/translate.js";
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

/** The notation names things the network has, in the network's shapes: the first mismatch. */
function notationIssue(notation: NotationSpec, network: ModelHeader["network"]): { path: JsonPath; detail: Say } | undefined {
  const count = (names: readonly unknown[] | undefined, path: JsonPath, expected: number, per: Say) =>
    names && names.length !== expected ? { path, detail: say("modelError.gradstep.names", { count: names.length, expected, per }) } : undefined;
  const last = network.layers.at(-1)!;
  const unitOf = (k: number) => say("modelError.gradstep.perUnitOfLayer", { layer: k });
  const top =
    count(notation.inputs, ["notation", "inputs"], network.inputs, say("modelError.gradstep.perNetworkInput")) ??
    count(notation.targets, ["notation", "targets"], last.units, say("modelError.gradstep.perLastUnit")) ??
    count(notation.layers, ["notation", "layers"], network.layers.length, say("modelError.gradstep.perLayer"));
  if (top) return top;
  let inputs = network.inputs;
  for (const [k, names] of (notation.layers ?? []).entries()) {
    const layer = network.layers[k]!;
    const path: JsonPath = ["notation", "layers", k];
    const issue =
      count(names.weights, [...path, "weights"], layer.units, unitOf(k)) ??
      (names.weights ?? []).reduce<ReturnType<typeof count>>(
        (found, row, j) => found ?? count(row, [...path, "weights", j], inputs, say("modelError.gradstep.perInputOfLayer", { layer: k })),
        undefined,
      ) ??
      count(names.z, [...path, "z"], layer.units, unitOf(k)) ??
      count(names.a, [...path, "a"], layer.units, unitOf(k)) ??
      (names.bias === undefined
        ? undefined
        : layer.bias === "none"
          ? { path: [...path, "bias"], detail: say("modelError.gradstep.namesNoBias", { layer: k }) }
          : layer.bias === "shared"
            ? typeof names.bias === "string"
              ? undefined
              : { path: [...path, "bias"], detail: say("modelError.gradstep.sharedBiasName", { layer: k }) }
            : typeof names.bias === "string"
              ? undefined
              : count(names.bias, [...path, "bias"], layer.units, unitOf(k)));
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
    throw InputError.said(say("modelError.gradstep.notJson", { error: (error as Error).message }), { file });
  }
  const version = (parsed as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version > MODEL_VERSION) {
    throw InputError.said(say("modelError.gradstep.version", { expected: MODEL_VERSION, found: String(version) }), { file, path: ["version"] });
  }
  const checked = v.safeParse(modelSchema, parsed);
  if (!checked.success) {
    const issue = describeIssue(firstIssue(checked.issues), parsed, modelSchema);
    throw new InputError(issue.detail, { file, path: issue.path });
  }
  const { weights: stored, ...info } = checked.output;
  const { network, dtype } = info;
  const fail = (detail: Say, path?: JsonPath): never => {
    throw InputError.said(detail, { file, path });
  };
  const last = network.layers.at(-1)!;
  if (info.loss) {
    const required = LOSSES[info.loss.type].requires;
    if (required && last.activation !== required)
      fail(say("modelError.gradstep.lossNeeds", { loss: info.loss.type, required, found: last.activation }), ["loss", "type"]);
    if (last.activation === "softmax" && info.loss.type !== "cross_entropy")
      fail(say("modelError.gradstep.softmaxLoss", { loss: info.loss.type }), ["loss", "type"]);
  }
  // Names may cover only the first outputs (predict numbers the rest); more names than outputs is a mistake.
  if (info.classes && info.classes.length > last.units)
    fail(say("modelError.gradstep.classNames", { count: info.classes.length, expected: last.units }), ["classes"]);
  const twice = info.classes?.findIndex((name, k) => info.classes!.indexOf(name) !== k) ?? -1;
  if (twice >= 0) fail(say("modelError.gradstep.classTwice", { name: JSON.stringify(info.classes![twice]!.slice(0, 40)) }), ["classes", twice]);
  if (info.table) {
    const width = info.table.columns.reduce((n, c) => n + encodedWidth(c), 0);
    if (width !== network.inputs) fail(say("modelError.gradstep.tableWidth", { width, expected: network.inputs }), ["table", "columns"]);
    const outputs = info.table.task === "regression" ? info.table.label.columns.length : (info.table.label.classes?.length ?? 0);
    if (outputs !== last.units) fail(say("modelError.gradstep.tableOutputs", { outputs, task: info.table.task, expected: last.units }), ["table", "label"]);
    if (info.table.task === "regression" && (info.table.label.mean?.length !== outputs || info.table.label.std?.length !== outputs))
      fail(say("modelError.gradstep.meanStd"), ["table", "label"]);
    const linear = info.table.label.linear;
    if (linear && (linear.bias.length !== outputs || linear.weights.length !== outputs || linear.weights.some((w) => w.length !== width))) {
      fail(say("modelError.gradstep.linearFit", { outputs, width }), ["table", "label", "linear"]);
    }
  }
  const named = info.notation && notationNameIssue(info.notation);
  if (named) fail(verbatim(named.detail), named.path);
  const notation = info.notation && notationIssue(info.notation, network);
  if (notation) fail(notation.detail, notation.path);

  let tensors: ReadonlyMap<string, Tensor> | undefined;
  let tensorFile = file;
  if (typeof stored === "string") {
    const { bytes, path } = readWeights(stored);
    tensorFile = path;
    tensors = readSafeTensors(bytes, path).tensors;
    const known = new Set(network.layers.flatMap((_, k) => [weightName(k), biasName(k)]));
    const stray = [...tensors.keys()].find((name) => !known.has(name));
    if (stray !== undefined) fail(say("modelError.gradstep.strayTensor", { file: stored, name: quoted(stray) }), ["weights"]);
  } else if (stored.length !== network.layers.length) {
    fail(say("modelError.gradstep.entries", { count: stored.length, expected: network.layers.length }), ["weights"]);
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
      const inFile = (detail: Say): never => {
        throw InputError.said(detail, { file: tensorFile });
      };
      const shapeOf = (t: Tensor | undefined): Say => (t ? verbatim(JSON.stringify(t.shape)) : say("modelError.found.none"));
      if (!w || w.shape.length !== 2 || w.shape[0] !== layer.units || w.shape[1] !== inputs) {
        inFile(say("modelError.gradstep.weightTensor", { name: weightName(k), units: layer.units, inputs, found: shapeOf(w) }));
      }
      if (biasCount > 0 ? !b || b.shape.length !== 1 || b.shape[0] !== biasCount : b !== undefined && b.data.length !== 0) {
        inFile(
          biasCount > 0
            ? say("modelError.gradstep.biasTensor", { name: biasName(k), count: biasCount, mode: layer.bias, found: shapeOf(b) })
            : say("modelError.gradstep.biasTensorAbsent", { name: biasName(k), found: shapeOf(b) }),
        );
      }
      for (const t of [w, b])
        if (t && !(t.data instanceof expectedType))
          inFile(
            say("modelError.gradstep.tensorDtype", {
              dtype,
              code: dtype === "float64" ? "F64" : "F32",
              found: t.data instanceof Float64Array ? "F64" : "F32",
            }),
          );
      weights = rowsOf(w!.data, layer.units, inputs);
      bias = b ? Array.from(b.data) : [];
    } else {
      const inline = (stored as v.InferOutput<typeof inlineLayerSchema>[])[k]!;
      const path: JsonPath = ["weights", k];
      if (inline.weights.length !== layer.units)
        fail(say("modelError.gradstep.inlineRows", { count: inline.weights.length, expected: layer.units, layer: k }), [...path, "weights"]);
      const row = inline.weights.findIndex((r) => r.length !== inputs);
      if (row >= 0) fail(say("modelError.gradstep.inlineRow", { count: inline.weights[row]!.length, expected: inputs, layer: k }), [...path, "weights", row]);
      bias = inline.bias === null ? [] : typeof inline.bias === "number" ? [inline.bias] : inline.bias;
      if (bias.length !== biasCount) {
        const found = inline.bias === null ? verbatim("null") : say("modelError.gradstep.numbers", { count: bias.length });
        fail(
          layer.bias === "none"
            ? say("modelError.gradstep.inlineNoBias", { found })
            : layer.bias === "shared"
              ? say("modelError.gradstep.inlineSharedBias", { found })
              : say("modelError.gradstep.inlineBias", { count: layer.units, found }),
          [...path, "bias"],
        );
      }
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
