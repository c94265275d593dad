import type { ActivationName } from "../engine/activations.js";
import type { LossName, Reduction } from "../engine/losses.js";
import type { DType, Floats } from "../engine/matrix.js";
import type { BiasMode, LayerSpec, Network, NetworkSpec } from "../engine/network.js";
import { InputError } from "../input-error.js";
import { say, type Say } from "../i18n/translate.js";
import type { NotationSpec, Problem } from "../problem/problem.js";
import type { TableSpec } from "./table-spec.js";

/**
 * A model in memory, whatever file it came from: its architecture and
 * parameters (`spec`), the precision they are stored in, and what the
 * file says besides (loss, class names, notation, training record).
 */
export const MODEL_FORMAT = "gradstep-model";
export const MODEL_VERSION = 1;

/** The formats a model is read from and written to. */
export type ModelFormat = "gradstep" | "safetensors" | "onnx" | "tfjs" | "problem";

/** Everything a gradstep model file says except where the weights are. */
export interface ModelInfo {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_VERSION;
  readonly dtype: DType;
  readonly network: {
    readonly inputs: number;
    readonly layers: readonly { readonly units: number; readonly activation: ActivationName; readonly bias: BiasMode }[];
  };
  /** The loss it was trained with, where known (imports from other runtimes have none). */
  readonly loss?: { readonly type: LossName; readonly reduction: Reduction } | undefined;
  readonly title?: string | undefined;
  readonly classes?: string[] | undefined;
  /** The exercise's names for its quantities, when the model comes from a problem file. */
  readonly notation?: NotationSpec | undefined;
  readonly training?: Record<string, unknown> | undefined;
  /** How a table's rows become inputs and outputs become its units, for a model trained on a table (table-spec.ts). */
  readonly table?: TableSpec | undefined;
}

export interface Model {
  readonly header: ModelInfo;
  /** The parameters as plain numbers: exactly the stored values (a float32 value is exact as a number). */
  readonly spec: NetworkSpec;
}

/** What a model file may record besides the network itself. */
export type ModelRecord = Omit<ModelInfo, "format" | "version" | "dtype" | "network">;

/** The architecture part of a header, read off a spec. */
export function architecture(spec: NetworkSpec): ModelInfo["network"] {
  return { inputs: spec.inputs, layers: spec.layers.map((l) => ({ units: l.units, activation: l.activation, bias: l.bias.mode })) };
}

export function modelOf(spec: NetworkSpec, dtype: DType, record: ModelRecord = {}): Model {
  const header: ModelInfo = { format: MODEL_FORMAT, version: MODEL_VERSION, dtype, network: architecture(spec), ...record };
  return { header, spec };
}

/** A problem file's network as a float64 model, keeping the exercise's title, loss, notation and training settings. */
export function modelOfProblem(problem: Problem): Model {
  return modelOf(problem.network, "float64", {
    ...(problem.title !== undefined ? { title: problem.title } : {}),
    loss: problem.loss,
    ...(problem.notation ? { notation: problem.notation } : {}),
    training: { ...problem.training },
  });
}

/** The model of a network's current parameters, in the network's precision. */
export function modelOfNetwork(net: Network, record: ModelRecord = {}): Model {
  const spec: NetworkSpec = {
    inputs: net.inputs,
    layers: net.layers.map((layer): LayerSpec => {
      const w = layer.weights.data;
      return {
        units: layer.units,
        activation: layer.activation.name,
        weights: Array.from({ length: layer.units }, (_, j) => Array.from(w.subarray(j * layer.inputs, (j + 1) * layer.inputs))),
        bias: biasSpecOf(layer.biasMode, layer.bias.data),
      };
    }),
  };
  return modelOf(spec, net.dtype, record);
}

function biasSpecOf(mode: BiasMode, values: Floats | readonly number[]): LayerSpec["bias"] {
  return mode === "perNeuron" ? { mode, values: Array.from(values) } : mode === "shared" ? { mode, value: values[0]! } : { mode };
}

/** A layer's weights from a flat row-major array of units × inputs. */
export function rowsOf(data: Floats | readonly number[], units: number, inputs: number): number[][] {
  return Array.from({ length: units }, (_, j) => Array.from(data.slice(j * inputs, (j + 1) * inputs)));
}

/** The bias of a layer stored as `values`: `units` values per neuron, one shared value, or none. */
export function biasOfValues(values: Floats | readonly number[] | undefined, units: number): LayerSpec["bias"] {
  if (!values || values.length === 0) return { mode: "none" };
  return values.length === 1 && units > 1 ? { mode: "shared", value: values[0]! } : { mode: "perNeuron", values: Array.from(values) };
}

/** The bias of every neuron, a shared bias repeated: what runtimes without a shared bias need. */
export function biasPerNeuron(layer: LayerSpec): number[] | undefined {
  const { bias } = layer;
  return bias.mode === "perNeuron" ? [...bias.values] : bias.mode === "shared" ? new Array<number>(layer.units).fill(bias.value) : undefined;
}

/** Parameter counts of one layer: weights and stored biases. */
export function parameterCount(layer: LayerSpec, inputs: number): { weights: number; biases: number } {
  return { weights: layer.units * inputs, biases: layer.bias.mode === "perNeuron" ? layer.units : layer.bias.mode === "shared" ? 1 : 0 };
}

/**
 * Checks what every reader must before a spec becomes a network: matching
 * shapes, finite values, values representable in `dtype`, softmax only last.
 */
export function checkModelSpec(spec: NetworkSpec, dtype: DType, file: string | undefined): void {
  const fail = (detail: Say): never => {
    throw InputError.said(detail, { file });
  };
  if (!Number.isInteger(spec.inputs) || spec.inputs < 1) fail(say("modelError.spec.inputs", { found: String(spec.inputs) }));
  if (spec.layers.length === 0) fail(say("modelError.spec.noLayer"));
  let inputs = spec.inputs;
  spec.layers.forEach((layer, k) => {
    const inLayer = (detail: Say) => fail(say("modelError.spec.inLayer", { layer: k, detail }));
    if (!Number.isInteger(layer.units) || layer.units < 1) inLayer(say("modelError.spec.units", { found: String(layer.units) }));
    if (layer.weights.length !== layer.units || layer.weights.some((row) => row.length !== inputs)) {
      inLayer(say("modelError.spec.weights", { units: layer.units, inputs, rows: layer.weights.length, columns: layer.weights[0]?.length ?? 0 }));
    }
    if (layer.bias.mode === "perNeuron" && layer.bias.values.length !== layer.units)
      inLayer(say("modelError.spec.biases", { expected: layer.units, found: layer.bias.values.length }));
    const values = [...layer.weights.flat(), ...(biasPerNeuron(layer) ?? [])];
    const bad = values.findIndex((v) => !Number.isFinite(dtype === "float32" ? Math.fround(v) : v));
    if (bad >= 0) inLayer(say("modelError.spec.finite", { dtype, found: String(values[bad]) }));
    if (layer.activation === "softmax" && k !== spec.layers.length - 1) inLayer(say("modelError.spec.softmaxLast", { layer: k, layers: spec.layers.length }));
    inputs = layer.units;
  });
}
