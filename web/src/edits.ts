import { t } from "./words.js";
import type { ActivationName } from "../../src/engine/activations.js";
import type { LossName, Reduction } from "../../src/engine/losses.js";
import { LOSSES } from "../../src/engine/losses.js";
import type { BiasMode, BiasSpec, LayerSpec } from "../../src/engine/network.js";
import { Rng } from "../../src/engine/rng.js";
import { parseProblem } from "../../src/problem/parse.js";
import type { NotationSpec, Problem } from "../../src/problem/problem.js";
import { MAX_STEPS } from "../../src/problem/schema.js";
import { problemFile } from "../../src/problem/to-file.js";

/**
 * Changes to an exercise, as pure functions from problem to problem. Each
 * result goes back through the problem format's own validation (`checked`),
 * so the page can only ever hold a problem the CLI would accept.
 */

/** A value the problem gives, which the page lets the user edit. */
export type Given =
  | { readonly kind: "weight"; readonly layer: number; readonly j: number; readonly i: number }
  | { readonly kind: "bias"; readonly layer: number; readonly j: number | undefined }
  | { readonly kind: "input"; readonly sample: number; readonly i: number }
  | { readonly kind: "target"; readonly sample: number; readonly j: number }
  | { readonly kind: "eta" };

type Grid = readonly (readonly number[])[];

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function setCell(grid: Grid, row: number, column: number, value: number): number[][] {
  return grid.map((r, k) => (k === row ? r.map((v, c) => (c === column ? value : v)) : [...r]));
}

/** Validates an edited problem exactly as a problem file is validated; throws InputError. */
export function checked(problem: Problem): Problem {
  return parseProblem(problemFile(problem), { file: "the edited network" });
}

function withLayer(problem: Problem, layer: number, change: (spec: LayerSpec) => LayerSpec): Problem {
  const layers = problem.network.layers.map((spec, k) => (k === layer ? change(spec) : spec));
  return { ...problem, network: { ...problem.network, layers } };
}

export function setGiven(problem: Problem, given: Given, value: number): Problem {
  switch (given.kind) {
    case "weight":
      return withLayer(problem, given.layer, (spec) => ({ ...spec, weights: setCell(spec.weights, given.j, given.i, value) }));
    case "bias":
      return withLayer(problem, given.layer, (spec) => ({
        ...spec,
        bias:
          spec.bias.mode === "shared"
            ? { mode: "shared", value }
            : spec.bias.mode === "perNeuron"
              ? { mode: "perNeuron", values: spec.bias.values.map((v, j) => (j === given.j ? value : v)) }
              : spec.bias,
      }));
    case "input":
      return { ...problem, data: { ...problem.data, inputs: setCell(problem.data.inputs, given.sample, given.i, value) } };
    case "target":
      return { ...problem, data: { ...problem.data, targets: setCell(problem.data.targets, given.sample, given.j, value) } };
    case "eta":
      return { ...problem, training: { ...problem.training, learningRate: value } };
  }
}

/** A textbook-looking starting value for a new weight: one decimal in [−1, 1], never 0, the same every time. */
export function startingWeight(layer: number, j: number, i: number): number {
  const value = Math.round(new Rng(1 + 7919 * layer + 104729 * j + 31 * i).uniform(-1, 1) * 10) / 10;
  return value === 0 ? 0.1 : value;
}

function weightsFor(layer: number, units: number, inputs: number, old: Grid = []): number[][] {
  return range(units).map((j) => range(inputs).map((i) => old[j]?.[i] ?? startingWeight(layer, j, i)));
}

function resizeBias(bias: BiasSpec, units: number): BiasSpec {
  return bias.mode === "perNeuron" ? { mode: "perNeuron", values: range(units).map((j) => bias.values[j] ?? 0) } : bias;
}

function resizeColumns(grid: Grid, columns: number, fill: number): number[][] {
  return grid.map((row) => range(columns).map((c) => row[c] ?? fill));
}

/**
 * After a change of shape: the names of the notation that still fit, the
 * claims dropped (their paths may be gone), every layer's weights resized
 * to its inputs (kept where they were, new ones filled in), the targets to
 * the output, and the loss paired with the output activation.
 */
function reshaped(before: Problem, layers: readonly LayerSpec[], inputs: number, targets: Grid): Problem {
  let width = inputs;
  const fitted = layers.map((spec, k) => {
    const weights = weightsFor(k, spec.units, width, spec.weights);
    width = spec.units;
    return { ...spec, weights, bias: resizeBias(spec.bias, spec.units) };
  });
  const outputs = fitted.at(-1)!.units;
  const problem: Problem = {
    ...before,
    network: { inputs, layers: fitted },
    data: { inputs: resizeColumns(before.data.inputs, inputs, 1), targets: resizeColumns(targets, outputs, 0) },
  };
  return pairLoss({ ...withoutNotation(problem), ...notationThatFits(before, problem) });
}

function withoutNotation(problem: Problem): Problem {
  const { notation: _, ...rest } = problem;
  return rest;
}

function notationThatFits(before: Problem, after: Problem): { notation?: NotationSpec } {
  const old = before.notation;
  if (!old) return {};
  const sameInputs = before.network.inputs === after.network.inputs;
  const sameOutputs = before.network.layers.at(-1)!.units === after.network.layers.at(-1)!.units;
  const sameLayers =
    before.network.layers.length === after.network.layers.length &&
    before.network.layers.every((l, k) => l.units === after.network.layers[k]!.units && (k > 0 || sameInputs));
  const layers = sameLayers
    ? old.layers?.map((names, k) => {
        const { bias: _, ...rest } = names;
        return before.network.layers[k]!.bias.mode === after.network.layers[k]!.bias.mode ? names : rest;
      })
    : undefined;
  const notation: NotationSpec = {
    ...(old.loss === undefined ? {} : { loss: old.loss }),
    ...(old.learningRate === undefined ? {} : { learningRate: old.learningRate }),
    ...(sameInputs && old.inputs ? { inputs: old.inputs } : {}),
    ...(sameOutputs && old.targets ? { targets: old.targets } : {}),
    ...(layers ? { layers } : {}),
  };
  return { notation };
}

/** Softmax goes with cross-entropy, and binary cross-entropy with a sigmoid output: the other side follows. */
function pairLoss(problem: Problem): Problem {
  const last = problem.network.layers.at(-1)!;
  const required = LOSSES[problem.loss.type].requires;
  if (last.activation === "softmax" && problem.loss.type !== "cross_entropy") return { ...problem, loss: { ...problem.loss, type: "cross_entropy" } };
  if (required && last.activation !== required) return { ...problem, loss: { ...problem.loss, type: "half_squared_error" } };
  return problem;
}

export function setInputs(problem: Problem, inputs: number): Problem {
  return reshaped(problem, problem.network.layers, Math.max(1, inputs), problem.data.targets);
}

export function setUnits(problem: Problem, layer: number, units: number): Problem {
  const layers = problem.network.layers.map((spec, k) => (k === layer ? { ...spec, units: Math.max(1, units) } : spec));
  return reshaped(problem, layers, problem.network.inputs, problem.data.targets);
}

/** A new hidden layer after `after` (−1: first), of two ReLU neurons with bias 0. */
export function addLayer(problem: Problem, after: number): Problem {
  const layers = [...problem.network.layers];
  layers.splice(after + 1, 0, { units: 2, activation: "relu", weights: [], bias: { mode: "perNeuron", values: [0, 0] } });
  // The layer that now reads from the new one gets new weights of the right shape.
  const next = layers[after + 2];
  if (next) layers[after + 2] = { ...next, weights: [] };
  return reshaped(problem, layers, problem.network.inputs, problem.data.targets);
}

export function removeLayer(problem: Problem, layer: number): Problem {
  if (problem.network.layers.length <= 1) return problem;
  const layers = problem.network.layers.filter((_, k) => k !== layer);
  const next = layers[layer];
  if (next) layers[layer] = { ...next, weights: [] };
  return reshaped(problem, layers, problem.network.inputs, problem.data.targets);
}

export function setActivation(problem: Problem, layer: number, activation: ActivationName): Problem {
  return pairLoss(withLayer(problem, layer, (spec) => ({ ...spec, activation })));
}

export function setBiasMode(problem: Problem, layer: number, mode: BiasMode): Problem {
  const changed = withLayer(problem, layer, (spec): LayerSpec => {
    const first = spec.bias.mode === "perNeuron" ? (spec.bias.values[0] ?? 0) : spec.bias.mode === "shared" ? spec.bias.value : 0;
    const bias: BiasSpec =
      mode === "perNeuron" ? { mode, values: new Array<number>(spec.units).fill(first) } : mode === "shared" ? { mode, value: first } : { mode };
    return { ...spec, bias };
  });
  return reshaped(problem, changed.network.layers, problem.network.inputs, problem.data.targets);
}

/** The loss, with the output activation it requires. */
export function setLoss(problem: Problem, type: LossName): Problem {
  const required = LOSSES[type].requires;
  const last = problem.network.layers.length - 1;
  const lastActivation = problem.network.layers[last]!.activation;
  const activation: ActivationName = required ?? (lastActivation === "softmax" ? "identity" : lastActivation);
  return withLayer({ ...problem, loss: { ...problem.loss, type } }, last, (spec) => ({ ...spec, activation }));
}

export function setReduction(problem: Problem, reduction: Reduction): Problem {
  return { ...problem, loss: { ...problem.loss, reduction } };
}

export function setSteps(problem: Problem, steps: number): Problem {
  const count = Math.max(0, Math.min(MAX_STEPS, Math.round(steps)));
  return { ...problem, training: { ...problem.training, steps: count, learningRate: problem.training.learningRate ?? 0.1 } };
}

/** The batch: more samples repeat the last one, fewer drop the last ones. */
export function setBatch(problem: Problem, batch: number): Problem {
  const size = Math.max(1, batch);
  const grow = (grid: Grid) => range(size).map((s) => [...(grid[s] ?? grid.at(-1)!)]);
  // Notation names stay valid for any batch: samples are marked [s], not named.
  return { ...problem, data: { inputs: grow(problem.data.inputs), targets: grow(problem.data.targets) } };
}

export function setInputGradients(problem: Problem, on: boolean): Problem {
  return { ...problem, report: { inputGradients: on } };
}

/** A small network to start from: 2 inputs, 2 sigmoid neurons, 1 sigmoid output, one sample, one step. */
export function starterProblem(): Problem {
  return checked({
    title: t().text("page.yourNetwork"),
    network: {
      inputs: 2,
      layers: [
        { units: 2, activation: "sigmoid", weights: weightsFor(0, 2, 2), bias: { mode: "perNeuron", values: [0, 0] } },
        { units: 1, activation: "sigmoid", weights: weightsFor(1, 1, 2), bias: { mode: "perNeuron", values: [0] } },
      ],
    },
    loss: { type: "half_squared_error", reduction: "mean" },
    data: { inputs: [[1, 0]], targets: [[1]] },
    training: { optimizer: "sgd", learningRate: 0.5, steps: 1 },
    report: { inputGradients: false },
  });
}
