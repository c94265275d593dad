import katex from "katex";
import type { Solution } from "../explain/solution.js";
import { derivationLines } from "./derivation.js";
import { renderInline } from "./inline.js";
import { matrixLatexRows } from "./matrix.js";

export interface HtmlOptions {
  readonly decimals?: number;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * Math as MathML, which browsers typeset natively: the page needs no fonts,
 * scripts or network to show formulas.
 */
function math(latex: string, displayMode: boolean): string {
  return katex.renderToString(latex, { output: "mathml", displayMode, throwOnError: true });
}

const RELATION = { "=": "=", "←": "\\leftarrow" } as const;

const STYLE = `
:root { color-scheme: light dark; --ink: #1d2433; --muted: #5b6478; --rule: #d9dde6; --accent: #2f6fde; --paper: #ffffff; }
@media (prefers-color-scheme: dark) { :root { --ink: #e6e9ef; --muted: #a3abbd; --rule: #374055; --accent: #7aa7ff; --paper: #151a24; } }
body { margin: 0; background: var(--paper); color: var(--ink); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 0.5rem; padding-bottom: 0.25rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
p { margin: 0.6rem 0 0.3rem; }
.derivation, .equation { overflow-x: auto; margin: 0.2rem 0 0.2rem 1rem; padding: 0.1rem 0; }
.derivation math { font-size: 1.05rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: 0.85rem; }
`;

/** One self-contained page: inline styles, MathML formulas, no external assets. */
export function renderHtml(solution: Solution, options: HtmlOptions = {}): string {
  const decimals = options.decimals ?? 4;
  const inlineMath = (latex: string) => math(latex, false);
  const parts: string[] = [];
  let title = "Worked solution";
  for (const block of solution.blocks) {
    switch (block.kind) {
      case "heading": {
        const text = renderInline(block.text, "latex", inlineMath, escapeHtml);
        if (block.level === 1) title = renderInline(block.text, "text");
        parts.push(`<h${block.level}>${text}</h${block.level}>`);
        break;
      }
      case "paragraph":
        parts.push(`<p>${renderInline(block.text, "latex", inlineMath, escapeHtml)}</p>`);
        break;
      case "derivation": {
        const { lhs, relation, rhs } = derivationLines(solution, block.derivation, { dialect: "latex", decimals });
        const rows = rhs.map((part, i) => (i === 0 ? `${lhs} &${RELATION[relation]} ${part}` : `&= ${part}`));
        parts.push(`<div class="derivation">${math(`\\begin{aligned}${rows.join(" \\\\ ")}\\end{aligned}`, true)}</div>`);
        break;
      }
      case "matrix":
        parts.push(`<div class="equation">${math(`\\begin{aligned}${matrixLatexRows(block.equation, decimals).join(" \\\\ ")}\\end{aligned}`, true)}</div>`);
        break;
    }
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${parts.join("\n")}
<footer>Worked by gradstep in float64; numbers shown to ${decimals} decimal places.</footer>
</main>
</body>
</html>
`;
}
