import * as v from "valibot";
import { LOSSES } from "../engine/losses.js";
import type { BiasSpec, LayerSpec } from "../engine/network.js";
import type { JsonPath } from "../json-path.js";
import { InputError } from "../input-error.js";
import { documentLimitIssue, exerciseLimitIssue } from "./limits.js";
import { notationNameIssue } from "./notation-names.js";
import type { Problem } from "./problem.js";
import { problemSchema, type CheckedProblemFile } from "./schema.js";
import { describeIssue, firstIssue, type Issue } from "./schema-issues.js";

type CheckedLayer = CheckedProblemFile["network"]["layers"][number];

function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : word.endsWith("y") ? `${word.slice(0, -1)}ies` : `${word}s`}`;
}

/** Checks that `rows` is `count` rows of `width` numbers; returns the first mismatch. */
function checkMatrix(
  rows: readonly (readonly unknown[])[],
  path: JsonPath,
  count: number,
  rowMeaning: string,
  width: number,
  columnMeaning: string,
): Issue | undefined {
  if (rows.length !== count) {
    return { path, detail: `has ${plural(rows.length, "row")}; expected ${count}, one per ${rowMeaning}` };
  }
  const index = rows.findIndex((row) => row.length !== width);
  if (index >= 0) {
    return {
      path: [...path, index],
      detail: `has ${plural(rows[index]!.length, "number")}; expected ${width}, one per ${columnMeaning}`,
    };
  }
  return undefined;
}

function layerInputsMeaning(k: number, inputs: number): string {
  return k === 0 ? `network input (network.inputs is ${inputs})` : `unit of layer ${k - 1} (it has ${inputs})`;
}

function checkLayer(layer: CheckedLayer, k: number, inputs: number, isLast: boolean, lossType: string): Issue | undefined {
  const path: JsonPath = ["network", "layers", k];
  const hasBias = layer.bias !== undefined,
    hasShared = layer.sharedBias !== undefined;
  if (hasBias === hasShared) {
    return {
      path,
      detail: hasBias
        ? `has both "bias" and "sharedBias"; expected exactly one of them`
        : `has neither "bias" nor "sharedBias"; expected exactly one ("bias": false for a layer without bias)`,
    };
  }
  if (typeof layer.weights !== "number") {
    const issue = checkMatrix(
      layer.weights,
      [...path, "weights"],
      layer.units,
      `unit of layer ${k} (units is ${layer.units})`,
      inputs,
      layerInputsMeaning(k, inputs),
    );
    if (issue) return issue;
  }
  if (Array.isArray(layer.bias) && layer.bias.length !== layer.units) {
    return {
      path: [...path, "bias"],
      detail: `has ${plural(layer.bias.length, "number")}; expected ${layer.units}, one per unit of layer ${k}`,
    };
  }
  if (layer.activation === "softmax" && !isLast) {
    return { path: [...path, "activation"], detail: `is "softmax" in a hidden layer; softmax is allowed only in the last layer` };
  }
  if (layer.activation === "softmax" && lossType !== "cross_entropy") {
    return {
      path: [...path, "activation"],
      detail: `is "softmax" with the loss "${lossType}"; a softmax output requires the loss "cross_entropy"`,
    };
  }
  return undefined;
}

function checkNames(names: readonly unknown[] | undefined, path: JsonPath, count: number, meaning: string, item = "name"): Issue | undefined {
  return names && names.length !== count ? { path, detail: `has ${plural(names.length, item)}; expected ${count}, one per ${meaning}` } : undefined;
}

/** The notation block names things the network has, in the network's shapes. */
function checkNotation(file: CheckedProblemFile): Issue | undefined {
  const { notation, network } = file;
  if (!notation) return undefined;
  const last = network.layers.at(-1)!;
  const issue =
    checkNames(notation.inputs, ["notation", "inputs"], network.inputs, "network input") ??
    checkNames(notation.targets, ["notation", "targets"], last.units, "unit of the last layer") ??
    checkNames(notation.layers, ["notation", "layers"], network.layers.length, "layer of the network", "entry");
  if (issue) return issue;
  let inputs = network.inputs;
  for (const [k, names] of (notation.layers ?? []).entries()) {
    const layer = network.layers[k]!;
    const path: JsonPath = ["notation", "layers", k];
    const found =
      (names.weights && checkMatrix(names.weights, [...path, "weights"], layer.units, `unit of layer ${k}`, inputs, `input to layer ${k}`)) ??
      checkNames(names.z, [...path, "z"], layer.units, `unit of layer ${k}`) ??
      checkNames(names.a, [...path, "a"], layer.units, `unit of layer ${k}`) ??
      checkBiasNames(names.bias, [...path, "bias"], layer, k);
    if (found) return found;
    inputs = layer.units;
  }
  return undefined;
}

function checkBiasNames(bias: string | readonly string[] | undefined, path: JsonPath, layer: CheckedLayer, k: number): Issue | undefined {
  if (bias === undefined) return undefined;
  if (layer.bias === false) return { path, detail: `names a bias, but layer ${k} has none ("bias": false)` };
  if (layer.sharedBias !== undefined && typeof bias !== "string") {
    return { path, detail: `expected one name for the shared bias of layer ${k}, found ${plural(bias.length, "name")}` };
  }
  return typeof bias === "string" ? undefined : checkNames(bias, path, layer.units, `unit of layer ${k}`);
}

function checkRelations(file: CheckedProblemFile): Issue | undefined {
  const { network, loss, data, training } = file;
  let inputs = network.inputs;
  for (const [k, layer] of network.layers.entries()) {
    const issue = checkLayer(layer, k, inputs, k === network.layers.length - 1, loss.type);
    if (issue) return issue;
    inputs = layer.units;
  }
  const last = network.layers.at(-1)!;
  const required = LOSSES[loss.type].requires;
  if (required && last.activation !== required) {
    return {
      path: ["loss", "type"],
      detail: `is "${loss.type}", which requires a ${required} last layer; found "${last.activation}" in network.layers[${network.layers.length - 1}]`,
    };
  }
  const batch = data.inputs.length;
  return (
    checkMatrix(data.inputs, ["data", "inputs"], batch, "sample", network.inputs, `network input (network.inputs is ${network.inputs})`) ??
    checkMatrix(
      data.targets,
      ["data", "targets"],
      batch,
      `sample (data.inputs has ${plural(batch, "row")})`,
      last.units,
      `unit of the last layer (it has ${last.units})`,
    ) ??
    (training.steps > 0 && training.learningRate === undefined
      ? { path: ["training", "learningRate"], detail: `missing; expected a number ≥ 0 here because steps is ${training.steps}` }
      : undefined) ??
    checkNotation(file)
  );
}

function biasSpec(layer: CheckedLayer): BiasSpec {
  if (layer.sharedBias !== undefined) return { mode: "shared", value: layer.sharedBias };
  if (layer.bias === false || layer.bias === undefined) return { mode: "none" };
  if (typeof layer.bias === "number") return { mode: "perNeuron", values: new Array<number>(layer.units).fill(layer.bias) };
  return { mode: "perNeuron", values: layer.bias };
}

function normalize(file: CheckedProblemFile): Problem {
  let inputs = file.network.inputs;
  const layers = file.network.layers.map((layer): LayerSpec => {
    const weights =
      typeof layer.weights === "number" ? Array.from({ length: layer.units }, () => new Array<number>(inputs).fill(layer.weights as number)) : layer.weights;
    inputs = layer.units;
    return { units: layer.units, activation: layer.activation, weights, bias: biasSpec(layer) };
  });
  return {
    ...(typeof file.title === "string" ? { title: file.title } : {}),
    network: { inputs: file.network.inputs, layers },
    loss: file.loss,
    data: file.data,
    training: file.training,
    report: { inputGradients: file.report.includes("inputGradients") },
    ...(file.notation ? { notation: file.notation } : {}),
  };
}

/**
 * Checks a parsed problem file against the format and returns it normalized,
 * or throws an InputError for the first thing wrong, with its JSON path.
 */
export function validateProblem(input: unknown): Problem {
  const tooLarge = documentLimitIssue(input);
  if (tooLarge) throw new InputError(tooLarge.detail, { path: tooLarge.path });
  const parsed = v.safeParse(problemSchema, input);
  if (!parsed.success) {
    const issue = describeIssue(firstIssue(parsed.issues), input, problemSchema);
    throw new InputError(issue.detail, { path: issue.path });
  }
  const limit = exerciseLimitIssue(parsed.output);
  if (limit) throw new InputError(limit.detail, { path: limit.path });
  const unsafe = notationNameIssue(parsed.output.notation);
  if (unsafe) throw new InputError(unsafe.detail, { path: unsafe.path });
  const issue = checkRelations(parsed.output);
  if (issue) throw new InputError(issue.detail, { path: issue.path });
  return normalize(parsed.output);
}
