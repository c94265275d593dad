import type { Inline } from "../explain/solution.js";
import { renderName, type Dialect } from "../explain/name-writing.js";
import { renderExpr, type Leaves } from "./math.js";

/**
 * Running text with names and formulas, for one dialect: `math` wraps LaTeX
 * for its host format, `escape` the words, and `leaves` names the quantities
 * of expressions.
 */
export function renderInline(
  parts: readonly Inline[],
  dialect: Dialect,
  leaves: Leaves,
  math: (latex: string) => string = (x) => x,
  escape: (text: string) => string = (x) => x,
): string {
  const inMath = (latex: string) => (dialect === "text" ? latex : math(latex));
  return parts
    .map((part) => {
      if (typeof part === "string") return escape(part);
      if ("name" in part) return inMath(renderName(part.name, dialect));
      if ("formula" in part) return inMath(dialect === "text" ? part.formula.text : part.formula.latex);
      if ("expr" in part) return inMath(renderExpr(part.expr, leaves));
      const pieces = part.math.map((piece) => {
        if ("name" in piece) return renderName(piece.name, dialect);
        if ("expr" in piece) return renderExpr(piece.expr, leaves);
        return dialect === "text" ? piece.text : piece.latex;
      });
      return inMath(pieces.join(""));
    })
    .join("");
}
