import { activationLabel, lossLabel } from "../explain/solution.js";
import { english, type Translator } from "../i18n/translate.js";
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

function describe(problem: Problem, t: Translator): string[] {
  const { network, loss, data, training } = problem;
  const layers = network.layers.map((l) => t.text("solution.layerUnits", { units: l.units, activation: activationLabel(t, l.activation) }));
  const eta = typographic(formatNumber(training.learningRate ?? 0, 6));
  return [
    t.text("sheet.network", {
      inputs: network.inputs,
      layers: layers.join(t.text("solution.layerArrow")),
      loss: lossLabel(t, loss.type),
      reduction: loss.reduction,
      batch: data.inputs.length,
    }),
    training.steps === 0 ? t.text("sheet.noTraining") : t.text("sheet.training", { eta, steps: training.steps }),
  ];
}

/** The inputs, targets, η and initial parameters, grouped as the exercise states them. */
function givenSection(problem: Problem, t: Translator): SheetRow[] {
  const given = givenQuantities(problem);
  const of = (kinds: readonly Quantity["kind"][], layer?: number) =>
    given.filter((q) => kinds.includes(q.kind) && (layer === undefined || ("layer" in q && q.layer === layer)));
  return [
    heading(t.text("sheet.given")),
    ...block(t.text("sheet.inputs"), of(["x"])),
    ...block(t.text("sheet.targets"), of(["t"])),
    ...block(t.text("sheet.learningRate"), of(["eta"])),
    ...problem.network.layers.flatMap((_, k) => block(t.text("sheet.initial", { layer: k + 1 }), of(["w", "b"], k))),
  ];
}

/**
 * The rows of the exercise sheet: a title and legend, the given values,
 * then each step in the order a worked solution computes it (forward pass
 * layer by layer, loss, backward pass from the output down, input
 * gradients, updates) and the final forward pass after the last update.
 */
export function sheetLayout(problem: Problem, t: Translator = english): SheetRow[] {
  const { steps, final } = solutionOrder(problem);
  const forward = (layers: readonly (readonly Quantity[])[]) => layers.flatMap((qs, k) => block(t.text("sheet.forward", { layer: k + 1 }), qs));
  return [
    { kind: "title", text: problem.title ?? t.text("sheet.title") },
    ...describe(problem, t).map((text): SheetRow => ({ kind: "note", text })),
    { kind: "note", text: t.text("sheet.legendGiven") },
    { kind: "note", text: t.text("sheet.legendRow") },
    { kind: "blank" },
    { kind: "columns" },
    ...givenSection(problem, t),
    ...steps.flatMap((s) => [
      { kind: "blank" } as const,
      heading(problem.training.steps === 0 ? t.text("sheet.stepNoUpdate", { step: s.step }) : t.text("solution.step", { step: s.step })),
      ...forward(s.forward),
      ...block(t.text("solution.lossHeading"), s.loss),
      ...s.backward.flatMap((b) => block(t.text("sheet.backward", { layer: b.layer + 1 }), b.quantities)),
      ...block(t.text("sheet.inputGradients"), s.inputGradients),
      ...s.updates.flatMap((qs, k) => block(t.text("sheet.update", { layer: k + 1 }), qs)),
    ]),
    ...(final
      ? [
          { kind: "blank" } as const,
          heading(t.text("sheet.after", { step: final.step })),
          ...forward(final.forward),
          ...block(t.text("solution.lossHeading"), final.loss),
        ]
      : []),
  ];
}
