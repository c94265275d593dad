import { LIMITS } from "../limits.js";
import type { Problem } from "./problem.js";
import { said, type Said, type Translator } from "../i18n/translate.js";
import { issueAt, type Issue } from "./schema-issues.js";

/** What the size of an exercise depends on, read off a problem file before its matrices are built. */
export interface ExerciseShape {
  readonly network: { readonly inputs: number; readonly layers: readonly { readonly units: number; readonly bias?: unknown; readonly sharedBias?: unknown }[] };
  readonly data: { readonly inputs: readonly unknown[] };
  readonly training: { readonly steps: number };
}

/** A count grouped as the reader's language groups digits: 1,000,000 in English, 1.000.000 in German (where 1,000 would read as one). */
function count(n: number, t: Translator): string {
  return n.toLocaleString(t.lang === "en" ? "en-US" : t.lang);
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
export function exerciseLimitIssue(shape: ExerciseShape): Issue | undefined {
  const { layers } = shape.network;
  if (layers.length > LIMITS.layers) return tooManyLayers(layers.length);
  const { parameters } = sizes(shape);
  if (parameters > LIMITS.parameters) {
    return issueAt(["network"], (t) => t.text("error.tooManyParameters", { count: count(parameters, t), limit: count(LIMITS.parameters, t) }));
  }
  const batch = shape.data.inputs.length;
  if (batch > LIMITS.samples) return tooManySamples(batch);
  const numbers = traceNumbers(shape);
  if (numbers > LIMITS.traceNumbers) {
    const { steps } = shape.training;
    return issueAt(["training", "steps"], (t) =>
      t.text("error.traceTooLarge", { steps: count(steps, t), numbers: count(numbers, t), limit: count(LIMITS.traceNumbers, t) }),
    );
  }
  return undefined;
}

function tooManyLayers(layers: number): Issue {
  return issueAt(["network", "layers"], (t) => t.text("error.tooManyLayers", { count: count(layers, t), limit: count(LIMITS.layers, t) }));
}

function tooManySamples(samples: number): Issue {
  return issueAt(["data", "inputs"], (t) => t.text("error.tooManySamples", { count: count(samples, t), limit: count(LIMITS.samples, t) }));
}

/** A term's cost in each format of worked solution, against plain text's (measured: HTML's MathML is four times text's time and memory). */
const TERM_COST: Readonly<Record<string, number>> = { html: 4 };

/**
 * The counts a problem file states by the length of its arrays (samples,
 * layers), checked on the parsed document before the schema walks every
 * element, so that a million samples are refused in the time it takes to
 * read them.
 */
export function documentLimitIssue(document: unknown): Issue | undefined {
  const field = (value: unknown, key: string): unknown => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined);
  const samples = field(field(document, "data"), "inputs");
  if (Array.isArray(samples) && samples.length > LIMITS.samples) return tooManySamples(samples.length);
  const layers = field(field(document, "network"), "layers");
  if (Array.isArray(layers) && layers.length > LIMITS.layers) return tooManyLayers(layers.length);
  return undefined;
}

/** Whether a worked solution of the problem in `format` (text, markdown, latex, html, xlsx) is within `LIMITS.solutionTerms`; the message when not. */
export function solutionLimitIssue(problem: Problem, format = "text"): Said | undefined {
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
  const { steps } = problem.training;
  return said((t) =>
    t.text("error.solutionTooLarge", {
      format,
      limit: count(limit, t),
      terms: count(terms, t),
      steps: count(steps, t),
      numbers: count(LIMITS.traceNumbers, t),
    }),
  );
}
