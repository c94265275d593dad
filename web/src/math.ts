import katex from "katex";
import "katex/dist/katex.min.css";
import type { Derivation } from "../../src/explain/derive.js";
import type { Solution } from "../../src/explain/solution.js";
import { derivationLines } from "../../src/render/derivation.js";

/**
 * A derivation typeset by KaTeX from the same LaTeX lines the Markdown and
 * HTML outputs use: the name, then the chain rule, the formula, the numbers
 * and the value, aligned at the relation sign.
 */
export function derivationHtml(solution: Solution, derivation: Derivation, decimals: number): string {
  const { lhs, relation, rhs } = derivationLines(solution, derivation, { dialect: "latex", decimals });
  const sign = relation === "←" ? "\\leftarrow" : "=";
  const rows = rhs.map((part, i) => (i === 0 ? `${lhs} &${sign} ${part}` : `&= ${part}`));
  return katex.renderToString(`\\begin{aligned}${rows.join(" \\\\ ")}\\end{aligned}`, { displayMode: true, output: "htmlAndMathml", throwOnError: false });
}

/** A short formula inline. */
export function inlineMath(latex: string): string {
  return katex.renderToString(latex, { displayMode: false, output: "htmlAndMathml", throwOnError: false });
}
