import type { Problem } from "../../src/problem/problem.js";
import { changeProblem } from "./actions.js";
import { h } from "./dom.js";
import { setGiven, type Given } from "./edits.js";
import { full, readNumber } from "./format.js";
import type { Selection, Store } from "./store.js";

/** The given value behind a selection, if it is one the user may edit (the sample's input or target). */
export function givenOf(selection: Selection, sample: number): Given | undefined {
  switch (selection.kind) {
    case "weight":
    case "bias":
    case "eta":
      return selection;
    case "input":
      return { kind: "input", sample, i: selection.i };
    case "target":
      return { kind: "target", sample, j: selection.j };
    default:
      return undefined;
  }
}

/** The value a problem gives for `given` (for parameters, the value before the first update). */
export function givenValue(problem: Problem, given: Given): number {
  switch (given.kind) {
    case "weight":
      return problem.network.layers[given.layer]!.weights[given.j]![given.i]!;
    case "bias": {
      const bias = problem.network.layers[given.layer]!.bias;
      return bias.mode === "shared" ? bias.value : bias.mode === "perNeuron" ? bias.values[given.j ?? 0]! : 0;
    }
    case "input":
      return problem.data.inputs[given.sample]![given.i]!;
    case "target":
      return problem.data.targets[given.sample]![given.j]!;
    case "eta":
      return problem.training.learningRate ?? 0;
  }
}

/** Applies a typed value: true when it was a number and the engine solved the changed problem. */
export function commitGiven(store: Store, given: Given, text: string): boolean {
  const value = readNumber(text);
  if (value === undefined) return false;
  return changeProblem(store, (problem) => setGiven(problem, given, value), false);
}

/**
 * A number field laid over the diagram where a value is shown: Enter (or
 * leaving the field) applies, Escape cancels. Focus returns to the diagram
 * item it was opened from, so editing works from the keyboard alone.
 */
export class InlineEditor {
  private readonly input = h("input", { class: "inline-editor", type: "text", inputmode: "decimal", autocomplete: "off", spellcheck: "false" });
  private given: Given | undefined;
  private refocus: (() => void) | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly store: Store,
  ) {
    this.input.hidden = true;
    container.append(this.input);
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        this.commit();
      } else if (event.key === "Escape") {
        event.preventDefault();
        this.close();
      }
    });
    this.input.addEventListener("blur", () => {
      if (this.given) this.commit(false);
    });
  }

  open(given: Given, label: string, anchor: Element, refocus: () => void): void {
    const box = anchor.getBoundingClientRect();
    const frame = this.container.getBoundingClientRect();
    const width = Math.max(110, box.width + 16);
    this.given = given;
    this.refocus = refocus;
    this.input.value = full(givenValue(this.store.state.exercise.problem, given));
    this.input.setAttribute("aria-label", label);
    this.input.removeAttribute("aria-invalid");
    this.input.style.left = `${Math.max(0, box.left - frame.left + this.container.scrollLeft + box.width / 2 - width / 2)}px`;
    this.input.style.top = `${box.top - frame.top + this.container.scrollTop + box.height / 2 - 16}px`;
    this.input.style.width = `${width}px`;
    this.input.hidden = false;
    this.input.focus();
    this.input.select();
  }

  get isOpen(): boolean {
    return !this.input.hidden;
  }

  private commit(keepOpenOnError = true): void {
    const given = this.given;
    if (!given) return;
    const unchanged = readNumber(this.input.value) === givenValue(this.store.state.exercise.problem, given);
    if (unchanged || commitGiven(this.store, given, this.input.value)) {
      this.close();
      return;
    }
    this.input.setAttribute("aria-invalid", "true");
    if (!keepOpenOnError) this.close();
  }

  close(): void {
    this.given = undefined;
    this.input.hidden = true;
    const refocus = this.refocus;
    this.refocus = undefined;
    refocus?.();
  }
}
