import { ACTIVATION_RULES } from "../rules/activations.js";
import { LOSS_RULES } from "../rules/losses.js";
import { givenQuantities, solutionOrder } from "../explain/order.js";
import type { Quantity } from "../explain/quantity.js";
import type { Problem } from "../problem/problem.js";
import { formatNumber, typographic } from "../number-format.js";

/** One row of the exercise sheet, from top to bottom. */
export type SheetRow =
  | { readonly kind: "title" | "note" | "heading" | "subheading"; readonly text: string }
  | { readonly kind: "blank" | "columns" }
  | { readonly kind: "quantity"; readonly q: Quantity };

const heading = (text: string): SheetRow => ({ kind: "heading", text });
const subheading = (text: string): SheetRow => ({ kind: "subheading", text });
const quantities = (qs: readonly Quantity[]): SheetRow[] => qs.map((q) => ({ kind: "quantity", q }));

/** A block under its own subheading, left out when it holds nothing. */
function block(title: string, qs: readonly Quantity[]): SheetRow[] {
  return qs.length === 0 ? [] : [subheading(title), ...quantities(qs)];
}

function describe(problem: Problem): string[] {
  const { network, loss, data, training } = problem;
  const layers = network.layers.map((l) => `${l.units} ${ACTIVATION_RULES[l.activation].label}`);
  const eta = typographic(formatNumber(training.learningRate ?? 0, 6));
  return [
    `Network: ${network.inputs} input${network.inputs === 1 ? "" : "s"} → ${layers.join(" → ")}. Loss: ${LOSS_RULES[loss.type].label}, ${loss.reduction} over a batch of ${data.inputs.length}.`,
    training.steps === 0 ? "Training: forward and backward pass only (0 steps)." : `Training: SGD, η = ${eta}, ${training.steps} step${training.steps === 1 ? "" : "s"}; w ← w − η·∂L/∂w.`,
  ];
}

/** The inputs, targets, η and initial parameters, grouped as the exercise states them. */
function givenSection(problem: Problem): SheetRow[] {
  const given = givenQuantities(problem);
  const of = (kinds: readonly Quantity["kind"][], layer?: number) =>
    given.filter((q) => kinds.includes(q.kind) && (layer === undefined || ("layer" in q && q.layer === layer)));
  return [
    heading("Given"),
    ...block("Inputs", of(["x"])),
    ...block("Targets", of(["t"])),
    ...block("Learning rate", of(["eta"])),
    ...problem.network.layers.flatMap((_, k) => block(`Layer ${k + 1}: initial weights and biases`, of(["w", "b"], k))),
  ];
}

/**
 * The rows of the exercise sheet: a title and legend, the given values,
 * then each step in the order a worked solution computes it (forward pass
 * layer by layer, loss, backward pass from the output down, input
 * gradients, updates) and the final forward pass after the last update.
 */
export function sheetLayout(problem: Problem): SheetRow[] {
  const { steps, final } = solutionOrder(problem);
  const forward = (layers: readonly (readonly Quantity[])[]) => layers.flatMap((qs, k) => block(`Forward pass, layer ${k + 1}`, qs));
  return [
    { kind: "title", text: problem.title ?? "Backpropagation exercise" },
    ...describe(problem).map((text): SheetRow => ({ kind: "note", text })),
    { kind: "note", text: "Blue values are given: change one and every value below it recomputes, step after step. Every other value is a live formula." },
    { kind: "note", text: "Each row: the name, its value (full precision in the cell), the formula in symbols, and the value's path in the gradstep trace." },
    { kind: "blank" },
    { kind: "columns" },
    ...givenSection(problem),
    ...steps.flatMap((s) => [
      { kind: "blank" } as const,
      heading(problem.training.steps === 0 ? `Step ${s.step}: forward and backward pass (no update)` : `Step ${s.step}`),
      ...forward(s.forward),
      ...block("Loss", s.loss),
      ...s.backward.flatMap((b) => block(`Backward pass, layer ${b.layer + 1}`, b.quantities)),
      ...block("Input gradients", s.inputGradients),
      ...s.updates.flatMap((qs, k) => block(`Update, layer ${k + 1}: w ← w − η·∂L/∂w`, qs)),
    ]),
    ...(final
      ? [{ kind: "blank" } as const, heading(`After the last step: forward pass with the parameters of step ${final.step}`), ...forward(final.forward), ...block("Loss", final.loss)]
      : []),
  ];
}
