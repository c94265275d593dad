import { encodedNames } from "./table-spec.js";
import { english, type MessageKey, type Translator, say } from "../i18n/translate.js";
import { displayWidth, padEnd, padStart } from "../display-width.js";
import type { DType } from "../engine/matrix.js";
import type { BiasMode } from "../engine/network.js";
import { detectFormat, readBytes } from "./formats.js";
import { parameterCount, type Model, type ModelFormat } from "./model.js";
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

/** A model file's format named for a reader. */
export function formatName(format: ModelFormat, t: Translator = english): string {
  return t.text(FORMAT_KEYS[format]);
}

const FORMAT_KEYS = {
  gradstep: "command.inspect.format.gradstep",
  safetensors: "command.inspect.format.safetensors",
  onnx: "command.inspect.format.onnx",
  tfjs: "command.inspect.format.tfjs",
  problem: "command.inspect.format.problem",
} as const satisfies Record<ModelFormat, MessageKey>;

/** The summary as text, its words in the translator's language (the CLI's inspect command writes it). */
export function renderSummary(summary: ModelSummary, t: Translator = english): string {
  const sizes = [summary.inputs, ...summary.layers.map((l) => l.units)].join("-");
  const format = formatName(summary.format, t);
  const task = (task: string) =>
    task === "classification"
      ? t.text("command.inspect.task.classification")
      : task === "regression"
        ? t.text("command.inspect.task.regression")
        : task === "multilabel"
          ? t.text("command.inspect.task.multilabel")
          : task;
  const lines = [
    t.text("command.inspect.head", { file: summary.file, format, dtype: summary.dtype, sizes, parameters: grouped(summary.parameters) }),
    ...(summary.title !== undefined ? [t.text("command.inspect.title", { title: summary.title })] : []),
    ...(summary.loss !== undefined ? [t.text("command.inspect.loss", { loss: summary.loss })] : []),
    ...(summary.classes ? [t.text("command.inspect.classes", { classes: summary.classes.join(", ") })] : []),
    ...(summary.table
      ? [t.text("command.inspect.table", { task: task(summary.table.task), labels: summary.table.label.join(", "), inputs: summary.table.inputs.join(", ") })]
      : []),
    "",
  ];
  const header = [
    t.text("command.inspect.layer"),
    t.text("command.inspect.inputs"),
    t.text("command.inspect.units"),
    t.text("command.inspect.activation"),
    t.text("command.inspect.bias"),
    t.text("command.inspect.weights"),
    t.text("command.inspect.biases"),
    t.text("command.inspect.parameters"),
  ];
  const bias = {
    perNeuron: t.text("command.inspect.bias.perNeuron"),
    shared: t.text("command.inspect.bias.shared"),
    none: t.text("command.inspect.bias.none"),
  };
  const rows = summary.layers.map((l, k) => [
    String(k),
    grouped(l.inputs),
    grouped(l.units),
    l.activation ?? "?",
    bias[l.bias],
    grouped(l.weights),
    grouped(l.biases),
    grouped(l.parameters),
  ]);
  rows.push([
    t.text("command.inspect.total"),
    "",
    "",
    "",
    "",
    grouped(summary.layers.reduce((n, l) => n + l.weights, 0)),
    grouped(summary.layers.reduce((n, l) => n + l.biases, 0)),
    grouped(summary.parameters),
  ]);
  const numeric = new Set([1, 2, 5, 6, 7]);
  const widths = header.map((h, c) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[c]!))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (numeric.has(c) ? padStart(cell, widths[c]!) : padEnd(cell, widths[c]!)))
      .join("  ")
      .trimEnd();
  lines.push(line(header), ...rows.map(line));
  if (summary.layers.some((l) => l.activation === null)) lines.push("", t.text("command.inspect.bare"));
  return lines.join("\n");
}
