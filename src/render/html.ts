import katex from "katex";
import type { Solution } from "../explain/solution.js";
import { derivationLines, leavesOf } from "./derivation.js";
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
  // Names are checked when the problem is read; should any formula still fail to parse, KaTeX shows its source instead of failing the page.
  return katex.renderToString(latex, { output: "mathml", displayMode, throwOnError: false, trust: false, maxExpand: 100 });
}

const RELATION = { "=": "=", "←": "\\leftarrow" } as const;

/** Inline MathML in display style: fractions full size, but flowing in a grid cell. */
function displayed(latex: string): string {
  return math(`\\displaystyle ${latex}`, false);
}

/** lhs = rhs₁, = rhs₂, …: three columns, so every row lines up at its relation sign. */
function grid(lhs: string, relation: string, rhs: readonly string[]): string {
  const rows = rhs.map((part, i) => {
    const name = i === 0 ? `<span class="lhs">${displayed(lhs)}</span>` : "<span></span>";
    const sign = `<span class="rel">${math(i === 0 ? relation : "=", false)}</span>`;
    return `${name}${sign}<span class="${i === rhs.length - 1 ? "value" : "step"}">${displayed(part)}</span>`;
  });
  return `<div class="derivation">${rows.join("")}</div>`;
}

const STYLE = `
:root { color-scheme: light dark; --ink: #1d2433; --muted: #5b6478; --rule: #d9dde6; --accent: #2f6fde; --paper: #ffffff; }
@media (prefers-color-scheme: dark) { :root { --ink: #e6e9ef; --muted: #a3abbd; --rule: #374055; --accent: #7aa7ff; --paper: #151a24; } }
body { margin: 0; background: var(--paper); color: var(--ink); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 0.5rem; padding-bottom: 0.25rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
p { margin: 0.6rem 0 0.3rem; }
/* A derivation: the name, then one row per step of the computation, aligned at the relation sign. */
.derivation { display: grid; grid-template-columns: max-content max-content minmax(0, 1fr); column-gap: 0.5rem; row-gap: 0.15rem;
  align-items: baseline; margin: 0.6rem 0 0.6rem 1rem; padding: 0.2rem 0; overflow-x: auto; overflow-y: hidden; }
.derivation .rel { text-align: center; }
.derivation .value { font-weight: 600; }
.derivation math { font-size: 1.08rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: 0.85rem; }
`;

/** One self-contained page: inline styles, MathML formulas, no external assets. */
export function renderHtml(solution: Solution, options: HtmlOptions = {}): string {
  const decimals = options.decimals ?? 4;
  const inlineMath = (latex: string) => math(latex, false);
  const parts: string[] = [];
  let title = solution.t.text("solution.title");
  for (const block of solution.blocks) {
    switch (block.kind) {
      case "heading": {
        const text = renderInline(block.text, "latex", leavesOf(solution, { dialect: "latex", decimals }), inlineMath, escapeHtml);
        if (block.level === 1) title = renderInline(block.text, "text", leavesOf(solution, { dialect: "text", decimals }));
        parts.push(`<h${block.level}>${text}</h${block.level}>`);
        break;
      }
      case "paragraph":
        parts.push(`<p>${renderInline(block.text, "latex", leavesOf(solution, { dialect: "latex", decimals }), inlineMath, escapeHtml)}</p>`);
        break;
      case "derivation": {
        const { lhs, relation, rhs } = derivationLines(solution, block.derivation, { dialect: "latex", decimals });
        parts.push(grid(lhs, RELATION[relation], rhs));
        break;
      }
      case "matrix": {
        const [first, ...rest] = matrixLatexRows(block.equation, decimals);
        const [lhs, rule] = first!.split(/ &(?:=|\\leftarrow) /);
        parts.push(grid(lhs!, block.equation.relation === "←" ? "\\leftarrow" : "=", [rule!, ...rest.map((row) => row.replace(/^&= /, ""))]));
        break;
      }
    }
  }
  return `<!doctype html>
<html lang="${solution.t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${parts.join("\n")}
<footer>${escapeHtml(solution.t.text("solution.footer", { decimals }))}</footer>
</main>
</body>
</html>
`;
}
