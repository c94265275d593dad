import { backward, forward, reduceLosses, sampleLosses, type Objective } from "../engine/propagate.js";
import type { LayerValues } from "../engine/workspace.js";
import { LOSSES } from "../engine/losses.js";
import { fromRows, toRows, type DType, type Matrix } from "../engine/matrix.js";
import { biasAsWritten, buildNetwork, type Network } from "../engine/network.js";
import { sgdStep } from "../engine/optimizers.js";
import type { JsonPath } from "../json-path.js";
import type { Problem } from "../problem/problem.js";
import { findNonFinite, NumericError } from "./numeric-error.js";
import type { ForwardEntry, ParameterEntry, Trace, TraceFinal, TraceStep } from "./trace.js";

export interface SolveOptions {
  /** float64 (the default) for exact exercises; float32 runs the same code in training precision. */
  readonly dtype?: DType;
}

function writeForward(values: readonly LayerValues[]): ForwardEntry[] {
  return values.map(({ z, a }) => ({ z: toRows(z), a: toRows(a) }));
}

function writeParameters(net: Network): ParameterEntry[] {
  return net.layers.map((layer) => ({ weights: toRows(layer.weights), bias: biasAsWritten(layer.biasMode, layer.bias.data) }));
}

function evaluate(net: Network, x: Matrix, targets: Matrix, objective: Objective) {
  const values = forward(net, x);
  const losses = sampleLosses(objective, values.at(-1)!, targets);
  return { values, losses, loss: reduceLosses(losses, objective.reduction) };
}

/**
 * Solves an exercise: for each step, the forward pass over the whole batch,
 * the loss, the backward pass and the SGD update, then the forward pass with
 * the final parameters. Every value is recorded in the trace.
 *
 * @example
 * const trace = solve(parseProblem(readFileSync("exercise.json", "utf8")));
 * trace.steps[0].backward[0].weights; // dL/dW of the first layer
 */
export function solve(problem: Problem, options: SolveOptions = {}): Trace {
  const dtype = options.dtype ?? "float64";
  const net = buildNetwork(problem.network, dtype);
  const x = fromRows(dtype, problem.data.inputs);
  const targets = fromRows(dtype, problem.data.targets);
  const objective: Objective = { loss: LOSSES[problem.loss.type], reduction: problem.loss.reduction };
  const { steps: count, learningRate = 0 } = problem.training;
  const last = net.layers.length - 1;
  // dL/da of the output may be infinite where a softmax or sigmoid saturates; dz stays finite there.
  const saturable = objective.loss.requires !== undefined;
  const isOutputDa = (path: JsonPath) => path.at(-1) === "da" && path.at(-2) === last && path.at(-3) === "backward";
  const guard = (entry: TraceStep | TraceFinal, base: JsonPath, step: number) => {
    const bad = findNonFinite(entry, base, (path) => saturable && isOutputDa(path));
    if (bad) throw new NumericError(bad.path, bad.value, step, (t) => t.text("numeric.hintSolve"));
  };

  const steps: TraceStep[] = [];
  for (let step = 0; step < Math.max(count, 1); step++) {
    const { values, losses, loss } = evaluate(net, x, targets, objective);
    const gradients = backward(net, x, values, targets, objective, { inputGradient: problem.report.inputGradients });
    const entry: TraceStep = {
      step,
      forward: writeForward(values),
      losses,
      loss,
      backward: gradients.layers.map((g, k) => ({
        da: toRows(g.da),
        dz: toRows(g.dz),
        weights: toRows(g.weights),
        bias: biasAsWritten(net.layers[k]!.biasMode, g.bias.data),
      })),
    };
    if (gradients.input) entry.inputGradients = toRows(gradients.input);
    if (count > 0) {
      sgdStep(net, gradients, learningRate);
      entry.updated = writeParameters(net);
    }
    guard(entry, ["steps", step], step);
    steps.push(entry);
  }
  if (count === 0) return { steps };
  const { values, losses, loss } = evaluate(net, x, targets, objective);
  const final: TraceFinal = { forward: writeForward(values), losses, loss };
  guard(final, ["final"], count);
  return { steps, final };
}
