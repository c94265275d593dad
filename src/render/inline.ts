import type { Inline } from "../explain/solution.js";
import { renderName, type Dialect } from "./math.js";

/** Running text with names and formulas, for one dialect; `math` wraps LaTeX for its host format. */
export function renderInline(parts: readonly Inline[], dialect: Dialect, math: (latex: string) => string = (x) => x, escape: (text: string) => string = (x) => x): string {
  return parts
    .map((part) => {
      if (typeof part === "string") return escape(part);
      if ("name" in part) return dialect === "text" ? renderName(part.name, "text") : math(renderName(part.name, "latex"));
      return dialect === "text" ? part.formula.text : math(part.formula.latex);
    })
    .join("");
}
