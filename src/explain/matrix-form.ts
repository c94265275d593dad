import { ACTIVATION_RULES, isElementwiseRule } from "../rules/activations.js";
import { LOSSES } from "../engine/losses.js";
import { LOSS_RULES } from "../rules/losses.js";
import type { Problem } from "../problem/problem.js";
import type { Grid, ParameterEntry, Trace, TraceStep, WrittenBias } from "../solve/trace.js";

/** A term of a matrix equation: a matrix (maybe transposed), a scalar, or an operator between them. */
export type Operand =
  | { readonly kind: "matrix"; readonly rows: Grid; readonly transposed?: boolean }
  | { readonly kind: "scalar"; readonly value: number }
  | { readonly kind: "operator"; readonly text: string; readonly latex: string };

/** One line of a step in matrix form: `Z⁽¹⁾ = X·W⁽¹⁾ᵀ + b⁽¹⁾ = [..]·[..]ᵀ + [..] = [..]`. */
export interface MatrixEquation {
  readonly lhs: { readonly text: string; readonly latex: string };
  readonly relation: "=" | "←";
  /** The rule in symbols. */
  readonly rule: { readonly text: string; readonly latex: string };
  /** The rule with the actual matrices, when it has any to show. */
  readonly operands?: readonly Operand[];
  readonly result: Grid;
}

const SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const sup = (n: number) => `⁽${[...String(n)].map((d) => SUPERSCRIPT_DIGITS[Number(d)]).join("")}⁾`;

/** A layer's matrix name: W⁽²⁾ in text, W^{(2)} in LaTeX; layer 0 of A is the input X. */
function named(base: string, layer: number, prefix = "", transposed = false): { text: string; latex: string } {
  const mark = transposed ? "ᵀ" : "";
  if (base === "A" && layer === 0) return { text: `${prefix}X${mark}`, latex: `${prefix}X${transposed ? "^\\top" : ""}` };
  // One superscript holds the layer and the transpose: W^{(2)\top}, not W^{(2)}^\top.
  return { text: `${prefix}${base}${sup(layer)}${mark}`, latex: `${prefix}${base}^{(${layer})${transposed ? "\\top" : ""}}` };
}

const op = (text: string, latex = text): Operand => ({ kind: "operator", text, latex });
const matrix = (rows: Grid, transposed = false): Operand => ({ kind: "matrix", rows, transposed });

function biasRow(bias: WrittenBias, units: number): Grid {
  if (bias === null) return [new Array<number>(units).fill(0)];
  return [typeof bias === "number" ? new Array<number>(units).fill(bias) : bias];
}

function join(...parts: { text: string; latex: string }[]): { text: string; latex: string } {
  return { text: parts.map((p) => p.text).join(""), latex: parts.map((p) => p.latex).join("") };
}

const t = (text: string, latex = text) => ({ text, latex });

/** The parameters in force at `step`: the problem's for the first, else the previous update's. */
function parametersAt(problem: Problem, trace: Trace, step: number): ParameterEntry[] {
  if (step > 0) return trace.steps[step - 1]!.updated!;
  return problem.network.layers.map((layer) => ({
    weights: layer.weights.map((row) => [...row]),
    bias: layer.bias.mode === "perNeuron" ? [...layer.bias.values] : layer.bias.mode === "shared" ? layer.bias.value : null,
  }));
}

/** Z = A·Wᵀ + b and A = f(Z) for every layer, with the matrices of this pass. */
export function forwardEquations(problem: Problem, trace: Trace, step: number, forward: TraceStep["forward"]): MatrixEquation[] {
  const parameters = parametersAt(problem, trace, step);
  return forward.flatMap(({ z, a }, k) => {
    const layer = k + 1;
    const input = k === 0 ? (problem.data.inputs as Grid) : forward[k - 1]!.a;
    const { bias } = parameters[k]!;
    const activation = ACTIVATION_RULES[problem.network.layers[k]!.activation];
    const hasBias = bias !== null;
    const z_: MatrixEquation = {
      lhs: named("Z", layer),
      relation: "=",
      rule: join(named("A", layer - 1), t("·", " "), named("W", layer, "", true), hasBias ? join(t(" + ", " + "), named("b", layer)) : t("")),
      operands: [matrix(input), op("·", " "), matrix(parameters[k]!.weights, true), ...(hasBias ? [op("+"), matrix(biasRow(bias, z[0]!.length))] : [])],
      result: z,
    };
    const a_: MatrixEquation = {
      lhs: named("A", layer),
      relation: "=",
      rule: join(t(`${activation.symbol.text}(`, `${activation.symbol.latex}\\left(`), named("Z", layer), t(")", "\\right)")),
      result: a,
    };
    return [z_, a_];
  });
}

/** dA, dZ, dW, db of every layer from the output down, and dX when reported. */
export function backwardEquations(problem: Problem, trace: Trace, step: number): MatrixEquation[] {
  const entry = trace.steps[step]!;
  const parameters = parametersAt(problem, trace, step);
  const last = problem.network.layers.length - 1;
  const loss = LOSS_RULES[problem.loss.type];
  const batch = problem.data.inputs.length;
  const averaged = problem.loss.reduction === "mean" && batch > 1;
  const required = LOSSES[problem.loss.type].requires;
  const combined = loss.combined !== undefined && required === problem.network.layers[last]!.activation;
  const equations: MatrixEquation[] = [];
  for (let k = last; k >= 0; k--) {
    const layer = k + 1;
    const { da, dz, weights, bias } = entry.backward[k]!;
    const activation = ACTIVATION_RULES[problem.network.layers[k]!.activation];
    if (k === last) {
      const scale = averaged ? t(` / ${batch}`, ` / ${batch}`) : t("");
      equations.push({
        lhs: named("A", layer, "d"),
        relation: "=",
        rule: join(t(`∂ℓ/∂A${sup(layer)} = ${loss.derivative.text}`, `\\frac{\\partial \\ell}{\\partial A^{(${layer})}} = ${loss.derivative.latex}`), scale),
        result: da,
      });
    }
    if (k === last && combined) {
      const scale = averaged ? t(` / ${batch}`, ` / ${batch}`) : t("");
      equations.push({ lhs: named("Z", layer, "d"), relation: "=", rule: join(t(loss.combined.text, loss.combined.latex), scale), result: dz });
    } else {
      if (!isElementwiseRule(activation)) throw new RangeError("softmax is differentiated together with cross-entropy");
      const slopes = entry.forward[k]!.z.map((row, s) => row.map((z, j) => activation.slope(z, entry.forward[k]!.a[s]![j]!)));
      equations.push({
        lhs: named("Z", layer, "d"),
        relation: "=",
        rule: join(
          named("A", layer, "d"),
          t(" ⊙ ", " \\odot "),
          t(`${activation.symbol.text}′(`, `${activation.symbol.latex}'\\left(`),
          named("Z", layer),
          t(")", "\\right)"),
        ),
        operands: [matrix(da), op("⊙", "\\odot"), matrix(slopes)],
        result: dz,
      });
    }
    const input = k === 0 ? (problem.data.inputs as Grid) : entry.forward[k - 1]!.a;
    equations.push({
      lhs: named("W", layer, "d"),
      relation: "=",
      rule: join(named("Z", layer, "d", true), t("·", " "), named("A", layer - 1)),
      operands: [matrix(dz, true), op("·", " "), matrix(input)],
      result: weights,
    });
    if (bias !== null) {
      const shared = typeof bias === "number";
      equations.push({
        lhs: named("b", layer, "d"),
        relation: "=",
        rule: shared
          ? join(t("Σ all entries of ", "\\textstyle\\sum "), named("Z", layer, "d"))
          : join(t("1ᵀ·", "\\mathbf{1}^\\top "), named("Z", layer, "d"), t(" (column sums)", "\\ \\text{(column sums)}")),
        result: shared ? [[bias]] : [bias],
      });
    }
    const below = k > 0 ? entry.backward[k - 1]!.da : entry.inputGradients;
    if (below) {
      equations.push({
        lhs: named("A", layer - 1, "d"),
        relation: "=",
        rule: join(named("Z", layer, "d"), t("·", " "), named("W", layer)),
        operands: [matrix(dz), op("·", " "), matrix(parameters[k]!.weights)],
        result: below,
      });
    }
  }
  return equations;
}

/** W ← W − η·dW and b ← b − η·db for every layer. */
export function updateEquations(problem: Problem, trace: Trace, step: number): MatrixEquation[] {
  const entry = trace.steps[step]!;
  const before = parametersAt(problem, trace, step);
  const eta = problem.training.learningRate ?? 0;
  return (entry.updated ?? []).flatMap((after, k) => {
    const layer = k + 1;
    const gradient = entry.backward[k]!;
    const weights: MatrixEquation = {
      lhs: named("W", layer),
      relation: "←",
      rule: join(named("W", layer), t(" − η·", " - \\eta\\,"), named("W", layer, "d")),
      operands: [matrix(before[k]!.weights), op("−", "-"), { kind: "scalar", value: eta }, op("·", "\\,"), matrix(gradient.weights)],
      result: after.weights,
    };
    if (after.bias === null) return [weights];
    const rows = (b: WrittenBias) => (typeof b === "number" ? [[b]] : [b as number[]]);
    const bias: MatrixEquation = {
      lhs: named("b", layer),
      relation: "←",
      rule: join(named("b", layer), t(" − η·", " - \\eta\\,"), named("b", layer, "d")),
      operands: [matrix(rows(before[k]!.bias)), op("−", "-"), { kind: "scalar", value: eta }, op("·", "\\,"), matrix(rows(gradient.bias))],
      result: rows(after.bias),
    };
    return [weights, bias];
  });
}
