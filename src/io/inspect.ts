import { encodedNames } from "./table-spec.js";
import type { DType } from "../engine/matrix.js";
import type { BiasMode } from "../engine/network.js";
import { detectFormat, readBytes } from "./formats.js";
import { say } from "./error-phrases.js";
import { FORMAT_NAMES, parameterCount, type Model, type ModelFormat } from "./model.js";
import { readModel, type LoadOptions } from "./model-file.js";
import { readSafeTensors } from "./safetensors.js";
import { linearStack, type LinearStack } from "./sequential.js";

/** What `gradstep inspect` reports of a model file: architecture, precision, parameter counts. */
export interface ModelSummary {
  readonly file: string;
  readonly format: ModelFormat;
  readonly dtype: DType;
  readonly inputs: number;
  readonly outputs: number;
  readonly layers: readonly {
    readonly inputs: number;
    readonly units: number;
    /** null when the file does not say (a bare safetensors file read without activations). */
    readonly activation: string | null;
    readonly bias: BiasMode;
    readonly weights: number;
    readonly biases: number;
    readonly parameters: number;
  }[];
  readonly parameters: number;
  readonly loss?: string | undefined;
  readonly title?: string | undefined;
  readonly classes?: readonly string[] | undefined;
  /** A table-trained model: its task, and the name of each encoded input (`area`, `city=lyon`, `area (missing)`). */
  readonly table?: { readonly task: string; readonly label: readonly string[]; readonly inputs: readonly string[] } | undefined;
}

function summarizeModel(file: string, format: ModelFormat, model: Model): ModelSummary {
  let inputs = model.spec.inputs;
  const layers = model.spec.layers.map((layer) => {
    const { weights, biases } = parameterCount(layer, inputs);
    const summary = { inputs, units: layer.units, activation: layer.activation, bias: layer.bias.mode, weights, biases, parameters: weights + biases };
    inputs = layer.units;
    return summary;
  });
  const { header } = model;
  return {
    file,
    format,
    dtype: header.dtype,
    inputs: model.spec.inputs,
    outputs: inputs,
    layers,
    parameters: layers.reduce((n, l) => n + l.parameters, 0),
    ...(header.loss ? { loss: `${header.loss.type} (${header.loss.reduction})` } : {}),
    ...(header.title !== undefined ? { title: header.title } : {}),
    ...(header.classes ? { classes: header.classes } : {}),
    ...(header.table ? { table: { task: header.table.task, label: header.table.label.columns, inputs: encodedNames(header.table) } } : {}),
  };
}

/** A bare safetensors file without activations: its Linear layers, activations unknown. */
function summarizeStack(file: string, stack: LinearStack): ModelSummary {
  const layers = stack.layers.map((layer) => {
    const biases = layer.bias?.length ?? 0;
    const bias: BiasMode = biases === 0 ? "none" : biases === 1 && layer.units > 1 ? "shared" : "perNeuron";
    return {
      inputs: layer.inputs,
      units: layer.units,
      activation: null,
      bias,
      weights: layer.units * layer.inputs,
      biases,
      parameters: layer.units * layer.inputs + biases,
    };
  });
  return {
    file,
    format: "safetensors",
    dtype: stack.dtype,
    inputs: stack.inputs,
    outputs: layers.at(-1)!.units,
    layers,
    parameters: layers.reduce((n, l) => n + l.parameters, 0),
  };
}

/** Reads any supported model file and summarizes it; a bare safetensors file needs no activations here. */
export function inspectModel(file: string, options: LoadOptions = {}): ModelSummary {
  if (!options.activations) {
    const bytes = readBytes(file, say("modelError.what.modelFile"));
    if (detectFormat(file, bytes) === "safetensors") return summarizeStack(file, linearStack(readSafeTensors(bytes, file).tensors, file));
  }
  const { format, model } = readModel(file, options);
  return summarizeModel(file, format, model);
}

function grouped(n: number): string {
  return n.toLocaleString("en-US");
}

/** The summary as an aligned text table. */
export function renderSummary(summary: ModelSummary): string {
  const sizes = [summary.inputs, ...summary.layers.map((l) => l.units)].join("-");
  const lines = [
    `${summary.file}: ${FORMAT_NAMES[summary.format]}, ${summary.dtype}, ${sizes} network, ${grouped(summary.parameters)} parameters`,
    ...(summary.title !== undefined ? [`title: ${summary.title}`] : []),
    ...(summary.loss !== undefined ? [`loss: ${summary.loss}`] : []),
    ...(summary.classes ? [`classes: ${summary.classes.join(", ")}`] : []),
    ...(summary.table ? [`table: ${summary.table.task} of ${summary.table.label.join(", ")}; inputs: ${summary.table.inputs.join(", ")}`] : []),
    "",
  ];
  const header = ["layer", "inputs", "units", "activation", "bias", "weights", "biases", "parameters"];
  const rows = summary.layers.map((l, k) => [
    String(k),
    grouped(l.inputs),
    grouped(l.units),
    l.activation ?? "?",
    l.bias,
    grouped(l.weights),
    grouped(l.biases),
    grouped(l.parameters),
  ]);
  rows.push([
    "total",
    "",
    "",
    "",
    "",
    grouped(summary.layers.reduce((n, l) => n + l.weights, 0)),
    grouped(summary.layers.reduce((n, l) => n + l.biases, 0)),
    grouped(summary.parameters),
  ]);
  const numeric = new Set([1, 2, 5, 6, 7]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  lines.push(line(header), ...rows.map(line));
  if (summary.layers.some((l) => l.activation === null))
    lines.push("", "(a bare safetensors file stores no activations; give them with --arch to read it as a model)");
  return lines.join("\n");
}
