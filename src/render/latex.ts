import type { Solution } from "../explain/solution.js";
import { derivationLines } from "./derivation.js";
import { renderInline } from "./inline.js";
import { matrixLatexRows } from "./matrix.js";

export interface LatexOptions {
  readonly decimals?: number;
}

const SPECIAL: Readonly<Record<string, string>> = {
  "\\": "\\textbackslash{}", "#": "\\#", $: "\\$", "%": "\\%", "&": "\\&", _: "\\_", "{": "\\{", "}": "\\}",
  "~": "\\textasciitilde{}", "^": "\\textasciicircum{}",
  "→": "$\\to$", "←": "$\\leftarrow$", "·": "$\\cdot$", "−": "$-$", "∂": "$\\partial$", "η": "$\\eta$", "σ": "$\\sigma$",
  "½": "$\\frac{1}{2}$", "Σ": "$\\Sigma$", "²": "$^2$", "≥": "$\\geq$", "≤": "$\\leq$", "×": "$\\times$", "–": "--", "—": "---",
};

/** Prose for pdflatex: its special characters escaped, the symbols our text uses set as math. */
export function escapeLatex(text: string): string {
  return [...text].map((c) => SPECIAL[c] ?? c).join("");
}

const RELATION = { "=": "=", "←": "\\leftarrow" } as const;
const SECTIONS = ["", "section*", "subsection*", "subsubsection*"] as const;

/** A complete LaTeX document (article, amsmath) that pdflatex compiles. */
export function renderLatex(solution: Solution, options: LatexOptions = {}): string {
  const decimals = options.decimals ?? 4;
  const title = solution.blocks.find((b) => b.kind === "heading" && b.level === 1);
  const body: string[] = [];
  for (const block of solution.blocks) {
    if (block === title) continue;
    switch (block.kind) {
      case "heading":
        body.push(`\\${SECTIONS[block.level]}{${renderInline(block.text, "latex", (m) => `$${m}$`, escapeLatex)}}`);
        break;
      case "paragraph":
        body.push(`${renderInline(block.text, "latex", (m) => `$${m}$`, escapeLatex)}\n`);
        break;
      case "derivation": {
        const { lhs, relation, rhs } = derivationLines(solution, block.derivation, { dialect: "latex", decimals });
        const rows = rhs.map((part, i) => (i === 0 ? `  ${lhs} &${RELATION[relation]} ${part}` : `  &= ${part}`));
        body.push(`\\begin{align*}\n${rows.join(" \\\\\n")}\n\\end{align*}`);
        break;
      }
      case "matrix":
        body.push(`\\begin{align*}\n  ${matrixLatexRows(block.equation, decimals).join(" \\\\\n  ")}\n\\end{align*}`);
        break;
    }
  }
  const heading = title?.kind === "heading" ? renderInline(title.text, "latex", (m) => `$${m}$`, escapeLatex) : "Worked solution";
  return [
    "\\documentclass[11pt]{article}",
    "\\usepackage[utf8]{inputenc}",
    "\\usepackage[T1]{fontenc}",
    "\\usepackage[a4paper,margin=2cm]{geometry}",
    "\\usepackage{amsmath}",
    "\\allowdisplaybreaks",
    `\\title{${heading}}`,
    "\\date{}",
    "\\begin{document}",
    "\\maketitle",
    ...body,
    "\\end{document}",
    "",
  ].join("\n");
}
