import { ACTIVATION_NAMES, type ActivationName } from "../../src/engine/activations.js";
import { LOSS_NAMES, REDUCTIONS, type LossName, type Reduction } from "../../src/engine/losses.js";
import { activationLabel, lossLabel } from "../../src/explain/solution.js";
import type { MessageKey } from "../../src/i18n/translate.js";
import { t } from "./words.js";
import type { BiasMode } from "../../src/engine/network.js";
import type { Problem } from "../../src/problem/problem.js";
import { changeProblem, openExercise } from "./actions.js";
import { h } from "./dom.js";
import * as edit from "./edits.js";
import { solveExercise, type Exercise } from "./exercise.js";
import { readNumber } from "./format.js";
import type { Store } from "./store.js";

/**
 * Building a network in the page: inputs, layers and neurons added and
 * removed, activations, bias modes, the loss, the batch and the number of
 * steps. Every change is validated like a problem file and solved at once.
 */

const BIAS_LABELS: Readonly<Record<BiasMode, MessageKey>> = {
  perNeuron: "page.build.biasPerNeuron",
  shared: "page.build.biasShared",
  none: "page.build.biasNone",
};

export class Builder {
  private shown: Exercise | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly store: Store,
  ) {}

  private change(update: (problem: Problem) => Problem, shape = true): boolean {
    return changeProblem(this.store, update, shape);
  }

  /** A − n + control; `id` names it so focus can come back to it after the panel is drawn again; `labels` name it and its − and + buttons. */
  private counter(id: string, labels: readonly [string, string, string], value: number, set: (n: number) => void, min = 1): HTMLElement {
    const [label, fewer, more_] = labels;
    const less = h("button", { type: "button", "data-control": `${id}-less`, "aria-label": fewer, disabled: value <= min }, "−");
    const more = h("button", { type: "button", "data-control": `${id}-more`, "aria-label": more_ }, "+");
    less.addEventListener("click", () => {
      set(value - 1);
    });
    more.addEventListener("click", () => {
      set(value + 1);
    });
    return h(
      "span",
      { class: "counter", role: "group", "aria-label": label },
      less,
      h("output", { "aria-live": "polite", "data-control": `${id}-value` }, String(value)),
      more,
    );
  }

  private choice<T extends string>(
    id: string,
    label: string,
    options: readonly T[],
    value: T,
    name: (option: T) => string,
    set: (option: T) => void,
  ): HTMLSelectElement {
    const select = h(
      "select",
      { "data-control": id, "aria-label": label },
      ...options.map((option) => h("option", { value: option, selected: option === value }, name(option))),
    );
    select.addEventListener("change", () => {
      set(select.value as T);
    });
    return select;
  }

  render(state: { exercise: Exercise }): void {
    if (this.shown === state.exercise) return;
    this.shown = state.exercise;
    const focused =
      document.activeElement instanceof HTMLElement && this.root.contains(document.activeElement) ? document.activeElement.dataset.control : undefined;
    const { problem } = state.exercise;
    const { network } = problem;
    const last = network.layers.length - 1;
    const layers = network.layers.map((layer, k) => {
      const activations = ACTIVATION_NAMES.filter((a) => a !== "softmax" || k === last);
      // Which layer, for the labels: "output" or its number.
      const which = { layer: k === last ? "output" : String(k + 1) };
      const remove = h(
        "button",
        {
          type: "button",
          class: "remove",
          "data-control": `layer-${k}-remove`,
          disabled: network.layers.length === 1,
          "aria-label": t().text("label.build.remove", which),
        },
        t().text("page.build.remove"),
      );
      remove.addEventListener("click", () => this.change((p) => edit.removeLayer(p, k)));
      const add = h("button", { type: "button", "data-control": `layer-${k}-add`, class: "add-layer" }, t().text("page.build.addHere"));
      add.addEventListener("click", () => this.change((p) => edit.addLayer(p, k - 1)));
      return h(
        "li",
        { class: "layer" },
        add,
        h(
          "div",
          { class: "layer-row", role: "group", "aria-label": t().text("label.build.layer", which) },
          h(
            "div",
            {},
            h("strong", {}, k === last ? t().text("page.build.output") : t().text("page.build.layer", { layer: k + 1 })),
            this.counter(
              `layer-${k}-units`,
              [t().text("label.build.units", which), t().text("label.build.fewerUnits", which), t().text("label.build.moreUnits", which)],
              layer.units,
              (n) => this.change((p) => edit.setUnits(p, k, n)),
            ),
            remove,
          ),
          h(
            "div",
            {},
            this.choice(
              `layer-${k}-activation`,
              t().text("label.build.activation", which),
              activations,
              layer.activation,
              (a: ActivationName) => activationLabel(t(), a),
              (a) => this.change((p) => edit.setActivation(p, k, a), false),
            ),
            this.choice(
              `layer-${k}-bias`,
              t().text("label.build.bias", which),
              ["perNeuron", "shared", "none"] as const,
              layer.bias.mode,
              (m: BiasMode) => t().text(BIAS_LABELS[m]),
              (m) => this.change((p) => edit.setBiasMode(p, k, m)),
            ),
          ),
        ),
      );
    });
    const addLast = h("button", { type: "button", "data-control": "layer-last-add", class: "add-layer" }, t().text("page.build.addBeforeOutput"));
    addLast.addEventListener("click", () => this.change((p) => edit.addLayer(p, last - 1)));
    const eta = h("input", {
      type: "text",
      inputmode: "decimal",
      "data-control": "eta",
      "aria-label": t().text("train.learningRate"),
      value: String(problem.training.learningRate ?? ""),
    });
    eta.addEventListener("change", () => {
      const value = readNumber(eta.value);
      if (value !== undefined && value >= 0) this.change((p) => edit.setGiven(p, { kind: "eta" }, value), false);
      else eta.setAttribute("aria-invalid", "true");
    });
    const gradients = h("input", { type: "checkbox", "data-control": "input-gradients", checked: problem.report.inputGradients });
    gradients.addEventListener("change", () => this.change((p) => edit.setInputGradients(p, gradients.checked), false));
    const blank = h("button", { type: "button", "data-control": "blank" }, t().text("page.build.blank"));
    blank.addEventListener("click", () => openExercise(this.store, () => solveExercise(edit.starterProblem())));

    this.root.replaceChildren(
      h("p", { class: "hint" }, t().text("page.build.hint")),
      h(
        "div",
        { class: "field" },
        h("span", {}, t().text("sheet.inputs")),
        this.counter("inputs", [t().text("label.build.inputs"), t().text("label.build.fewerInputs"), t().text("label.build.moreInputs")], network.inputs, (n) =>
          this.change((p) => edit.setInputs(p, n)),
        ),
      ),
      h("ol", { class: "layers", "aria-label": t().text("label.build.layers") }, ...layers),
      addLast,
      h(
        "div",
        { class: "field" },
        h("span", {}, t().text("solution.lossHeading")),
        this.choice(
          "loss",
          t().text("label.build.loss"),
          LOSS_NAMES,
          problem.loss.type,
          (l: LossName) => lossLabel(t(), l),
          (l) => this.change((p) => edit.setLoss(p, l), false),
        ),
        this.choice(
          "reduction",
          t().text("label.build.reduction"),
          REDUCTIONS,
          problem.loss.reduction,
          (r: Reduction) => t().text(r === "mean" ? "page.build.mean" : "page.build.sum"),
          (r) => this.change((p) => edit.setReduction(p, r), false),
        ),
      ),
      h(
        "div",
        { class: "field" },
        h("span", {}, t().text("page.build.samples")),
        this.counter(
          "batch",
          [t().text("label.build.samples"), t().text("label.build.fewerSamples"), t().text("label.build.moreSamples")],
          problem.data.inputs.length,
          (n) => this.change((p) => edit.setBatch(p, n)),
        ),
      ),
      h(
        "div",
        { class: "field" },
        h("span", {}, t().text("page.build.steps")),
        this.counter(
          "steps",
          [t().text("label.build.steps"), t().text("label.build.fewerSteps"), t().text("label.build.moreSteps")],
          problem.training.steps,
          (n) => this.change((p) => edit.setSteps(p, n)),
          0,
        ),
      ),
      h("label", { class: "field" }, h("span", {}, t().text("sheet.learningRate")), eta),
      h("label", { class: "field check" }, gradients, h("span", {}, t().text("page.build.inputGradients"))),
      blank,
    );
    if (focused) this.root.querySelector<HTMLElement>(`[data-control="${focused}"]`)?.focus();
  }
}
