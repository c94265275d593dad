import { checkClaims, type CheckedClaim } from "../../src/check/check.js";
import { readClaims } from "../../src/check/claims.js";
import { readPrinted } from "../../src/check/printed.js";
import { solutionOrder } from "../../src/explain/order.js";
import { pathOf, type Quantity } from "../../src/explain/quantity.js";
import { formatPath } from "../../src/json-path.js";
import { InputError } from "../../src/input-error.js";
import { formatNumber, typographic } from "../../src/number-format.js";
import katex from "katex";
import { h } from "./dom.js";
import type { Exercise } from "./exercise.js";
import { nameOf } from "./format.js";
import { derivationHtml } from "./math.js";
import type { State } from "./store.js";
import { t } from "./words.js";

/**
 * Check my work: hand-worked values against the engine, through the same
 * checker as `gradstep check` (src/check): a verdict for each value, and for
 * a wrong one the right value, the likely slip and the derivation.
 */

/** Checks values written by one person; throws InputError when one is not a number. */
function check(exercise: Exercise, entries: readonly { q: Quantity; printed: string }[], decimals: number): readonly CheckedClaim[] {
  const claims = readClaims(entries.map(({ q, printed }) => ({ path: formatPath(pathOf(exercise.problem, q)), printed: printed.trim() })));
  return checkClaims(exercise.problem, exercise.trace, claims, { decimals }).claims;
}

/** The right value, to one more digit than the person wrote. */
function correct(claim: CheckedClaim, decimals: number): string {
  const written = claim.printed.replace(/^[^.]*\.?/, "").replace(/e.*$/i, "").length;
  return typographic(formatNumber(claim.solved, Math.max(decimals, written + 1)));
}

/** A verdict in words, with the slip and the derivation of the right value when it is wrong. */
export function explainVerdict(exercise: Exercise, claim: CheckedClaim, decimals: number): Node[] {
  const tr = t();
  if (claim.verdict === "agrees")
    return [h("span", { class: "right" }, tr.text("page.right", { wrote: typographic(claim.printed), value: correct(claim, decimals) }))];
  const parts: Node[] = [h("span", { class: "wrong" }, tr.text("page.wrong", { wrote: typographic(claim.printed), value: correct(claim, decimals) }))];
  if (claim.slip) parts.push(h("span", { class: "slip" }, ` ${tr.text("check.likelySlip", { slip: typographic(claim.slip.say(tr)) })}`));
  if (claim.derivation) {
    const math = h("div", { class: "math" });
    math.innerHTML = derivationHtml(exercise.solution, claim.derivation, decimals);
    parts.push(math);
  }
  return parts;
}

/** One value checked, as nodes for an output element. */
export function checkValue(exercise: Exercise, q: Quantity, text: string, decimals: number): Node[] {
  if (text.trim() === "") return [document.createTextNode(t().text("label.check.typeFirst"))];
  try {
    return explainVerdict(exercise, check(exercise, [{ q, printed: text }], decimals)[0]!, decimals);
  } catch (error) {
    if (error instanceof InputError) return [h("span", { class: "wrong" }, t().text("label.check.notANumber", { text: JSON.stringify(text) }))];
    throw error;
  }
}

/** The computed quantities of one step in solution order (the final forward pass after the last step). */
function quantitiesOf(exercise: Exercise, step: number): Quantity[] {
  const order = solutionOrder(exercise.problem);
  const s = order.steps[step];
  if (!s) return order.final ? [...order.final.forward.flat(), ...order.final.loss] : [];
  return [...s.forward.flat(), ...s.loss, ...s.backward.flatMap((b) => b.quantities), ...s.inputGradients, ...s.updates.flat()];
}

/** Rows beyond this are left out of the table (a large network has thousands of values). */
const MAX_ROWS = 240;

export class CheckerPanel {
  private readonly typed = new Map<string, string>();
  /** The worksheet pasted or dropped, kept while the panel is redrawn. */
  private worksheet = "";
  private shown: { exercise: Exercise; step: number } | undefined;

  constructor(private readonly root: HTMLElement) {}

  render(state: State): void {
    const { exercise } = state;
    const step = state.phases[state.cursor]!.step;
    if (this.shown?.exercise === exercise && this.shown.step === step) return;
    if (this.shown?.exercise.problem.network !== exercise.problem.network) this.typed.clear();
    this.shown = { exercise, step };
    const quantities = quantitiesOf(exercise, step);
    const rows = quantities.slice(0, MAX_ROWS);
    const summary = h("p", { class: "summary", role: "status", "aria-live": "polite" });
    const body = h("tbody");
    const entries = rows.map((q) => {
      const path = formatPath(pathOf(exercise.problem, q));
      const name = nameOf(exercise.solution, q);
      const input = h("input", {
        type: "text",
        inputmode: "decimal",
        "aria-label": t().text("label.yourValueFor", { name }),
        "data-path": path,
        value: this.typed.get(path) ?? "",
      });
      input.addEventListener("input", () => this.typed.set(path, input.value));
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") run();
      });
      const verdict = h("td", { class: "verdict", "data-path": path });
      body.append(h("tr", {}, h("th", { scope: "row" }, name), h("td", {}, input), verdict));
      return { q, input, verdict };
    });
    const run = () => {
      const filled = entries.filter((e) => e.input.value.trim() !== "");
      for (const e of entries) {
        e.verdict.replaceChildren();
        e.verdict.className = "verdict";
      }
      if (filled.length === 0) {
        summary.textContent = t().text("page.typeOne");
        return;
      }
      // Checked together, so that a value carried forward from one of your own earlier values is recognised.
      const valid = filled.filter((e) => readPrinted(e.input.value) !== undefined);
      const checkedValues =
        valid.length > 0
          ? check(
              exercise,
              valid.map((e) => ({ q: e.q, printed: e.input.value })),
              state.decimals,
            )
          : [];
      const results = filled.map((e) => {
        const k = valid.indexOf(e);
        return k < 0 ? undefined : checkedValues[k];
      });
      let right = 0;
      filled.forEach((e, k) => {
        const result = results[k];
        e.verdict.classList.add(result === undefined ? "bad" : result.verdict === "agrees" ? "ok" : "bad");
        if (result?.verdict === "agrees") right++;
        e.verdict.replaceChildren(
          ...(result ? explainVerdict(exercise, result, state.decimals) : [h("span", { class: "wrong" }, t().text("page.notANumber"))]),
        );
      });
      summary.textContent = t().text("page.rightCount", { right, total: filled.length });
    };
    const checkButton = h("button", { type: "button", class: "primary" }, t().text("page.check"));
    checkButton.addEventListener("click", run);
    const clear = h("button", { type: "button" }, t().text("page.clear"));
    clear.addEventListener("click", () => {
      this.typed.clear();
      for (const e of entries) {
        e.input.value = "";
        e.verdict.replaceChildren();
      }
      summary.textContent = "";
    });
    const stepName =
      state.phases[state.cursor]!.step === exercise.trace.steps.length ? t().text("page.finalForward") : t().text("page.stepInSentence", { step: step + 1 });
    this.root.replaceChildren(
      h("p", { class: "hint" }, t().text("page.checkHint", { step: stepName })),
      h("div", { class: "row" }, checkButton, clear),
      summary,
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "check-table" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, t().text("page.quantity")),
              h("th", { scope: "col" }, t().text("page.yourValue")),
              h("th", { scope: "col" }, t().text("page.verdict")),
            ),
          ),
          body,
        ),
      ),
      ...(quantities.length > rows.length ? [h("p", { class: "hint" }, t().text("page.firstListed", { shown: rows.length, total: quantities.length }))] : []),
      ...this.claimsSection(exercise, state.decimals),
      ...this.worksheetSection(exercise, state.decimals),
    );
  }

  /**
   * Check my worksheet: a whole worksheet pasted or dropped (Markdown with
   * $…$ / $$…$$, or LaTeX), checked by the same reader as `gradstep check
   * --worksheet` and shown back with its marks. The reader is loaded only
   * when a worksheet is checked.
   */
  private worksheetSection(exercise: Exercise, decimals: number): HTMLElement[] {
    const area = h("textarea", {
      id: "worksheet-text",
      rows: 8,
      spellcheck: "false",
      "aria-label": t().text("label.worksheet"),
      placeholder: "$$z_{h1} = 0.15 \\times 0.05 + 0.2 \\times 0.1 + 0.35 = 0.3775$$",
    });
    area.value = this.worksheet;
    area.addEventListener("input", () => (this.worksheet = area.value));
    const output = h("div", { id: "worksheet-result", role: "status", "aria-live": "polite" });
    const load = async (file: File | undefined) => {
      if (!file) return;
      area.value = this.worksheet = await file.text();
    };
    area.addEventListener("dragover", (event) => {
      event.preventDefault();
    });
    area.addEventListener("drop", (event) => {
      event.preventDefault();
      void load(event.dataTransfer?.files[0]);
    });
    const picker = h("input", { type: "file", accept: ".md,.markdown,.tex,.txt,text/plain,text/markdown", "aria-label": t().text("label.worksheetFile") });
    picker.addEventListener("change", () => void load(picker.files?.[0]));
    const go = h("button", { type: "button", id: "worksheet-check" }, t().text("page.worksheetCheck"));
    go.addEventListener("click", () => void this.checkWorksheet(exercise, area.value, output, decimals));
    return [
      h("h3", {}, t().text("page.worksheetCheck")),
      h("p", { class: "hint" }, t().text("page.worksheetHint")),
      area,
      h("div", { class: "row" }, go, picker),
      output,
    ];
  }

  private async checkWorksheet(exercise: Exercise, text: string, output: HTMLElement, decimals: number): Promise<void> {
    if (text.trim() === "") {
      output.textContent = t().text("label.check.worksheetFirst");
      return;
    }
    output.textContent = "Checking…";
    const [{ loadWorksheetChecker }, { worksheetHtmlBody }] = await Promise.all([
      import("../../src/check/worksheet/index.js"),
      import("../../src/render/worksheet-report.js"),
    ]);
    const check = await loadWorksheetChecker();
    const result = check(exercise.problem, exercise.trace, text, {
      format: /\\documentclass|\\begin\{document\}/.test(text) ? "latex" : "markdown",
      solution: exercise.solution,
    });
    const typeset = (latex: string, display: boolean) =>
      katex.renderToString(latex, { displayMode: display, output: "htmlAndMathml", throwOnError: false, strict: "ignore" });
    // The worksheet's prose is escaped by the renderer; its math is KaTeX's markup.
    output.innerHTML = worksheetHtmlBody(result, typeset, { decimals, t: t() });
  }

  /** The hand values the exercise file carries (its `claims`), checked in one go. */
  private claimsSection(exercise: Exercise, decimals: number): HTMLElement[] {
    if (exercise.claims.length === 0) return [];
    const list = h("ol", { class: "claims" });
    const go = h("button", { type: "button" }, t().text("page.handValues", { count: exercise.claims.length }));
    go.addEventListener("click", () => {
      try {
        const results = checkClaims(exercise.problem, exercise.trace, readClaims({ claims: exercise.claims }), { decimals }).claims;
        list.replaceChildren(
          ...results.map((claim) =>
            h("li", { class: claim.verdict === "agrees" ? "ok" : "bad" }, h("strong", {}, claim.name), " ", ...explainVerdict(exercise, claim, decimals)),
          ),
        );
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        list.replaceChildren(h("li", { class: "bad" }, error.message));
      }
    });
    return [h("h3", {}, t().text("page.handValuesHeading")), go, list];
  }
}
