import type { Quantity } from "../../src/explain/quantity.js";
import type { Solution } from "../../src/explain/solution.js";
import { renderName } from "../../src/explain/name-writing.js";
import { formatNumber, typographic } from "../../src/number-format.js";

/** A value as the diagram shows it: rounded to `decimals`, with a typographic minus. */
export function shown(value: number, decimals: number): string {
  return typographic(formatNumber(value, decimals));
}

/** A value in full precision: the shortest text that reads back as the same float64. */
export function full(value: number): string {
  return typographic(String(value));
}

/** A quantity's name in the exercise's notation, as plain Unicode (w₇, ∂E/∂h₁). */
export function nameOf(solution: Solution, q: Quantity): string {
  return renderName(solution.notation.name(q), "text");
}

/** Reads a number as a person types it: a typographic minus, a decimal comma, spaces. */
export function readNumber(text: string): number | undefined {
  const cleaned = text
    .trim()
    .replace(/[−–]/g, "-")
    .replace(/^(-?\d*),(\d+)$/, "$1.$2")
    .replace(/\s+/g, "");
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cleaned)) return undefined;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : undefined;
}
