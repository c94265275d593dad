import { ACTIVATION_RULES } from "../rules/activations.js";
import { LOSS_RULES } from "../rules/losses.js";
import type { Formula } from "../engine/formula.js";
import type { Expr } from "./expr.js";
import type { Problem } from "../problem/problem.js";
import type { Trace } from "../solve/trace.js";
import { Deriver, type Derivation } from "./derive.js";
import { partial, symbol, type Name } from "./names.js";
import { backwardEquations, forwardEquations, updateEquations, type MatrixEquation } from "./matrix-form.js";
import { Notation } from "./notation.js";
import { solutionOrder } from "./order.js";
import type { Quantity } from "./quantity.js";

/**
 * A piece of running text: words, a quantity's name, a formula written out
 * (`½·Σ_j (a_j − t_j)²`), an expression over named quantities, or one math
 * span of formula pieces and names (`w ← w − η·∂E/∂w`).
 */
export type Inline =
  | string
  | { readonly name: Name }
  | { readonly formula: Formula }
  | { readonly expr: Expr }
  | { readonly math: readonly (Formula | { readonly name: Name } | { readonly expr: Expr })[] };

/** The worked solution as data; every output format is a view of these blocks. */
export type Block =
  | { readonly kind: "heading"; readonly level: 1 | 2 | 3; readonly text: readonly Inline[] }
  | { readonly kind: "paragraph"; readonly text: readonly Inline[] }
  | { readonly kind: "derivation"; readonly derivation: Derivation }
  | { readonly kind: "matrix"; readonly equation: MatrixEquation };

/** Neuron by neuron with the chain rule (`scalar`), or whole matrices per layer (`matrix`). */
export type Form = "scalar" | "matrix";

export interface Solution {
  readonly problem: Problem;
  readonly trace: Trace;
  readonly notation: Notation;
  readonly deriver: Deriver;
  readonly blocks: readonly Block[];
}

/** A solved exercise's names and derivations, without the worked solution's blocks: what the checker needs. */
export type Solved = Pick<Solution, "problem" | "trace" | "notation" | "deriver">;

/** The names and derivations of a solved exercise; each derivation is built when first asked for. */
export function solved(problem: Problem, trace: Trace): Solved {
  return { problem, trace, notation: new Notation(problem), deriver: new Deriver(problem, trace) };
}

const heading = (level: 1 | 2 | 3, ...text: Inline[]): Block => ({ kind: "heading", level, text });
const paragraph = (...text: Inline[]): Block => ({ kind: "paragraph", text });

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function overview(problem: Problem, notation: Notation, deriver: Deriver): Block[] {
  const { network, loss, data, training } = problem;
  const layers = network.layers.map((l) => `${l.units} ${ACTIVATION_RULES[l.activation].label}`).join(" → ");
  const lossRule = LOSS_RULES[loss.type];
  const bias = network.layers.flatMap((l, k) => (l.bias.mode === "shared" ? [`layer ${k + 1} shares one bias`] : l.bias.mode === "none" ? [`layer ${k + 1} has no bias`] : []));
  const batch = data.inputs.length;
  const sampleLoss = deriver.derive(batch > 1 ? { kind: "sampleLoss", step: 0, sample: 0 } : { kind: "loss", step: 0 })!;
  const sampleName = notation.name(sampleLoss.quantity);
  const w = symbol("w");
  return [
    paragraph(`Network: ${plural(network.inputs, "input")} → ${layers}.`, ...(bias.length > 0 ? [` ${bias.join("; ").replace(/^l/, "L")}.`] : [])),
    paragraph(
      `Loss: ${lossRule.label}${batch > 1 ? ", for the first sample" : ""}: `,
      { math: [{ name: sampleName }, { text: " = ", latex: " = " }, { expr: sampleLoss.formula }] },
      batch > 1 ? `; the loss ${loss.reduction === "mean" ? "averages" : "sums"} the ${batch} samples' losses.` : ".",
    ),
    paragraph(
      ...(training.steps === 0
        ? ["One forward and backward pass, no update."]
        : [
            `${plural(training.steps, "step")} of gradient descent with learning rate `,
            { math: [{ name: notation.learningRate }, { text: ` = ${String(training.learningRate)}`, latex: ` = ${String(training.learningRate)}` }] },
            ": ",
            { math: [{ name: w }, { text: " ← w − ", latex: " \\leftarrow w - " }, { name: notation.learningRate }, { text: "·", latex: " \\cdot " }, { name: partial(notation.loss, w) }] },
            ".",
          ]),
    ),
  ];
}

/**
 * "x = x": a derivation that only renames a value to itself, as an identity
 * output named like its pre-activation (ŷ = ŷ) or its delta (∂l/∂ŷ = ∂l/∂ŷ).
 */
function isTautology(notation: Notation, d: Derivation): boolean {
  return d.formula.kind === "ref" && JSON.stringify(notation.name(d.formula.q)) === JSON.stringify(notation.name(d.quantity));
}

function layerTitle(problem: Problem, layer: number): Block {
  const last = problem.network.layers.length - 1;
  const kind = layer === last ? "Output layer" : `Hidden layer ${layer + 1}`;
  return paragraph(`${kind} (${ACTIVATION_RULES[problem.network.layers[layer]!.activation].label}):`);
}

/**
 * The complete worked solution: for each step the forward pass, the loss,
 * the backward pass from the output down, the input gradient when asked,
 * and the update; then the forward pass with the final parameters. In
 * scalar form every neuron, weight and bias gets its chain-rule derivation;
 * in matrix form every layer gets its matrix equations with the matrices.
 */
export function buildSolution(problem: Problem, trace: Trace, options: { form?: Form } = {}): Solution {
  const notation = new Notation(problem);
  const deriver = new Deriver(problem, trace);
  const matrixForm = options.form === "matrix";
  const derivations = (qs: readonly Quantity[]) =>
    qs.map((q) => deriver.derive(q)!).filter((d) => !isTautology(notation, d)).map((derivation): Block => ({ kind: "derivation", derivation }));
  const equations = (eqs: readonly MatrixEquation[]) => eqs.map((equation): Block => ({ kind: "matrix", equation }));
  const { steps, final } = solutionOrder(problem);
  const blocks: Block[] = [heading(1, problem.title ?? "Worked solution"), ...overview(problem, notation, deriver)];
  const count = problem.training.steps;

  const forwardPass = (step: number, forward: readonly (readonly Quantity[])[], traced: Trace["steps"][number]["forward"]) => {
    blocks.push(heading(3, "Forward pass"));
    if (matrixForm) blocks.push(paragraph("Rows are samples; ", { name: symbol("X") }, " holds the inputs."), ...equations(forwardEquations(problem, trace, step, traced)));
    else forward.forEach((qs, layer) => blocks.push(layerTitle(problem, layer), ...derivations(qs)));
  };

  for (const s of steps) {
    blocks.push(heading(2, count === 0 ? "Forward and backward pass" : count === 1 ? "Step 1" : `Step ${s.step + 1} of ${count}`));
    forwardPass(s.step, s.forward, trace.steps[s.step]!.forward);
    blocks.push(heading(3, "Loss"), ...derivations(s.loss));
    blocks.push(heading(3, "Backward pass"));
    if (matrixForm) blocks.push(...equations(backwardEquations(problem, trace, s.step)));
    else for (const { layer, quantities } of s.backward) blocks.push(layerTitle(problem, layer), ...derivations(quantities));
    if (s.inputGradients.length > 0 && !matrixForm) blocks.push(heading(3, "Gradient with respect to the input"), ...derivations(s.inputGradients));
    if (s.updates.length > 0) {
      blocks.push(heading(3, "Update"), ...(matrixForm ? equations(updateEquations(problem, trace, s.step)) : derivations(s.updates.flat())));
    }
  }
  if (final && trace.final) {
    blocks.push(heading(2, `After ${plural(count, "step")}`));
    forwardPass(count, final.forward, trace.final.forward);
    blocks.push(heading(3, "Loss"), ...derivations(final.loss));
  }
  return { problem, trace, notation, deriver, blocks };
}
