import type { JsonPath } from "../json-path.js";
import { LIMITS } from "../limits.js";
import type { Problem } from "./problem.js";

/** What the size of an exercise depends on, read off a problem file before its matrices are built. */
export interface ExerciseShape {
  readonly network: { readonly inputs: number; readonly layers: readonly { readonly units: number; readonly bias?: unknown; readonly sharedBias?: unknown }[] };
  readonly data: { readonly inputs: readonly unknown[] };
  readonly training: { readonly steps: number };
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** The exercise's weights, its biases, and its units over all layers. */
function sizes({ network }: ExerciseShape): { weights: number; parameters: number; units: number } {
  let inputs = network.inputs,
    weights = 0,
    biases = 0,
    units = 0;
  for (const layer of network.layers) {
    weights += layer.units * inputs;
    biases += layer.sharedBias !== undefined ? 1 : layer.bias === false ? 0 : layer.units;
    units += layer.units;
    inputs = layer.units;
  }
  return { weights, parameters: weights + biases, units };
}

/** What a step's record costs besides its numbers (its objects and arrays), counted as this many numbers. */
const STEP_COST = 100;

/**
 * The size of the trace, in numbers: per step z, a, da, dz per sample and
 * unit, the losses, dL/dx, the gradients and the updated parameters, and
 * `STEP_COST` for the step's own record.
 */
export function traceNumbers(shape: ExerciseShape): number {
  const { parameters, units } = sizes(shape);
  const batch = shape.data.inputs.length;
  return (shape.training.steps + 1) * (4 * batch * units + batch * (shape.network.inputs + 1) + 2 * parameters + STEP_COST);
}

/**
 * Terms of the worked solution: per step, a pre-activation's sum over its
 * inputs and a delta's over the next layer's units for every sample, a
 * weight gradient's sum over the batch, and a line per value besides.
 */
export function solutionTerms(shape: ExerciseShape): number {
  const { weights, parameters, units } = sizes(shape);
  const batch = shape.data.inputs.length;
  return (shape.training.steps + 1) * (3 * batch * weights + 4 * batch * units + 2 * parameters);
}

/**
 * The first limit of `LIMITS` an exercise passes, checked on the problem
 * file before any matrix is built (a layer of 10⁶ × 10⁶ weights written as
 * one number is refused, not allocated).
 */
export function exerciseLimitIssue(shape: ExerciseShape): { path: JsonPath; detail: string } | undefined {
  const { layers } = shape.network;
  if (layers.length > LIMITS.layers)
    return { path: ["network", "layers"], detail: `has ${count(layers.length)} layers; gradstep solves exercises of at most ${count(LIMITS.layers)}` };
  const { parameters } = sizes(shape);
  if (parameters > LIMITS.parameters) {
    return { path: ["network"], detail: `has ${count(parameters)} weights and biases; gradstep solves exercises of at most ${count(LIMITS.parameters)}` };
  }
  const batch = shape.data.inputs.length;
  if (batch > LIMITS.samples)
    return { path: ["data", "inputs"], detail: `has ${count(batch)} samples; gradstep solves exercises of at most ${count(LIMITS.samples)}` };
  const numbers = traceNumbers(shape);
  if (numbers > LIMITS.traceNumbers) {
    return {
      path: ["training", "steps"],
      detail: `is ${count(shape.training.steps)}: the trace would hold ${count(numbers)} numbers, more than the ${count(LIMITS.traceNumbers)} gradstep writes; take fewer steps or a smaller exercise`,
    };
  }
  return undefined;
}

/** A term's cost in each format of worked solution, against plain text's (measured: HTML's MathML is four times text's time and memory). */
const TERM_COST: Readonly<Record<string, number>> = { html: 4 };

/**
 * The counts a problem file states by the length of its arrays (samples,
 * layers), checked on the parsed document before the schema walks every
 * element, so that a million samples are refused in the time it takes to
 * read them.
 */
export function documentLimitIssue(document: unknown): { path: JsonPath; detail: string } | undefined {
  const field = (value: unknown, key: string): unknown => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined);
  const samples = field(field(document, "data"), "inputs");
  if (Array.isArray(samples) && samples.length > LIMITS.samples) {
    return { path: ["data", "inputs"], detail: `has ${count(samples.length)} samples; gradstep solves exercises of at most ${count(LIMITS.samples)}` };
  }
  const layers = field(field(document, "network"), "layers");
  if (Array.isArray(layers) && layers.length > LIMITS.layers) {
    return { path: ["network", "layers"], detail: `has ${count(layers.length)} layers; gradstep solves exercises of at most ${count(LIMITS.layers)}` };
  }
  return undefined;
}

/** Whether a worked solution of the problem in `format` (text, markdown, latex, html, xlsx) is within `LIMITS.solutionTerms`; the message when not. */
export function solutionLimitIssue(problem: Problem, format = "text"): string | undefined {
  const shape: ExerciseShape = {
    network: {
      inputs: problem.network.inputs,
      layers: problem.network.layers.map((l) => ({
        units: l.units,
        ...(l.bias.mode === "none" ? { bias: false } : l.bias.mode === "shared" ? { sharedBias: 0 } : {}),
      })),
    },
    data: problem.data,
    training: problem.training,
  };
  const terms = solutionTerms(shape);
  const limit = Math.floor(LIMITS.solutionTerms / (TERM_COST[format] ?? 1));
  if (terms <= limit) return undefined;
  return `expected an exercise whose worked solution in ${format} has at most ${count(limit)} terms, found one with ${count(terms)} (${count(problem.training.steps)} steps); take fewer steps (solve --format json or csv writes traces up to ${count(LIMITS.traceNumbers)} numbers)`;
}
