import { NAME_COMMANDS } from "../problem/notation-names.js";
import type { Name } from "./names.js";

/**
 * How a name is written: plain Unicode (w⁽²⁾₁₂) for terminals, CSV and
 * messages, LaTeX (w^{(2)}_{12}) for documents. The renderers and the
 * checker's messages both write names, so this sits below both.
 */

/** Plain Unicode for terminals, CSV and spreadsheets; LaTeX for Markdown, documents and HTML. */
export type Dialect = "text" | "latex";

const SUBSCRIPT: Readonly<Record<string, string>> = Object.fromEntries(
  [..."0123456789+-=()aehijklmnoprstuvx,"].map((c, i) => [c, [..."₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ,"][i]!]),
);
const SUPERSCRIPT: Readonly<Record<string, string>> = Object.fromEntries([..."0123456789+-=()in"].map((c, i) => [c, [..."⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ"][i]!]));

function script(text: string, table: Readonly<Record<string, string>>, fallback: string): string {
  const chars = [...text];
  return chars.every((c) => c in table) ? chars.map((c) => table[c]).join("") : `${fallback}${text.length > 1 ? `{${text}}` : text}`;
}

const GREEK_NAMES = [
  "alpha",
  "beta",
  "gamma",
  "delta",
  "epsilon",
  "zeta",
  "eta",
  "theta",
  "iota",
  "kappa",
  "lambda",
  "mu",
  "nu",
  "xi",
  "omicron",
  "pi",
  "rho",
  "sigma",
  "tau",
  "upsilon",
  "phi",
  "chi",
  "psi",
  "omega",
];
/** Greek letters and their LaTeX commands (math mode); capitals that look Latin have none. */
export const GREEK_LATEX: Readonly<Record<string, string>> = Object.fromEntries<string>([
  ...[..."αβγδεζηθικλμνξοπρστυφχψω"].map((c, i): [string, string] => [c, `\\${GREEK_NAMES[i]!}`]).filter(([c]) => c !== "ο"),
  ["ς", "\\varsigma"],
  ...[
    ["Γ", "Gamma"],
    ["Δ", "Delta"],
    ["Θ", "Theta"],
    ["Λ", "Lambda"],
    ["Ξ", "Xi"],
    ["Π", "Pi"],
    ["Σ", "Sigma"],
    ["Φ", "Phi"],
    ["Ψ", "Psi"],
    ["Ω", "Omega"],
  ].map(([c, n]): [string, string] => [c!, `\\${n!}`]),
]);
const GREEK = GREEK_LATEX;

const ACCENTS: Readonly<Record<string, string>> = { hat: "\u0302", tilde: "\u0303", bar: "\u0304", dot: "\u0307", vec: "\u20d7" };
const GREEK_COMMANDS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(GREEK).map(([letter, command]) => [command.slice(1), letter]));

/** A name written in LaTeX (`\hat{y}`, `\theta`) as Unicode text (ŷ, θ); other text is kept. */
function textOfLatex(text: string): string {
  return text
    .replace(/\\(hat|tilde|bar|dot|vec)\{([^{}])\}/g, (_, accent: string, letter: string) => letter + ACCENTS[accent]!)
    .replace(/\\([A-Za-z]+)/g, (whole, command: string) => GREEK_COMMANDS[command] ?? whole);
}

/**
 * LaTeX from a name, with only the commands names may use (problem/notation-names.ts)
 * kept: any other command and the characters that end math or start a comment
 * are written as visible text. Names are checked when read; this holds for
 * names made in code as well.
 */
export function safeLatex(text: string): string {
  return text
    .replace(/\\([A-Za-z]+|.?)/g, (whole, command: string) =>
      NAME_COMMANDS.has(command) ? whole : `\\backslash{}${/^[A-Za-z]+$/.test(command) ? `\\mathrm{${command}}` : ""}`,
    )
    .replace(/[$%#&~]/g, (c) => `\\${c === "~" ? "sim" : c}${c === "~" ? " " : ""}`);
}

function latexWord(text: string): string {
  // Written in LaTeX already (\hat{A}, \theta): kept, with only the commands a name may use.
  if (text.includes("\\")) return safeLatex(text);
  if (text in GREEK) return GREEK[text]!;
  const escaped = [...text].map((c) => GREEK[c] ?? (/[#$%&_{}]/.test(c) ? `\\${c}` : c)).join("");
  // Several letters read as one word (net, out), not as a product of variables.
  return /^[A-Za-z]{2,}$/.test(text) ? `\\mathrm{${escaped}}` : escaped;
}

/** A name in one dialect: w⁽²⁾₁₂ or w^{(2)}_{12}; ∂E/∂w₇ or \frac{\partial E}{\partial w_{7}}. */
export function renderName(name: Name, dialect: Dialect): string {
  if (name.kind === "partial") {
    const of = renderName(name.of, dialect),
      wrt = renderName(name.wrt, dialect);
    return dialect === "text" ? `∂${of}/∂${wrt}` : `\\frac{\\partial ${of}}{\\partial ${wrt}}`;
  }
  const sample = name.sample === undefined ? "" : `[${name.sample}]`;
  if (name.kind === "applied") {
    const fn = dialect === "text" ? name.fn : latexWord(name.fn);
    return `${fn}(${renderName(name.arg, dialect)})${sample}`;
  }
  if (dialect === "text") {
    const sup = name.sup === undefined ? "" : script(textOfLatex(name.sup), SUPERSCRIPT, "^");
    const sub = name.sub === undefined ? "" : script(textOfLatex(name.sub), SUBSCRIPT, "_");
    return `${textOfLatex(name.base)}${sup}${sub}${sample}`;
  }
  const sub = name.sub === undefined ? "" : `_{${latexWord(name.sub)}}`;
  const sup = name.sup === undefined ? "" : `^{${safeLatex(name.sup)}}`;
  return `${latexWord(name.base)}${sub}${sup}${sample}`;
}
