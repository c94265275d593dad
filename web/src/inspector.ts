import { activationLabel } from "../../src/explain/solution.js";
import { pathOf, type Quantity } from "../../src/explain/quantity.js";
import { formatPath } from "../../src/json-path.js";
import { checkValue } from "./checker.js";
import { h } from "./dom.js";
import { commitGiven, givenOf, givenValue } from "./editor.js";
import { full, nameOf } from "./format.js";
import { derivationHtml } from "./math.js";
import type { Selection, State, Store } from "./store.js";
import { t } from "./words.js";

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
  const tr = t();
  const layerName = (k: number) => (k === layers - 1 ? tr.text("page.inspect.outputLayer") : tr.text("page.inspect.layer", { layer: k + 1 }));
  switch (selection.kind) {
    case "neuron": {
      const at = { step, layer: selection.layer, sample, j: selection.j };
      const activation = activationLabel(tr, problem.network.layers[selection.layer]!.activation);
      return {
        title: tr.text("page.inspect.neuron", { name: name({ kind: "a", ...at }), layer: layerName(selection.layer), activation }),
        derived: [{ kind: "z", ...at }, { kind: "a", ...at }, ...(hasBackward ? [{ kind: "da", ...at } as const, { kind: "dz", ...at } as const] : [])],
      };
    }
    case "weight":
    case "bias": {
      const { layer } = selection;
      const at =
        selection.kind === "weight"
          ? ({ kind: "w", step, layer, j: selection.j, i: selection.i } as const)
          : ({ kind: "b", step, layer, j: selection.j } as const);
      const gradient: Quantity = at.kind === "w" ? { ...at, kind: "dw" } : { ...at, kind: "db" };
      const what = selection.kind === "weight" ? "page.inspect.weight" : selection.j === undefined ? "page.inspect.sharedBias" : "page.inspect.bias";
      return {
        title: tr.text(what, { name: name(at), layer: layerName(layer) }),
        given: { ...at, step: 0 },
        derived: [...(step > 0 ? [at] : []), ...(hasBackward ? [gradient] : []), ...(updates ? [{ ...at, step: step + 1 }] : [])],
      };
    }
    case "input": {
      const x: Quantity = { kind: "x", sample, i: selection.i };
      return {
        title: tr.text("page.inspect.input", { name: name(x) }),
        given: x,
        derived: problem.report.inputGradients && hasBackward ? [{ kind: "dx", step, sample, i: selection.i }] : [],
      };
    }
    case "target": {
      const t: Quantity = { kind: "t", sample, j: selection.j };
      return { title: tr.text("page.inspect.target", { name: name(t) }), given: t, derived: [] };
    }
    case "loss": {
      const batch = problem.data.inputs.length;
      const samples = batch > 1 ? Array.from({ length: batch }, (_, s): Quantity => ({ kind: "sampleLoss", step, sample: s })) : [];
      return { title: tr.text("page.inspect.loss", { name: name({ kind: "loss", step }) }), derived: [...samples, { kind: "loss", step }] };
    }
    case "eta":
      return { title: tr.text("page.inspect.learningRate", { name: name({ kind: "eta" }) }), given: { kind: "eta" }, derived: [] };
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
      this.root.replaceChildren(h("p", { class: "hint" }, t().text("page.inspect.hint")));
      return;
    }
    const { solution, problem } = state.exercise;
    const view = inspected(state, selection);
    const parts: HTMLElement[] = [h("h3", { id: "inspected-title" }, view.title)];
    const given = givenOf(selection, state.sample);
    if (view.given && given) {
      const q = view.given;
      const value = givenValue(problem, given);
      const parameter = q.kind === "w" || q.kind === "b";
      const label = t().text(parameter ? "page.inspect.initialValue" : "page.inspect.value", { name: nameOf(solution, q) });
      const field = h("input", {
        type: "text",
        inputmode: "decimal",
        value: full(value),
        "aria-label": label,
        id: "given-value",
        "data-path": formatPath(pathOf(problem, q)),
      });
      field.addEventListener("keydown", (event) => {
        if (event.key !== "Enter") return;
        if (!commitGiven(this.store, given, field.value)) field.setAttribute("aria-invalid", "true");
      });
      parts.push(
        h(
          "div",
          { class: "given" },
          h("label", { for: "given-value" }, parameter ? t().text("page.inspect.beforeUpdate", { label }) : label),
          field,
          h("span", { class: "hint" }, t().text("page.inspect.enterApplies")),
        ),
      );
    }
    for (const q of view.derived) {
      const derivation = solution.deriver.derive(q);
      if (!derivation) continue;
      const figure = h(
        "figure",
        { class: "derivation", "data-path": formatPath(pathOf(problem, q)) },
        h("figcaption", {}, `${nameOf(solution, q)} = ${full(derivation.value)}`),
      );
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
    const select = h("select", { "aria-label": t().text("page.inspect.quantityToCheck"), id: "check-quantity" });
    quantities.forEach((q, k) => {
      select.append(h("option", { value: k }, nameOf(solution, q)));
    });
    select.value = String(quantities.length - 1);
    const input = h("input", {
      type: "text",
      inputmode: "decimal",
      placeholder: t().text("page.inspect.yourValuePlaceholder"),
      "aria-label": t().text("page.yourValue"),
      id: "check-value",
    });
    const output = h("output", { class: "verdict", "aria-live": "polite", id: "check-result" });
    const run = () => {
      const q = quantities[Number(select.value)]!;
      output.replaceChildren(...checkValue(this.store.state.exercise, q, input.value, this.store.state.decimals));
    };
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") run();
    });
    const go = h("button", { type: "button" }, t().text("page.check"));
    go.addEventListener("click", run);
    return h("div", { class: "check-one" }, h("h4", {}, t().text("page.inspect.checkYourValue")), h("div", { class: "row" }, select, input, go), output);
  }
}
