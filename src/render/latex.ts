import type { Solution } from "../explain/solution.js";
import { derivationLines, leavesOf } from "./derivation.js";
import { GREEK_LATEX } from "../explain/name-writing.js";
import { renderInline } from "./inline.js";
import { matrixLatexRows } from "./matrix.js";

export interface LatexOptions {
  readonly decimals?: number;
}

const SPECIAL: Readonly<Record<string, string>> = {
  "\\": "\\textbackslash{}",
  "#": "\\#",
  $: "\\$",
  "%": "\\%",
  "&": "\\&",
  _: "\\_",
  "{": "\\{",
  "}": "\\}",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
  "→": "$\\to$",
  "←": "$\\leftarrow$",
  "·": "$\\cdot$",
  "−": "$-$",
  "∂": "$\\partial$",
  // A blank line in a title would end \title's argument: text from the problem file stays on one line.
  "\n": " ",
  "\r": " ",
  "½": "$\\frac{1}{2}$",
  "²": "$^2$",
  "≥": "$\\geq$",
  "≤": "$\\leq$",
  "×": "$\\times$",
  "–": "--",
  "—": "---",
};

/** Prose for pdflatex: its special characters escaped, the symbols our text uses set as math. */
export function escapeLatex(text: string): string {
  return [...text].map((c) => SPECIAL[c] ?? (GREEK_LATEX[c] ? `$${GREEK_LATEX[c]}$` : c)).join("");
}

/**
 * pdflatex with T1 fonts sets Latin letters only; any other character (a CJK
 * title, a symbol in a name) is written as its code point so that the
 * document still compiles.
 */
export function typesettable(document: string): string {
  return [...document]
    .map((c) => {
      const code = c.codePointAt(0)!;
      if (code <= 0x17f) return c;
      return GREEK_LATEX[c] ?? `\\text{[U+${code.toString(16).toUpperCase().padStart(4, "0")}]}`;
    })
    .join("");
}

/** The visible length of a LaTeX fragment, roughly: commands and braces take no room. */
function visibleLength(latex: string): number {
  return latex
    .replace(/\\(left|right|cdot|frac|partial|mathrm|operatorname|tfrac)/g, "")
    .replace(/\\[A-Za-z]+/g, "x")
    .replace(/[{}]/g, "").length;
}

/**
 * A long right-hand side split at + and − signs, so that a sum over many paths
 * stays on the page. Never inside braces; inside \left(…\right) only with
 * \right. and \left. closing and reopening the parentheses on each row, and
 * at the shallowest depth that has a sign to split at.
 */
export function breakRow(latex: string, limit = 80): string[] {
  if (visibleLength(latex) <= limit) return [latex];
  const candidates: { at: number; depth: number; lefts: number }[] = [];
  const open: ("left" | "paren" | "brace")[] = [];
  for (let i = 0; i < latex.length; i++) {
    if (latex.startsWith("\\left", i)) open.push("left");
    else if (latex.startsWith("\\right", i)) open.pop();
    else if (latex[i] === "(" && latex[i - 1] !== "t") open.push("paren");
    else if (latex[i] === ")" && latex.slice(i - 6, i) !== "\\right") open.pop();
    else if (latex[i] === "{") open.push("brace");
    else if (latex[i] === "}") open.pop();
    else if ((latex.startsWith(" + ", i) || latex.startsWith(" - ", i)) && !open.includes("brace")) {
      candidates.push({ at: i, depth: open.length, lefts: open.filter((o) => o === "left").length });
    }
  }
  if (candidates.length === 0) return [latex];
  const depth = Math.min(...candidates.map((c) => c.depth));
  const pieces: { text: string; lefts: number }[] = [];
  let start = 0;
  for (const { at, lefts } of candidates.filter((c) => c.depth === depth)) {
    if (visibleLength(latex.slice(start, at)) < limit / 2) continue;
    pieces.push({ text: latex.slice(start, at), lefts });
    start = at + 1;
  }
  pieces.push({ text: latex.slice(start), lefts: 0 });
  // Plain parentheses may span rows; \left…\right must close and reopen on each.
  return pieces.map(({ text, lefts }, k) => `${k > 0 ? "\\left.".repeat(pieces[k - 1]!.lefts) : ""}${text}${"\\right.".repeat(lefts)}`);
}

function alignRows(lhs: string, relation: string, rhs: readonly string[]): string[] {
  return rhs.flatMap((part, i) =>
    breakRow(part).map((piece, k) => (k > 0 ? `  &\\quad ${piece}` : i === 0 ? `  ${lhs} &${relation} ${piece}` : `  &= ${piece}`)),
  );
}

const RELATION = { "=": "=", "←": "\\leftarrow" } as const;
const SECTIONS = ["", "section*", "subsection*", "subsubsection*"] as const;

/** Han, kana, Hangul and CJK punctuation: text pdflatex cannot set. */
const CJK = /[\u2e80-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\uff00-\uffef]/u;

export type LatexEngine = "pdflatex" | "xelatex";

/** The engine a document of ours names on its first line (`% !TEX program = xelatex`); pdflatex when it names none. */
export function latexEngine(document: string): LatexEngine {
  return /^% !TEX program = xelatex\n/.test(document) ? "xelatex" : "pdflatex";
}

/**
 * The preamble: pdflatex with T1 fonts for Latin text (English, German),
 * or xelatex with xeCJK and the Noto CJK fonts (Debian's fonts-noto-cjk)
 * when the words are Chinese or Japanese or the problem's own text holds
 * CJK characters; the first line names the engine for editors and for
 * `--format pdf`.
 */
function preamble(engine: LatexEngine, lang: string): string[] {
  const hyphenation = lang === "de" ? [GERMAN] : [];
  if (engine === "pdflatex") return ["\\documentclass[11pt]{article}", "\\usepackage[utf8]{inputenc}", "\\usepackage[T1]{fontenc}", ...hyphenation];
  const region = lang === "ja" ? "JP" : "SC";
  return [
    "% !TEX program = xelatex",
    "\\documentclass[11pt]{article}",
    ...hyphenation,
    "\\usepackage{xeCJK}",
    `\\setCJKmainfont{Noto Serif CJK ${region}}`,
    `\\setCJKsansfont{Noto Sans CJK ${region}}`,
  ];
}

/**
 * German words hyphenate by German rules (babel's ngerman, from Debian's
 * texlive-lang-german) where TeX has them, and the document still compiles
 * where it has not. Shorthands are off: ngerman makes `"` active, and a
 * problem's own text may quote.
 */
const GERMAN = "\\IfFileExists{ngerman.ldf}{\\usepackage[ngerman,shorthands=off]{babel}}{}";

/** A complete LaTeX document (article, amsmath): pdflatex compiles it, or xelatex when it holds CJK text (see `latexEngine`). */
export function renderLatex(solution: Solution, options: LatexOptions = {}): string {
  const decimals = options.decimals ?? 4;
  const title = solution.blocks.find((b) => b.kind === "heading" && b.level === 1);
  const body: string[] = [];
  for (const block of solution.blocks) {
    if (block === title) continue;
    switch (block.kind) {
      case "heading":
        body.push(
          `\\${SECTIONS[block.level]}{${renderInline(block.text, "latex", leavesOf(solution, { dialect: "latex", decimals }), (m) => `$${m}$`, escapeLatex)}}`,
        );
        break;
      case "paragraph":
        body.push(`${renderInline(block.text, "latex", leavesOf(solution, { dialect: "latex", decimals }), (m) => `$${m}$`, escapeLatex)}\n`);
        break;
      case "derivation": {
        const { lhs, relation, rhs } = derivationLines(solution, block.derivation, { dialect: "latex", decimals });
        body.push(`\\begin{align*}\n${alignRows(lhs, RELATION[relation], rhs).join(" \\\\\n")}\n\\end{align*}`);
        break;
      }
      case "matrix":
        body.push(`\\begin{align*}\n  ${matrixLatexRows(block.equation, decimals).join(" \\\\\n  ")}\n\\end{align*}`);
        break;
    }
  }
  const heading =
    title?.kind === "heading"
      ? renderInline(title.text, "latex", leavesOf(solution, { dialect: "latex", decimals }), (m) => `$${m}$`, escapeLatex)
      : escapeLatex(solution.t.text("solution.title"));
  const engine: LatexEngine =
    solution.t.lang === "zh" || solution.t.lang === "ja" || CJK.test(heading) || body.some((b) => CJK.test(b)) ? "xelatex" : "pdflatex";
  const document = [
    ...preamble(engine, solution.t.lang),
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
  return engine === "pdflatex" ? typesettable(document) : document;
}
