import { formatPath, lookup, parsePath, type JsonPath } from "../json-path.js";
import type { Problem } from "../problem/problem.js";
import type { Trace } from "../solve/trace.js";

/**
 * Every number of a worked exercise, named by what it is rather than where
 * it is stored. Given quantities come from the problem; the rest from the
 * trace. Indices are 0-based like trace paths; notation makes them 1-based.
 * `step` is the step whose forward pass uses the value: parameters at step s
 * are those before the s-th update, and step = steps means the final pass.
 */
export type Quantity =
  | { readonly kind: "x"; readonly sample: number; readonly i: number }
  | { readonly kind: "t"; readonly sample: number; readonly j: number }
  | { readonly kind: "eta" }
  | { readonly kind: "w"; readonly step: number; readonly layer: number; readonly j: number; readonly i: number }
  /** `j` is undefined for a shared bias. */
  | { readonly kind: "b"; readonly step: number; readonly layer: number; readonly j: number | undefined }
  | { readonly kind: "z" | "a" | "da" | "dz"; readonly step: number; readonly layer: number; readonly sample: number; readonly j: number }
  | { readonly kind: "sampleLoss"; readonly step: number; readonly sample: number }
  | { readonly kind: "loss"; readonly step: number }
  | { readonly kind: "dw"; readonly step: number; readonly layer: number; readonly j: number; readonly i: number }
  | { readonly kind: "db"; readonly step: number; readonly layer: number; readonly j: number | undefined }
  | { readonly kind: "dx"; readonly step: number; readonly sample: number; readonly i: number };

/**
 * One string per quantity, whatever the order of its object's properties
 * (`{ ...n, kind }` and `{ kind, ...n }` meet): the key of every map of
 * quantities.
 */
export function quantityKey(q: Quantity): string {
  let key = keys.get(q);
  if (key === undefined) keys.set(q, (key = keyOf(q)));
  return key;
}

/** Keys already made, per quantity object: derivations are cached, so the same objects come back. */
const keys = new WeakMap<Quantity, string>();

function keyOf(q: Quantity): string {
  switch (q.kind) {
    case "x":
      return `x:${q.sample}:${q.i}`;
    case "t":
      return `t:${q.sample}:${q.j}`;
    case "eta":
      return "eta";
    case "w":
    case "dw":
      return `${q.kind}:${q.step}:${q.layer}:${q.j}:${q.i}`;
    case "b":
    case "db":
      return `${q.kind}:${q.step}:${q.layer}:${q.j ?? "shared"}`;
    case "z":
    case "a":
    case "da":
    case "dz":
      return `${q.kind}:${q.step}:${q.layer}:${q.sample}:${q.j}`;
    case "sampleLoss":
      return `sampleLoss:${q.step}:${q.sample}`;
    case "loss":
      return `loss:${q.step}`;
    case "dx":
      return `dx:${q.step}:${q.sample}:${q.i}`;
  }
}

/** Where a parameter's value is recorded: the problem for step 0, the previous step's update after. */
function parameterPath(step: number, layer: number, tail: JsonPath): JsonPath {
  return step === 0 ? ["network", "layers", layer, ...tail] : ["steps", step - 1, "updated", layer, ...tail];
}

function biasTail(j: number | undefined): JsonPath {
  return j === undefined ? ["bias"] : ["bias", j];
}

/** The trace path of the forward pass used at `step`: a step's own, or `final` after the last. */
function forwardRoot(problem: Problem, step: number): JsonPath {
  return problem.training.steps > 0 && step === problem.training.steps ? ["final"] : ["steps", step];
}

/**
 * The path of a quantity: a trace path for computed values, a path into the
 * normalized problem (`data.inputs[0][1]`, `network.layers[0].weights[1][0]`,
 * `training.learningRate`) for given ones.
 */
export function pathOf(problem: Problem, q: Quantity): JsonPath {
  switch (q.kind) {
    case "x":
      return ["data", "inputs", q.sample, q.i];
    case "t":
      return ["data", "targets", q.sample, q.j];
    case "eta":
      return ["training", "learningRate"];
    case "w":
      return parameterPath(q.step, q.layer, ["weights", q.j, q.i]);
    case "b":
      return parameterPath(q.step, q.layer, biasTail(q.j));
    case "z":
    case "a":
      return [...forwardRoot(problem, q.step), "forward", q.layer, q.kind, q.sample, q.j];
    case "sampleLoss":
      return [...forwardRoot(problem, q.step), "losses", q.sample];
    case "loss":
      return [...forwardRoot(problem, q.step), "loss"];
    case "da":
    case "dz":
      return ["steps", q.step, "backward", q.layer, q.kind, q.sample, q.j];
    case "dw":
      return ["steps", q.step, "backward", q.layer, "weights", q.j, q.i];
    case "db":
      return ["steps", q.step, "backward", q.layer, ...biasTail(q.j)];
    case "dx":
      return ["steps", q.step, "inputGradients", q.sample, q.i];
  }
}

/** The normalized problem as plain JSON, so given values are found by path like trace values. */
function givenValues(problem: Problem): unknown {
  return {
    data: problem.data,
    training: problem.training,
    network: {
      layers: problem.network.layers.map((layer) => ({
        weights: layer.weights,
        bias: layer.bias.mode === "perNeuron" ? layer.bias.values : layer.bias.mode === "shared" ? layer.bias.value : null,
      })),
    },
  };
}

/** Looks values up by quantity; one instance per solved problem. */
export class Values {
  private readonly given: unknown;
  /** Values looked up so far, by quantity key: the checker's replays ask for the same ones many times. */
  private readonly cache = new Map<string, number>();

  constructor(
    readonly problem: Problem,
    readonly trace: Trace,
  ) {
    this.given = givenValues(problem);
  }

  /** What is at a path: a trace path, or a path into the problem for given values (`data.inputs[0][1]`). */
  at(path: JsonPath): { found: boolean; value: unknown } {
    return lookup(path[0] === "steps" || path[0] === "final" ? this.trace : this.given, path);
  }

  private find(q: Quantity): { found: boolean; value: unknown } {
    return this.at(pathOf(this.problem, q));
  }

  has(q: Quantity): boolean {
    const { found, value } = this.find(q);
    return found && typeof value === "number";
  }

  of(q: Quantity): number {
    const key = quantityKey(q);
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const { found, value } = this.find(q);
    if (!found || typeof value !== "number") throw new RangeError(`no value at ${formatPath(pathOf(this.problem, q))}`);
    this.cache.set(key, value);
    return value;
  }
}

/** The quantity a trace path names, before checking that the trace holds it. */
function candidateAt(path: JsonPath, finalStep: number): Quantity | undefined {
  const isFinal = path[0] === "final";
  const step = isFinal ? finalStep : typeof path[1] === "number" && path[0] === "steps" ? path[1] : -1;
  if (step < 0) return undefined;
  const rest = path.slice(isFinal ? 1 : 2);
  const num = (k: number) => (typeof rest[k] === "number" ? rest[k] : -1);
  const [section, , key] = rest;
  const layer = num(1);
  const bias = (kind: "b" | "db", at: number): Quantity | undefined =>
    rest.length === 3 ? { kind, step: at, layer, j: undefined } : rest.length === 4 ? { kind, step: at, layer, j: num(3) } : undefined;
  if (section === "loss" && rest.length === 1) return { kind: "loss", step };
  if (section === "losses" && rest.length === 2) return { kind: "sampleLoss", step, sample: num(1) };
  if (section === "forward" && (key === "z" || key === "a") && rest.length === 5) return { kind: key, step, layer, sample: num(3), j: num(4) };
  if (isFinal) return undefined;
  if (section === "inputGradients" && rest.length === 3) return { kind: "dx", step, sample: num(1), i: num(2) };
  if (section === "backward") {
    if ((key === "da" || key === "dz") && rest.length === 5) return { kind: key, step, layer, sample: num(3), j: num(4) };
    if (key === "weights" && rest.length === 5) return { kind: "dw", step, layer, j: num(3), i: num(4) };
    if (key === "bias") return bias("db", step);
  }
  if (section === "updated") {
    if (key === "weights" && rest.length === 5) return { kind: "w", step: step + 1, layer, j: num(3), i: num(4) };
    if (key === "bias") return bias("b", step + 1);
  }
  return undefined;
}

/**
 * The quantity a trace path names (`steps[0].backward[1].weights[0][1]`),
 * or undefined when the path names no single number of this trace.
 */
export function quantityAt(values: Values, text: string): Quantity | undefined {
  const path = parsePath(text);
  const q = path && candidateAt(path, values.problem.training.steps);
  return q && values.has(q) && formatPath(pathOf(values.problem, q)) === formatPath(path) ? q : undefined;
}
