import { ACTIVATION_RULES } from "../../src/rules/activations.js";
import { pathOf, type Quantity } from "../../src/explain/quantity.js";
import { formatPath } from "../../src/json-path.js";
import { checkValue } from "./checker.js";
import { h } from "./dom.js";
import { commitGiven, givenOf, givenValue } from "./editor.js";
import { full, nameOf } from "./format.js";
import { derivationHtml } from "./math.js";
import type { Selection, State, Store } from "./store.js";

/**
 * The derivation panel: for the selected neuron, weight, bias, input,
 * target, loss or η, its value in full precision, a field to edit it when
 * the problem gives it, each derivation (chain rule, formula, numbers,
 * value) typeset by KaTeX in the exercise's notation, and a field to check
 * a hand-worked value against the engine.
 */

interface Inspected {
  readonly title: string;
  /** Quantities computed from others, in the order they are computed. */
  readonly derived: readonly Quantity[];
  /** The given quantity shown with its value. */
  readonly given?: Quantity;
}

function inspected(state: State, selection: Selection): Inspected {
  const { problem, solution, trace } = state.exercise;
  const step = state.phases[state.cursor]!.step;
  const sample = state.sample;
  const hasBackward = step < trace.steps.length;
  const updates = problem.training.steps > 0 && step < problem.training.steps;
  const name = (q: Quantity) => nameOf(solution, q);
  const layers = problem.network.layers.length;
  const layerName = (k: number) => (k === layers - 1 ? "output layer" : `layer ${k + 1}`);
  switch (selection.kind) {
    case "neuron": {
      const at = { step, layer: selection.layer, sample, j: selection.j };
      const activation = ACTIVATION_RULES[problem.network.layers[selection.layer]!.activation].label;
      return {
        title: `Neuron ${name({ kind: "a", ...at })} · ${layerName(selection.layer)}, ${activation}`,
        derived: [{ kind: "z", ...at }, { kind: "a", ...at }, ...(hasBackward ? [{ kind: "da", ...at } as const, { kind: "dz", ...at } as const] : [])],
      };
    }
    case "weight":
    case "bias": {
      const { layer } = selection;
      const at = selection.kind === "weight" ? ({ kind: "w", step, layer, j: selection.j, i: selection.i } as const) : ({ kind: "b", step, layer, j: selection.j } as const);
      const gradient: Quantity = at.kind === "w" ? { ...at, kind: "dw" } : { ...at, kind: "db" };
      const what = selection.kind === "weight" ? "Weight" : selection.j === undefined ? "Bias shared by the layer" : "Bias";
      return {
        title: `${what} ${name(at)} · ${layerName(layer)}`,
        given: { ...at, step: 0 },
        derived: [...(step > 0 ? [at] : []), ...(hasBackward ? [gradient] : []), ...(updates ? [{ ...at, step: step + 1 }] : [])],
      };
    }
    case "input": {
      const x: Quantity = { kind: "x", sample, i: selection.i };
      return { title: `Input ${name(x)}`, given: x, derived: problem.report.inputGradients && hasBackward ? [{ kind: "dx", step, sample, i: selection.i }] : [] };
    }
    case "target": {
      const t: Quantity = { kind: "t", sample, j: selection.j };
      return { title: `Target ${name(t)}`, given: t, derived: [] };
    }
    case "loss": {
      const batch = problem.data.inputs.length;
      const samples = batch > 1 ? Array.from({ length: batch }, (_, s): Quantity => ({ kind: "sampleLoss", step, sample: s })) : [];
      return { title: `Loss ${name({ kind: "loss", step })}`, derived: [...samples, { kind: "loss", step }] };
    }
    case "eta":
      return { title: `Learning rate ${name({ kind: "eta" })}`, given: { kind: "eta" }, derived: [] };
  }
}

export class Inspector {
  constructor(
    private readonly root: HTMLElement,
    private readonly store: Store,
  ) {}

  render(state: State): void {
    const { selection } = state;
    if (!selection) {
      this.root.replaceChildren(
        h("p", { class: "hint" }, "Select a neuron, a weight, a bias, an input, a target or the loss in the diagram (click it, or Tab to it and press Enter) to see how its value is derived, edit it, or check your own value."),
      );
      return;
    }
    const { solution, problem } = state.exercise;
    const view = inspected(state, selection);
    const parts: HTMLElement[] = [h("h3", { id: "inspected-title" }, view.title)];
    const given = givenOf(selection, state.sample);
    if (view.given && given) {
      const q = view.given;
      const value = givenValue(problem, given);
      const label = `${q.kind === "w" || q.kind === "b" ? "Initial value of" : "Value of"} ${nameOf(solution, q)}`;
      const field = h("input", { type: "text", inputmode: "decimal", value: full(value), "aria-label": label, id: "given-value", "data-path": formatPath(pathOf(problem, q)) });
      field.addEventListener("keydown", (event) => {
        if (event.key !== "Enter") return;
        if (!commitGiven(this.store, given, field.value)) field.setAttribute("aria-invalid", "true");
      });
      parts.push(
        h("div", { class: "given" }, h("label", { for: "given-value" }, `${label}${q.kind === "w" || q.kind === "b" ? " (before the first update)" : ""}`), field, h("span", { class: "hint" }, "Enter applies; everything after it is computed again.")),
      );
    }
    for (const q of view.derived) {
      const derivation = solution.deriver.derive(q);
      if (!derivation) continue;
      const figure = h("figure", { class: "derivation", "data-path": formatPath(pathOf(problem, q)) }, h("figcaption", {}, `${nameOf(solution, q)} = ${full(derivation.value)}`));
      const math = h("div", { class: "math" });
      math.innerHTML = derivationHtml(solution, derivation, state.decimals);
      figure.append(math);
      parts.push(figure);
    }
    if (view.derived.length > 0) parts.push(this.checkForm(state, view.derived));
    this.root.replaceChildren(...parts);
  }

  /** "Check your value": pick a quantity, type what you worked out, and the engine's checker judges it. */
  private checkForm(state: State, quantities: readonly Quantity[]): HTMLElement {
    const { solution } = state.exercise;
    const select = h("select", { "aria-label": "Quantity to check", id: "check-quantity" });
    quantities.forEach((q, k) => { select.append(h("option", { value: k }, nameOf(solution, q))); });
    select.value = String(quantities.length - 1);
    const input = h("input", { type: "text", inputmode: "decimal", placeholder: "your value", "aria-label": "Your value", id: "check-value" });
    const output = h("output", { class: "verdict", "aria-live": "polite", id: "check-result" });
    const run = () => {
      const q = quantities[Number(select.value)]!;
      output.replaceChildren(...checkValue(this.store.state.exercise, q, input.value, this.store.state.decimals));
    };
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") run();
    });
    const go = h("button", { type: "button" }, "Check");
    go.addEventListener("click", run);
    return h("div", { class: "check-one" }, h("h4", {}, "Check your value"), h("div", { class: "row" }, select, input, go), output);
  }
}
