import type { Translator } from "../i18n/translate.js";
import { computedQuantities, givenQuantities } from "../explain/order.js";
import type { Notation } from "../explain/notation.js";
import type { Quantity } from "../explain/quantity.js";
import type { Problem } from "../problem/problem.js";
import { editDistance } from "../edit-distance.js";
import { renderName } from "../explain/name-writing.js";

const PLAIN: Readonly<Record<string, string>> = Object.fromEntries(
  [..."₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹₍₎⁽⁾ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ⁺⁻₊₋"].map((c, i) => [c, "01234567890123456789()()aehijklmnoprstuvx+-+-"[i]!]),
);

/**
 * A name reduced to what a person means by it, so that `∂E/∂w₇`, `dE/dw7`,
 * `dE/d w_7` and `w^{(2)}_{11}` / `w⁽²⁾₁₁` / `w(2)11` meet.
 */
export function normalizeName(text: string): string {
  return [...text.normalize("NFC")]
    .map((c) => PLAIN[c] ?? c)
    .join("")
    .replace(/\\frac\{\\partial\s*(.*?)\}\{\\partial\s*(.*)\}$/, "d$1/d$2")
    .replace(/\\(mathrm|operatorname)/g, "")
    .replace(/[∂𝜕]/gu, "d")
    .replace(/[\s_^{}\\]/g, "");
}

/** When a named quantity is meant: parameters are "after step N", everything else "in step N" (1-based). */
function stepOf(q: Quantity): number | undefined {
  if (q.kind === "x" || q.kind === "t" || q.kind === "eta") return undefined;
  return q.kind === "w" || q.kind === "b" ? q.step : q.step + 1;
}

/** Finds quantities by the names a student writes, in the problem's notation. */
export class NameIndex {
  private readonly byName = new Map<string, Quantity[]>();
  /** How each normalized name is written in text, for suggestions. */
  private readonly written = new Map<string, string>();

  constructor(problem: Problem, notation: Notation) {
    for (const q of [...givenQuantities(problem), ...computedQuantities(problem)]) {
      // Text puts the superscript first (w⁽¹⁾₁₂), LaTeX the subscript (w_{12}^{(1)}): people write either.
      const keys = new Set((["text", "latex"] as const).map((dialect) => normalizeName(renderName(notation.name(q), dialect))));
      for (const key of keys) this.byName.set(key, [...(this.byName.get(key) ?? []), q]);
      this.written.set(normalizeName(renderName(notation.name(q), "text")), renderName(notation.name(q), "text"));
    }
  }

  /**
   * The quantity called `name` at `step` (1-based; default 1): the value in
   * that step, or for a parameter its value after that step's update.
   */
  find(name: string, step = 1): Quantity | undefined {
    const candidates = this.byName.get(normalizeName(name)) ?? [];
    return candidates.find((q) => stepOf(q) === step) ?? (candidates.length === 1 ? candidates[0] : undefined);
  }

  /** Names a person might have meant, closest first, as the exercise writes them. */
  similar(name: string): string[] {
    const wanted = normalizeName(name);
    return [...this.written.entries()]
      .map(([key, text]) => ({ text, distance: editDistance(key, wanted) }))
      .filter(({ distance }) => distance <= Math.max(2, Math.floor(wanted.length / 3)))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, 5)
      .map(({ text }) => text);
  }
}

/** "; similar names: w1, w2" in the reader's language, or nothing. */
export function similarNames(similar: readonly string[], t: Translator): string {
  return similar.length > 0 ? t.text("error.similarNames", { names: similar.join(", ") }) : "";
}
