import * as v from "valibot";
import { LOSSES } from "../engine/losses.js";
import type { BiasSpec, LayerSpec } from "../engine/network.js";
import type { JsonPath } from "../json-path.js";
import { InputError } from "../input-error.js";
import { documentLimitIssue, exerciseLimitIssue } from "./limits.js";
import { notationNameIssue } from "./notation-names.js";
import type { Problem } from "./problem.js";
import { problemSchema, type CheckedProblemFile } from "./schema.js";
import { describeIssue, firstIssue, issueAt, type Issue } from "./schema-issues.js";
import type { MessageKey, Say } from "../i18n/translate.js";

type CheckedLayer = CheckedProblemFile["network"]["layers"][number];

/** What each of a list's items stands for, in the reader's language: "unit of layer 1". */

/** "has 3 rows; expected 2, one per sample". */
function countIssue(path: JsonPath, key: MessageKey, count: number, expected: number, meaning: Say): Issue {
  return issueAt(path, (t) => t.text(key, { count, expected, meaning: meaning(t) }));
}

/** Checks that `rows` is `count` rows of `width` numbers; returns the first mismatch. */
function checkMatrix(rows: readonly (readonly unknown[])[], path: JsonPath, count: number, rowSay: Say, width: number, columnSay: Say): Issue | undefined {
  if (rows.length !== count) return countIssue(path, "error.rowsPerOne", rows.length, count, rowSay);
  const index = rows.findIndex((row) => row.length !== width);
  if (index >= 0) return countIssue([...path, index], "error.numbersPerOne", rows[index]!.length, width, columnSay);
  return undefined;
}

function layerInputsSay(k: number, inputs: number): Say {
  return k === 0 ? (t) => t.text("meaning.networkInputCount", { inputs }) : (t) => t.text("meaning.layerUnitHas", { layer: k - 1, units: inputs });
}

const layerUnit =
  (k: number): Say =>
  (t) =>
    t.text("meaning.layerUnit", { layer: k });

function checkLayer(layer: CheckedLayer, k: number, inputs: number, isLast: boolean, lossType: string): Issue | undefined {
  const path: JsonPath = ["network", "layers", k];
  const hasBias = layer.bias !== undefined,
    hasShared = layer.sharedBias !== undefined;
  if (hasBias === hasShared) {
    return issueAt(path, (t) => t.text(hasBias ? "error.bothBiases" : "error.neitherBias"));
  }
  if (typeof layer.weights !== "number") {
    const issue = checkMatrix(
      layer.weights,
      [...path, "weights"],
      layer.units,
      (t) => t.text("meaning.layerUnitCount", { layer: k, units: layer.units }),
      inputs,
      layerInputsSay(k, inputs),
    );
    if (issue) return issue;
  }
  if (Array.isArray(layer.bias) && layer.bias.length !== layer.units) {
    return countIssue([...path, "bias"], "error.numbersPerOne", layer.bias.length, layer.units, layerUnit(k));
  }
  if (layer.activation === "softmax" && !isLast) {
    return issueAt([...path, "activation"], (t) => t.text("error.softmaxHidden"));
  }
  if (layer.activation === "softmax" && lossType !== "cross_entropy") {
    return issueAt([...path, "activation"], (t) => t.text("error.softmaxLoss", { loss: lossType }));
  }
  return undefined;
}

function checkNames(
  names: readonly unknown[] | undefined,
  path: JsonPath,
  count: number,
  meaning: Say,
  key: MessageKey = "error.namesPerOne",
): Issue | undefined {
  return names && names.length !== count ? countIssue(path, key, names.length, count, meaning) : undefined;
}

/** The notation block names things the network has, in the network's shapes. */
function checkNotation(file: CheckedProblemFile): Issue | undefined {
  const { notation, network } = file;
  if (!notation) return undefined;
  const last = network.layers.at(-1)!;
  const issue =
    checkNames(notation.inputs, ["notation", "inputs"], network.inputs, (t) => t.text("meaning.networkInput")) ??
    checkNames(notation.targets, ["notation", "targets"], last.units, (t) => t.text("meaning.lastLayerUnit")) ??
    checkNames(notation.layers, ["notation", "layers"], network.layers.length, (t) => t.text("meaning.networkLayer"), "error.entriesPerOne");
  if (issue) return issue;
  let inputs = network.inputs;
  for (const [k, names] of (notation.layers ?? []).entries()) {
    const layer = network.layers[k]!;
    const path: JsonPath = ["notation", "layers", k];
    const found =
      (names.weights &&
        checkMatrix(names.weights, [...path, "weights"], layer.units, layerUnit(k), inputs, (t) => t.text("meaning.layerInput", { layer: k }))) ??
      checkNames(names.z, [...path, "z"], layer.units, layerUnit(k)) ??
      checkNames(names.a, [...path, "a"], layer.units, layerUnit(k)) ??
      checkBiasNames(names.bias, [...path, "bias"], layer, k);
    if (found) return found;
    inputs = layer.units;
  }
  return undefined;
}

function checkBiasNames(bias: string | readonly string[] | undefined, path: JsonPath, layer: CheckedLayer, k: number): Issue | undefined {
  if (bias === undefined) return undefined;
  if (layer.bias === false) return issueAt(path, (t) => t.text("error.biasNameWithoutBias", { layer: k }));
  if (layer.sharedBias !== undefined && typeof bias !== "string") {
    const count = bias.length;
    return issueAt(path, (t) => t.text("error.sharedBiasNames", { layer: k, count }));
  }
  return typeof bias === "string" ? undefined : checkNames(bias, path, layer.units, layerUnit(k));
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
    const at = `network.layers[${network.layers.length - 1}]`;
    return issueAt(["loss", "type"], (t) => t.text("error.lossRequires", { loss: loss.type, required, activation: last.activation, at }));
  }
  const batch = data.inputs.length;
  return (
    checkMatrix(
      data.inputs,
      ["data", "inputs"],
      batch,
      (t) => t.text("meaning.sample"),
      network.inputs,
      (t) => t.text("meaning.networkInputCount", { inputs: network.inputs }),
    ) ??
    checkMatrix(
      data.targets,
      ["data", "targets"],
      batch,
      (t) => t.text("meaning.sampleRows", { rows: batch }),
      last.units,
      (t) => t.text("meaning.lastLayerUnitHas", { units: last.units }),
    ) ??
    (training.steps > 0 && training.learningRate === undefined
      ? issueAt(["training", "learningRate"], (t) => t.text("error.missingLearningRate", { steps: training.steps }))
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

/** The input error of an issue, its detail in any language. */
export function issueError(issue: Issue, place: { file?: string | undefined; base?: JsonPath } = {}): InputError {
  return new InputError(issue.detail, { file: place.file, path: [...(place.base ?? []), ...issue.path] }, issue.say);
}

/**
 * Checks a parsed problem file against the format and returns it normalized,
 * or throws an InputError for the first thing wrong, with its JSON path.
 */
export function validateProblem(input: unknown): Problem {
  const tooLarge = documentLimitIssue(input);
  if (tooLarge) throw issueError(tooLarge);
  const parsed = v.safeParse(problemSchema, input);
  if (!parsed.success) throw issueError(describeIssue(firstIssue(parsed.issues), input, problemSchema));
  const limit = exerciseLimitIssue(parsed.output);
  if (limit) throw issueError(limit);
  const unsafe = notationNameIssue(parsed.output.notation);
  if (unsafe) throw issueError(unsafe);
  const issue = checkRelations(parsed.output);
  if (issue) throw issueError(issue);
  return normalize(parsed.output);
}
