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
import { english, type MessageKey, type Translator } from "../i18n/translate.js";

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
  /** The language the blocks' words are in; renderers write their own words in it too. */
  readonly t: Translator;
}

/** A solved exercise's names and derivations, without the worked solution's blocks: what the checker needs. */
export type Solved = Pick<Solution, "problem" | "trace" | "notation" | "deriver">;

/** The names and derivations of a solved exercise; each derivation is built when first asked for. */
export function solved(problem: Problem, trace: Trace): Solved {
  return { problem, trace, notation: new Notation(problem), deriver: new Deriver(problem, trace) };
}

const heading = (level: 1 | 2 | 3, ...text: Inline[]): Block => ({ kind: "heading", level, text });
const paragraph = (...text: Inline[]): Block => ({ kind: "paragraph", text });

/**
 * An activation's or loss's name in words, by its rule's name (`activation.relu`, `loss.mse`).
 * Every rule has its key in each catalogue (test/i18n.test.ts walks them).
 */
export function activationLabel(t: Translator, name: string): string {
  return t.text(`activation.${name}` as MessageKey);
}

export function lossLabel(t: Translator, name: string): string {
  return t.text(`loss.${name}` as MessageKey);
}

/** The first letter upper-cased, as a sentence starts (English "layer 1 …" → "Layer 1 …"). */
function sentenceCase(t: Translator, text: string): string {
  return text.charAt(0).toLocaleUpperCase(t.lang) + text.slice(1);
}

function overview(problem: Problem, notation: Notation, deriver: Deriver, t: Translator): Block[] {
  const { network, loss, data, training } = problem;
  const layers = network.layers
    .map((l) => t.text("solution.layerUnits", { units: l.units, activation: activationLabel(t, l.activation) }))
    .join(t.text("solution.layerArrow"));
  const bias = network.layers.flatMap((l, k) =>
    l.bias.mode === "shared" ? [t.text("solution.sharedBias", { layer: k + 1 })] : l.bias.mode === "none" ? [t.text("solution.noBias", { layer: k + 1 })] : [],
  );
  const batch = data.inputs.length;
  const sampleLoss = deriver.derive(batch > 1 ? { kind: "sampleLoss", step: 0, sample: 0 } : { kind: "loss", step: 0 })!;
  const sampleName = notation.name(sampleLoss.quantity);
  const w = symbol("w");
  const lossFormula: Inline = { math: [{ name: sampleName }, { text: " = ", latex: " = " }, { expr: sampleLoss.formula }] };
  const lossName = lossLabel(t, loss.type);
  return [
    paragraph(
      t.text("solution.network", { inputs: network.inputs, layers }),
      ...(bias.length > 0 ? [t.text("solution.biasNotes", { notes: sentenceCase(t, bias.join(t.text("solution.noteSeparator"))) })] : []),
    ),
    paragraph(
      ...(batch > 1
        ? t.parts<Exclude<Inline, string>>("solution.lossBatch", { loss: lossName, formula: lossFormula, reduction: loss.reduction, batch })
        : t.parts<Exclude<Inline, string>>("solution.loss", { loss: lossName, formula: lossFormula })),
    ),
    paragraph(
      ...(training.steps === 0
        ? [t.text("solution.noUpdate")]
        : t.parts<Exclude<Inline, string>>("solution.descent", {
            steps: training.steps,
            eta: { math: [{ name: notation.learningRate }, { text: ` = ${String(training.learningRate)}`, latex: ` = ${String(training.learningRate)}` }] },
            rule: {
              math: [
                { name: w },
                { text: " ← w − ", latex: " \\leftarrow w - " },
                { name: notation.learningRate },
                { text: "·", latex: " \\cdot " },
                { name: partial(notation.loss, w) },
              ],
            },
          })),
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

function layerTitle(problem: Problem, layer: number, t: Translator): Block {
  const activation = activationLabel(t, problem.network.layers[layer]!.activation);
  return paragraph(
    layer === problem.network.layers.length - 1
      ? t.text("solution.outputLayer", { activation })
      : t.text("solution.hiddenLayer", { layer: layer + 1, activation }),
  );
}

/**
 * The complete worked solution: for each step the forward pass, the loss,
 * the backward pass from the output down, the input gradient when asked,
 * and the update; then the forward pass with the final parameters. In
 * scalar form every neuron, weight and bias gets its chain-rule derivation;
 * in matrix form every layer gets its matrix equations with the matrices.
 */
export function buildSolution(problem: Problem, trace: Trace, options: { form?: Form; t?: Translator } = {}): Solution {
  const t = options.t ?? english;
  const notation = new Notation(problem);
  const deriver = new Deriver(problem, trace);
  const matrixForm = options.form === "matrix";
  const derivations = (qs: readonly Quantity[]) =>
    qs
      .map((q) => deriver.derive(q)!)
      .filter((d) => !isTautology(notation, d))
      .map((derivation): Block => ({ kind: "derivation", derivation }));
  const equations = (eqs: readonly MatrixEquation[]) => eqs.map((equation): Block => ({ kind: "matrix", equation }));
  const { steps, final } = solutionOrder(problem);
  const blocks: Block[] = [heading(1, problem.title ?? t.text("solution.title")), ...overview(problem, notation, deriver, t)];
  const count = problem.training.steps;

  const forwardPass = (step: number, forward: readonly (readonly Quantity[])[], traced: Trace["steps"][number]["forward"]) => {
    blocks.push(heading(3, t.text("solution.forward")));
    if (matrixForm)
      blocks.push(
        paragraph(...t.parts<Exclude<Inline, string>>("solution.matrixRows", { X: { name: symbol("X") } })),
        ...equations(forwardEquations(problem, trace, step, traced)),
      );
    else forward.forEach((qs, layer) => blocks.push(layerTitle(problem, layer, t), ...derivations(qs)));
  };

  for (const s of steps) {
    blocks.push(
      heading(
        2,
        count === 0
          ? t.text("solution.forwardAndBackward")
          : count === 1
            ? t.text("solution.step", { step: 1 })
            : t.text("solution.stepOf", { step: s.step + 1, count }),
      ),
    );
    forwardPass(s.step, s.forward, trace.steps[s.step]!.forward);
    blocks.push(heading(3, t.text("solution.lossHeading")), ...derivations(s.loss));
    blocks.push(heading(3, t.text("solution.backward")));
    if (matrixForm) blocks.push(...equations(backwardEquations(problem, trace, s.step)));
    else for (const { layer, quantities } of s.backward) blocks.push(layerTitle(problem, layer, t), ...derivations(quantities));
    if (s.inputGradients.length > 0 && !matrixForm) blocks.push(heading(3, t.text("solution.inputGradient")), ...derivations(s.inputGradients));
    if (s.updates.length > 0) {
      blocks.push(heading(3, t.text("solution.update")), ...(matrixForm ? equations(updateEquations(problem, trace, s.step)) : derivations(s.updates.flat())));
    }
  }
  if (final && trace.final) {
    blocks.push(heading(2, t.text("solution.after", { steps: count })));
    forwardPass(count, final.forward, trace.final.forward);
    blocks.push(heading(3, t.text("solution.lossHeading")), ...derivations(final.loss));
  }
  return { problem, trace, notation, deriver, blocks, t };
}
