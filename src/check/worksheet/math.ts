/**
 * The math of a worksheet read through KaTeX's parser (the one the page
 * typesets with) into terms: numbers as written, names with their
 * subscripts and superscripts, derivatives, arithmetic, functions and
 * matrices. KaTeX gives the structure (fractions, scripts, environments,
 * groups); this module reads its tree as arithmetic.
 */
import { GREEK_LATEX } from "../../explain/name-writing.js";
import { ACTIVATION_RULES, ELEMENTWISE_NAMES } from "../../rules/activations.js";

/** The parts of KaTeX's parse tree this reader looks at (`katex.__parse`). */
export interface KatexNode {
  readonly type: string;
  readonly loc?: { readonly start: number; readonly end: number };
  readonly text?: string;
  readonly family?: string;
  readonly body?: KatexNode | readonly KatexNode[] | readonly (readonly KatexNode[])[];
  readonly base?: KatexNode | null;
  readonly sup?: KatexNode | null;
  readonly sub?: KatexNode | null;
  readonly numer?: KatexNode;
  readonly denom?: KatexNode;
  readonly hasBarLine?: boolean;
  readonly label?: string;
  readonly name?: string;
  readonly font?: string;
  readonly left?: string;
  readonly right?: string;
  readonly dimension?: { readonly number: number; readonly unit: string };
}

export type KatexParse = (latex: string, settings: Record<string, unknown>) => KatexNode[];

/** A name as written: `w_{1,1}^{(1)}`, `\hat{y}`, `net_{h1}`, `w_5'`. */
export interface NameRef {
  readonly base: string;
  readonly sub: string;
  readonly sup: string;
  readonly accent: string;
  /** Prime marks: w′ is often the updated w. */
  readonly primes: number;
  readonly bold: boolean;
}

export type Term =
  | { readonly kind: "num"; readonly value: number; readonly text: string; readonly decimals: number }
  | { readonly kind: "name"; readonly name: NameRef }
  /** ∂of/∂wrt, d of/d wrt. */
  | { readonly kind: "deriv"; readonly of: Term; readonly wrt: Term }
  /** ∇_w E, dw, w_grad: the loss's gradient by `wrt`. */
  | { readonly kind: "grad"; readonly wrt: Term }
  | { readonly kind: "partial"; readonly arg: Term }
  | { readonly kind: "op"; readonly op: "+" | "-" | "*" | "/"; readonly left: Term; readonly right: Term }
  | { readonly kind: "neg"; readonly arg: Term }
  | { readonly kind: "pow"; readonly base: Term; readonly exp: Term }
  | { readonly kind: "call"; readonly fn: string; readonly args: readonly Term[] }
  | { readonly kind: "matrix"; readonly rows: readonly (readonly Term[])[] }
  | { readonly kind: "transpose"; readonly arg: Term }
  | { readonly kind: "unknown"; readonly text: string };

/** A relation between the members of a chain. */
export type Relation = "=" | "≈" | "←";

/** One equation chain, `m₀ r₁ m₁ r₂ m₂ …`, with where it stands in the span's LaTeX. */
export interface Chain {
  readonly members: readonly Term[];
  readonly relations: readonly Relation[];
  readonly start: number;
  readonly end: number;
  /** Where the last member starts: the number that is checked. */
  readonly valueStart: number;
}

const GREEK_LETTER: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(GREEK_LATEX).map(([letter, command]) => [command, letter]));

/** The rules table's activations by their names and symbols in any case: GELU, gelu, SiLU, swish, LReLU, leaky_relu. */
const TABLE_FUNCTIONS: Readonly<Record<string, string>> = Object.fromEntries(
  ELEMENTWISE_NAMES.filter((name) => name !== "identity").flatMap((name) => {
    const written = [name, name.replace("_", ""), ACTIVATION_RULES[name].symbol.text, ...(name === "silu" ? ["swish"] : [])];
    return written.flatMap((w) => [w, w.toLowerCase(), w.toUpperCase()]).map((w) => [w, name]);
  }),
);

/** Functions a worksheet applies to numbers, by every name it may be written with. */
export const FUNCTIONS: Readonly<Record<string, string>> = {
  ...TABLE_FUNCTIONS,
  "\\sigma": "sigmoid",
  σ: "sigmoid",
  sigmoid: "sigmoid",
  sig: "sigmoid",
  sgm: "sigmoid",
  logistic: "sigmoid",
  "\\tanh": "tanh",
  tanh: "tanh",
  "\\exp": "exp",
  exp: "exp",
  "\\ln": "ln",
  ln: "ln",
  "\\log": "ln",
  log: "ln",
  relu: "relu",
  ReLU: "relu",
  RELU: "relu",
  Relu: "relu",
  "\\max": "max",
  max: "max",
  "\\min": "min",
  min: "min",
  sqrt: "sqrt",
};

/** Characters OCR and keyboards put where LaTeX has a command; KaTeX reads these. */
const CHARACTERS: Readonly<Record<string, string>> = {
  "−": "-",
  "–": "-",
  "·": "\\cdot ",
  "⋅": "\\cdot ",
  "∗": "*",
  "÷": "\\div ",
  "≔": ":=",
  "→": "\\to ",
  "≈": "\\approx ",
  "∂": "\\partial ",
  "∇": "\\nabla ",
  "′": "'",
  "’": "'",
  "，": ",",
  "（": "(",
  "）": ")",
  "：": ":",
  "＝": "=",
};

/** LaTeX with those characters replaced, and for each of its offsets the offset in the original. */
export function normalizeLatex(latex: string): { text: string; origin: number[] } {
  let text = "";
  const origin: number[] = [];
  for (let i = 0; i < latex.length; i++) {
    const replacement = CHARACTERS[latex[i]!] ?? latex[i]!;
    text += replacement;
    for (let k = 0; k < replacement.length; k++) origin.push(i);
  }
  origin.push(latex.length);
  return { text, origin };
}

/** Parses LaTeX math with KaTeX, leniently: unknown commands are kept as text, a stray `&` or `\\` read as aligned rows. */
export function parseLatex(parse: KatexParse, latex: string, display: boolean): KatexNode[] {
  const settings = { throwOnError: false, strict: "ignore", displayMode: display, trust: false };
  try {
    return parse(latex, settings);
  } catch (first) {
    // w^{(1)}': a prime after a superscript, which LaTeX calls a double superscript; moved before it, lengths kept.
    const primed = latex.replace(/(\^(?:\{[^{}]*\}|[^{\s]))('+)/g, (_, sup: string, primes: string) => primes + sup);
    if (primed !== latex) {
      try {
        return parse(primed, settings);
      } catch {
        // Read as rows below, or reported.
      }
    }
    if (!/&|\\\\/.test(latex)) throw first;
    const rows = latex.split(/\\\\/).map((row) => row.replace(/&/g, " "));
    // Each row parsed alone; lengths kept so that offsets still point into the span.
    const nodes: KatexNode[] = [];
    let offset = 0;
    for (const row of rows) {
      const parsed = parse(row, settings);
      nodes.push(...parsed.map((n) => shift(n, offset)), { type: "cr", loc: { start: offset + row.length, end: offset + row.length + 2 } });
      offset += row.length + 2;
    }
    return nodes;
  }
}

function shift(node: KatexNode, by: number): KatexNode {
  if (by === 0) return node;
  const copy: Record<string, unknown> = { ...node };
  for (const [key, value] of Object.entries(node)) {
    if (key !== "loc" && !(CHILD_KEYS as readonly string[]).includes(key)) continue;
    if (key === "loc" && value) copy.loc = { start: (value as { start: number }).start + by, end: (value as { end: number }).end + by };
    else if (Array.isArray(value))
      copy[key] = value.map((v: unknown) =>
        Array.isArray(v) ? v.map((w) => shift(w as KatexNode, by)) : v && typeof v === "object" ? shift(v as KatexNode, by) : v,
      );
    else if (value && typeof value === "object" && "type" in value) copy[key] = shift(value as KatexNode, by);
  }
  return copy as unknown as KatexNode;
}

function children(node: KatexNode | null | undefined): KatexNode[] {
  if (!node) return [];
  const body = ["ordgroup", "styling", "sizing", "text", "font", "mclass", "operatorname", "htmlmathml", "color", "leftright", "sqrt"].includes(node.type)
    ? node.body
    : [node];
  if (body === undefined) return [];
  // Groups are unwrapped, except {,}: the decimal comma of German typesetting.
  return Array.isArray(body) ? (body as KatexNode[]).flatMap((n) => (n.type === "ordgroup" && flatText(n) !== "," ? children(n) : [n])) : [body as KatexNode];
}

/** The plain text of a subtree (`{(1)}` → `(1)`, `\mathrm{net}` → `net`, `\eta` → `η`). */
export function flatText(node: KatexNode | null | undefined): string {
  if (!node) return "";
  if (node.type === "supsub") return `${flatText(node.base)}${node.sub ? `_${flatText(node.sub)}` : ""}${node.sup ? `^${flatText(node.sup)}` : ""}`;
  if (node.type === "accent") return `${(node.label ?? "").replace("\\", "")}:${flatText(node.base)}`;
  if (node.type === "op") return (node.name ?? "").replace("\\", "");
  if (node.type === "genfrac") return `${flatText(node.numer)}/${flatText(node.denom)}`;
  if (node.type === "leftright") return `${node.left ?? ""}${children(node).map(flatText).join("")}${node.right ?? ""}`;
  if (node.text !== undefined) return node.text === "\\_" ? "_" : node.text === "\\prime" ? "'" : (GREEK_LETTER[node.text] ?? node.text.replace(/^\\/, ""));
  const body = node.body;
  return Array.isArray(body) ? (body as KatexNode[]).map(flatText).join("") : body && typeof body === "object" ? flatText(body as KatexNode) : "";
}

type Token =
  | { readonly t: "term"; readonly term: Term; readonly start: number; readonly end: number; readonly word?: boolean }
  | { readonly t: "op"; readonly op: "+" | "-" | "*" | "/"; readonly start: number; readonly end: number }
  | {
      readonly t: "open" | "close" | "comma" | "partial" | "fn" | "sep" | "rel" | "other";
      readonly text: string;
      readonly start: number;
      readonly end: number;
    };

const BIN: Readonly<Record<string, "+" | "-" | "*" | "/">> = {
  "+": "+",
  "-": "-",
  "\\times": "*",
  "×": "*",
  "\\cdot": "*",
  "*": "*",
  "\\ast": "*",
  "\\div": "/",
  "/": "/",
  "\\cdotp": "*",
  "\\bullet": "*",
};
const RELATIONS: Readonly<Record<string, Relation>> = {
  "=": "=",
  "\\approx": "≈",
  "\\simeq": "≈",
  "\\doteq": "≈",
  "\\leftarrow": "←",
  "\\gets": "←",
  "←": "←",
  "\\coloneqq": "←",
  "\\Leftarrow": "←",
  "\\longleftarrow": "←",
};
const ACCENTS = new Set(["\\hat", "\\tilde", "\\bar", "\\widehat", "\\widetilde", "\\overline", "\\vec", "\\dot"]);

function isDigit(node: KatexNode): boolean {
  return node.type === "textord" && /^[0-9]$/.test(node.text ?? "");
}

function isLetter(node: KatexNode): boolean {
  return node.type === "mathord" && /^[A-Za-z]$/.test(node.text ?? "");
}

const emptyName = (base: string): NameRef => ({ base, sub: "", sup: "", accent: "", primes: 0, bold: false });

/** A name from a script's base: a letter, a Greek letter, \mathrm{net}, \hat{y}, \mathbf{W}. */
function nameOf(node: KatexNode | null | undefined): NameRef | undefined {
  if (!node) return undefined;
  if (node.type === "mathord" || (node.type === "textord" && /^[^0-9.]/.test(node.text ?? "") && node.text !== "\\partial" && node.text !== "\\nabla")) {
    return emptyName(GREEK_LETTER[node.text ?? ""] ?? node.text ?? "");
  }
  if (node.type === "accent" && ACCENTS.has(node.label ?? "")) {
    const inner = nameOf(node.base);
    return inner && { ...inner, accent: (node.label ?? "").replace(/^\\(wide)?/, "").replace("overline", "bar") };
  }
  if (node.type === "font" || node.type === "text" || node.type === "ordgroup" || node.type === "styling" || node.type === "mclass") {
    const inner = children(node);
    const bold = node.type === "font" && /bf|bold|bm/.test(node.font ?? "");
    if (inner.length === 1) {
      const one = nameOf(inner[0]);
      return one && { ...one, bold: one.bold || bold };
    }
    const text = inner.map(flatText).join("");
    return /^[A-Za-z]+$/.test(text) ? { ...emptyName(text), bold } : undefined;
  }
  if (node.type === "supsub") return scripted(node);
  return undefined;
}

/** Scripts on a name: `w_{5}^{(1)}`, `w'`. */
function scripted(node: KatexNode): NameRef | undefined {
  const base = nameOf(node.base);
  if (!base) return undefined;
  let sup = flatText(node.sup);
  const primes = (/^'+/.exec(sup)?.[0].length ?? 0) + base.primes;
  sup = sup.replace(/^'+/, "");
  return { ...base, sub: [base.sub, flatText(node.sub)].filter((s) => s !== "").join(","), sup: [base.sup, sup].filter((s) => s !== "").join(","), primes };
}

function span(node: KatexNode, fallback: number): { start: number; end: number } {
  const loc = node.loc ?? firstLoc(node);
  return loc ? { start: loc.start, end: loc.end } : { start: fallback, end: fallback };
}

const CHILD_KEYS = ["body", "base", "sup", "sub", "numer", "denom"] as const;

function firstLoc(node: KatexNode): { start: number; end: number } | undefined {
  let start = Infinity,
    end = -Infinity;
  const visit = (n: unknown) => {
    if (!n || typeof n !== "object") return;
    if (Array.isArray(n)) {
      n.forEach(visit);
      return;
    }
    const k = n as KatexNode;
    if (k.loc) {
      start = Math.min(start, k.loc.start);
      end = Math.max(end, k.loc.end);
      return;
    }
    for (const key of CHILD_KEYS) visit(k[key]);
  };
  visit(node);
  return start === Infinity ? undefined : { start, end };
}

/** Reads a list of KaTeX nodes into tokens, numbers and names assembled from their characters. */
function tokenize(nodes: readonly KatexNode[]): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const last = () => tokens[tokens.length - 1];
  for (let k = 0; k < nodes.length; k++) {
    const node = nodes[k]!;
    const { start, end } = span(node, at);
    at = end;
    const previous = last();
    const adjacent = previous !== undefined && previous.end === start;
    // Digits and points, run together: one number as written.
    if (isDigit(node) || (node.type === "textord" && node.text === "." && isDigit(nodes[k + 1] ?? { type: "" }))) {
      if (previous?.t === "term" && previous.term.kind === "num" && adjacent) {
        tokens[tokens.length - 1] = { ...previous, term: number(previous.term.text + node.text!), end };
        continue;
      }
      // OCR and keyboards: h1, w7 for h₁, w₇.
      if (previous?.t === "term" && previous.term.kind === "name" && adjacent && previous.word && node.text !== "." && previous.term.name.sup === "") {
        const name = previous.term.name;
        tokens[tokens.length - 1] = { ...previous, term: { kind: "name", name: { ...name, sub: name.sub + node.text! } }, end };
        continue;
      }
      tokens.push({ t: "term", term: number(node.text!), start, end });
      continue;
    }
    // A decimal comma, 0{,}5 or 0,3775.
    const comma = (node.type === "ordgroup" && flatText(node) === ",") || (node.type === "atom" && node.text === "," && adjacent);
    if (comma && previous?.t === "term" && previous.term.kind === "num" && !previous.term.text.includes(".") && nodes[k + 1] && isDigit(nodes[k + 1]!)) {
      const next = nodes[k + 1]!;
      const nextStart = span(next, end).start;
      const digitsAfter = nodes.slice(k + 1).findIndex((n) => !isDigit(n));
      if (node.type === "ordgroup" || (nextStart === end && (previous.term.text === "0" || digitsAfter < 0 || digitsAfter >= 3))) {
        tokens[tokens.length - 1] = { ...previous, term: number(`${previous.term.text}.`), end: nextStart };
        at = nextStart;
        continue;
      }
    }
    if (node.type === "atom") {
      const text = node.text ?? "";
      if (node.family === "bin" && BIN[text]) tokens.push({ t: "op", op: BIN[text], start, end });
      else if (node.family === "rel") {
        if (text === ":" && nodes[k + 1]?.text === "=") {
          tokens.push({ t: "rel", text: "←", start, end: span(nodes[k + 1]!, end).end });
          k++;
        } else if (text === "=" && nodes[k + 1]?.text === ":") {
          tokens.push({ t: "rel", text: "=", start, end: span(nodes[k + 1]!, end).end });
          k++;
        } else tokens.push({ t: "rel", text: RELATIONS[text] ?? text, start, end });
      } else if (node.family === "open") tokens.push({ t: "open", text, start, end });
      else if (node.family === "close") tokens.push({ t: "close", text, start, end });
      else if (node.family === "punct") tokens.push({ t: text === ";" ? "sep" : "comma", text, start, end });
      else tokens.push({ t: "other", text, start, end });
      continue;
    }
    if (node.type === "textord" && node.text === ".") {
      tokens.push({ t: "other", text: ".", start, end });
      continue;
    }
    if (node.type === "textord" && (node.text === "/" || node.text === "*")) {
      tokens.push({ t: "op", op: node.text, start, end });
      continue;
    }
    if (node.type === "textord" && node.text === "\\partial") {
      tokens.push({ t: "partial", text: "∂", start, end });
      continue;
    }
    if (node.type === "textord" && (node.text === "|" || node.text === "\\vert")) {
      tokens.push({ t: "other", text: "|", start, end });
      continue;
    }
    if (node.type === "kern" || node.type === "spacing" || node.type === "cr" || node.type === "tag") {
      const wide =
        node.type === "cr" ||
        (node.type === "kern" && (node.dimension?.number ?? 0) >= 1 && node.dimension?.unit === "em") ||
        node.text === "\\quad" ||
        node.text === "\\qquad";
      if (wide) tokens.push({ t: "sep", text: node.type === "cr" ? "\\\\" : "\\quad", start, end });
      continue;
    }
    if (node.type === "op" || node.type === "operatorname" || ((node.type === "text" || node.type === "font") && FUNCTIONS[flatText(node)] !== undefined)) {
      const name = node.type === "op" ? (node.name ?? "") : flatText(node);
      const fn = FUNCTIONS[name] ?? FUNCTIONS[name.replace("\\", "")];
      if (fn) tokens.push({ t: "fn", text: fn, start, end });
      else if (node.type === "operatorname") tokens.push({ t: "term", term: { kind: "name", name: emptyName(name) }, start, end, word: true });
      else tokens.push({ t: "other", text: name, start, end });
      continue;
    }
    if (node.type === "text") {
      const text = flatText(node).trim();
      if (/^[A-Za-z]+$/.test(text)) tokens.push({ t: "term", term: { kind: "name", name: emptyName(text) }, start, end, word: true });
      else tokens.push({ t: "sep", text, start, end });
      continue;
    }
    if (
      isLetter(node) &&
      previous?.t === "term" &&
      previous.word &&
      adjacent &&
      previous.term.kind === "name" &&
      previous.term.name.sub === "" &&
      previous.term.name.sup === "" &&
      previous.term.name.accent === ""
    ) {
      tokens[tokens.length - 1] = { ...previous, term: { kind: "name", name: { ...previous.term.name, base: previous.term.name.base + node.text! } }, end };
      continue;
    }
    if (node.type === "supsub") {
      const token = scriptToken(node, previous, adjacent, start, end);
      if (token.replacePrevious) tokens[tokens.length - 1] = token.token;
      else tokens.push(token.token);
      continue;
    }
    const term = termOf(node);
    tokens.push({ t: "term", term, start, end, word: isLetter(node) || node.type === "font" });
  }
  return tokens;
}

function number(text: string): Term {
  const decimals = text.includes(".") ? text.length - text.indexOf(".") - 1 : 0;
  return { kind: "num", value: Number(text), text, decimals };
}

function scriptToken(node: KatexNode, previous: Token | undefined, adjacent: boolean, start: number, end: number): { token: Token; replacePrevious: boolean } {
  const base = node.base;
  const supText = flatText(node.sup);
  // 1.2 \times 10^{-3}: the exponent sits on the last digit.
  if (base && isDigit(base) && previous?.t === "term" && previous.term.kind === "num" && adjacent && node.sup) {
    const whole = number(previous.term.text + base.text!);
    return { token: { ...previous, term: { kind: "pow", base: whole, exp: parseTerm(children(node.sup)) }, end }, replacePrevious: true };
  }
  // ∇_w E: the gradient with respect to the subscript.
  if (base?.type === "textord" && base.text === "\\nabla" && node.sub)
    return { token: { t: "term", term: { kind: "grad", wrt: parseTerm(children(node.sub)) }, start, end }, replacePrevious: false };
  // A word's last letter carries the scripts: net_{h1}, E_{total}.
  if (
    base &&
    isLetter(base) &&
    previous?.t === "term" &&
    previous.word &&
    adjacent &&
    previous.term.kind === "name" &&
    previous.term.name.sub === "" &&
    previous.term.name.sup === "" &&
    previous.term.name.accent === ""
  ) {
    const own = scripted(node)!;
    return { token: { ...previous, term: { kind: "name", name: { ...own, base: previous.term.name.base + own.base } }, end }, replacePrevious: true };
  }
  const name = scripted(node);
  if (name && !(base?.type === "mathord" && base.text === "e" && node.sup && !node.sub))
    return { token: { t: "term", term: { kind: "name", name }, start, end, word: false }, replacePrevious: false };
  const inner = termOf(base ?? { type: "ordgroup", body: [] });
  if (supText === "T" || supText === "\\top" || supText === "top" || supText === "⊤" || supText === "intercal")
    return { token: { t: "term", term: { kind: "transpose", arg: inner }, start, end }, replacePrevious: false };
  const exponent = parseTerm(children(node.sup));
  const term: Term =
    base?.type === "mathord" && base.text === "e"
      ? { kind: "call", fn: "exp", args: [exponent] }
      : node.sup
        ? { kind: "pow", base: inner, exp: exponent }
        : inner;
  return { token: { t: "term", term, start, end }, replacePrevious: false };
}

/** One KaTeX node read as a term. */
function termOf(node: KatexNode): Term {
  switch (node.type) {
    case "genfrac": {
      const numer = children(node.numer),
        denom = children(node.denom);
      if (node.hasBarLine === false) return { kind: "unknown", text: flatText(node) };
      const d = (nodes: KatexNode[]) =>
        nodes.length > 1 &&
        ((nodes[0]!.type === "textord" && nodes[0]!.text === "\\partial") ||
          (nodes[0]!.type === "mathord" && nodes[0]!.text === "d") ||
          flatText(nodes[0]) === "d");
      if (d(numer) && d(denom)) return { kind: "deriv", of: parseTerm(numer.slice(1)), wrt: parseTerm(denom.slice(1)) };
      // d written together with its letter: \frac{dE}{dw}.
      if (numer.length === 1 && denom.length >= 1 && /^d./.test(flatText(numer[0])) && /^d./.test(flatText(denom[0]))) {
        const strip = (n: KatexNode[]) => parseTerm([{ ...n[0]!, ...(n[0]!.type === "supsub" ? {} : { text: flatText(n[0]).slice(1) }) }, ...n.slice(1)]);
        if (numer[0]!.type !== "supsub" && denom[0]!.type !== "supsub") return { kind: "deriv", of: strip(numer), wrt: strip(denom) };
      }
      return { kind: "op", op: "/", left: parseTerm(numer), right: parseTerm(denom) };
    }
    case "sqrt":
      return { kind: "call", fn: "sqrt", args: [parseTerm(children(node))] };
    case "leftright": {
      const body = children(node);
      if (body.length === 1 && body[0]!.type === "array") return matrixOf(body[0]!);
      const inner = parseTerm(body);
      return node.left === "|" || node.left === "\\vert" || node.left === "\\lvert" ? { kind: "call", fn: "abs", args: [inner] } : inner;
    }
    case "array":
      return matrixOf(node);
    case "ordgroup":
    case "styling":
    case "sizing":
    case "mclass":
    case "htmlmathml": {
      const body = children(node);
      return body.length === 0 ? { kind: "unknown", text: "" } : parseTerm(body);
    }
    default: {
      const name = nameOf(node);
      return name ? { kind: "name", name } : { kind: "unknown", text: flatText(node) };
    }
  }
}

function matrixOf(node: KatexNode): Term {
  const rows = (node.body as readonly (readonly KatexNode[])[])
    .map((row) => row.map((cell) => parseTerm(children(cell))))
    .filter((row) => !(row.length === 1 && row[0]!.kind === "unknown" && row[0].text === ""));
  return { kind: "matrix", rows };
}

/** Arithmetic over tokens, by precedence; juxtaposition multiplies (η·∂E/∂w written η \frac{…}{…}). */
class Parser {
  private k = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  done(): boolean {
    return this.k >= this.tokens.length;
  }

  private peek(): Token | undefined {
    return this.tokens[this.k];
  }

  expression(): Term {
    let left = this.product();
    for (let t = this.peek(); t?.t === "op" && (t.op === "+" || t.op === "-"); t = this.peek()) {
      this.k++;
      left = { kind: "op", op: t.op, left, right: this.product() };
    }
    return left;
  }

  private startsPrimary(t: Token | undefined): boolean {
    return t !== undefined && (t.t === "term" || t.t === "open" || t.t === "fn" || t.t === "partial");
  }

  private product(): Term {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t?.t === "op" && (t.op === "*" || t.op === "/")) {
        this.k++;
        const right = this.unary();
        left =
          t.op === "/" && left.kind === "partial" && right.kind === "partial"
            ? { kind: "deriv", of: left.arg, wrt: right.arg }
            : { kind: "op", op: t.op, left, right };
      } else if (this.startsPrimary(t) && !(left.kind === "num" && t?.t === "term" && t.term.kind === "num")) {
        left = { kind: "op", op: "*", left, right: this.unary() };
      } else return left;
    }
  }

  private unary(): Term {
    const t = this.peek();
    if (t?.t === "op" && (t.op === "-" || t.op === "+")) {
      this.k++;
      const arg = this.unary();
      return t.op === "-" ? (arg.kind === "num" ? { ...arg, value: -arg.value, text: `-${arg.text}` } : { kind: "neg", arg }) : arg;
    }
    return this.primary();
  }

  private primary(): Term {
    const t = this.peek();
    if (!t) return { kind: "unknown", text: "" };
    this.k++;
    switch (t.t) {
      case "term": {
        const next = this.peek();
        // f(s₁), σ(0.3775): a function applied to an argument in parentheses.
        if (t.term.kind === "name" && next?.t === "open" && next.text === "(" && next.start === t.end) {
          const args = this.arguments();
          const fn = FUNCTIONS[t.term.name.base] ?? FUNCTIONS[t.term.name.base.toLowerCase()];
          const arg = args.length === 1 && args[0]!.kind === "name" ? args[0].name : undefined;
          // f(s₁): a name in some notations (the activation of s₁), not a function applied to a number.
          if (!fn && arg && t.term.name.sub === "" && t.term.name.sup === "") {
            return {
              kind: "name",
              name: {
                base: `${t.term.name.base}(${arg.base}${arg.sub}${arg.sup ? `^${arg.sup}` : ""})`,
                sub: "",
                sup: "",
                accent: "",
                primes: arg.primes,
                bold: false,
              },
            };
          }
          return { kind: "call", fn: fn ?? t.term.name.base, args };
        }
        return t.term;
      }
      case "fn": {
        const next = this.peek();
        if (next?.t === "open") return { kind: "call", fn: t.text, args: this.arguments() };
        return { kind: "call", fn: t.text, args: [this.unary()] };
      }
      case "partial":
        return { kind: "partial", arg: this.primary() };
      case "open": {
        this.k--;
        const args = this.arguments();
        return args.length === 1 ? args[0]! : { kind: "unknown", text: "(…)" };
      }
      default:
        return { kind: "unknown", text: "text" in t ? t.text : t.op };
    }
  }

  /** `( a, b )`: the arguments of a call or a parenthesized expression. */
  private arguments(): Term[] {
    this.k++;
    const args: Term[] = [];
    for (;;) {
      args.push(this.expression());
      const t = this.peek();
      if (t?.t === "comma") {
        this.k++;
        continue;
      }
      if (t?.t === "close") this.k++;
      return args;
    }
  }
}

/** A list of nodes read as one term; anything left over makes it unknown. */
export function parseTerm(nodes: readonly KatexNode[]): Term {
  const tokens = tokenize(nodes);
  if (tokens.length === 0) return { kind: "unknown", text: "" };
  const parser = new Parser(tokens);
  const term = parser.expression();
  return parser.done() ? term : { kind: "unknown", text: nodes.map(flatText).join("") };
}

/**
 * The equation chains of one span: split at top-level separators (`\quad`,
 * `;`, `\\`, a comma before a new left side) and at relations. Rows of an
 * aligned environment that start with a relation continue the chain above.
 */
export function chainsOf(nodes: readonly KatexNode[]): Chain[] {
  const flat = nodes.flatMap((n) => (n.type === "array" && isAligned(n) ? alignedRows(n) : n.type === "ordgroup" && nodes.length === 1 ? children(n) : [n]));
  const tokens = tokenize(flat);
  const pieces: Token[][] = [[]];
  for (const token of tokens) {
    if (token.t === "sep") pieces.push([]);
    else pieces[pieces.length - 1]!.push(token);
  }
  // A row that starts with a relation (`&= 0.52`) continues the chain before it.
  const merged: Token[][] = [];
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    if (piece[0]!.t === "rel" && merged.length > 0) merged[merged.length - 1]!.push(...piece);
    else merged.push(piece);
  }
  return merged.flatMap(splitAtCommas).flatMap((piece) => {
    const members: Token[][] = [[]];
    const relations: Relation[] = [];
    for (const token of piece) {
      if (token.t === "rel") {
        relations.push(token.text === "≈" || token.text === "←" ? token.text : "=");
        members.push([]);
      } else members[members.length - 1]!.push(token);
    }
    if (relations.length === 0) return [];
    const terms = members.map(readMember);
    const lastTokens = members[members.length - 1]!;
    return [
      {
        members: terms,
        relations,
        start: piece[0]!.start,
        end: piece[piece.length - 1]!.end,
        valueStart: lastTokens[0]?.start ?? piece[piece.length - 1]!.end,
      },
    ];
  });
}

/** `z_1 = 0.5, a_1 = 0.62`: a comma at the top level followed by a new left side splits the chain. */
function splitAtCommas(piece: Token[]): Token[][] {
  const out: Token[][] = [[]];
  let depth = 0;
  for (let k = 0; k < piece.length; k++) {
    const token = piece[k]!;
    if (token.t === "open") depth++;
    if (token.t === "close") depth--;
    const restHasRelation = piece.slice(k + 1).some((t) => t.t === "rel");
    const current = out[out.length - 1]!;
    if (token.t === "comma" && depth === 0 && current.some((t) => t.t === "rel") && restHasRelation) out.push([]);
    else current.push(token);
  }
  return out;
}

function readMember(all: Token[]): Term {
  // Punctuation that ends a sentence or a list item is not part of the value: "= 0.3775," "= 0.52."
  let end = all.length;
  while (end > 0 && (all[end - 1]!.t === "comma" || all[end - 1]!.t === "other")) end--;
  const tokens = all.slice(0, end);
  if (tokens.length === 0) return { kind: "unknown", text: "" };
  const parser = new Parser(tokens);
  const term = parser.expression();
  return parser.done() ? term : { kind: "unknown", text: "…" };
}

function isAligned(node: KatexNode): boolean {
  return (node.body as readonly (readonly KatexNode[])[]).some((row) => row.some((cell) => JSON.stringify(cell).includes('"family":"rel"')));
}

/** An aligned environment's rows as one list, a line break between rows. */
function alignedRows(node: KatexNode): KatexNode[] {
  return (node.body as readonly (readonly KatexNode[])[]).flatMap((row, r) => [
    ...(r > 0 ? [{ type: "cr" } as KatexNode] : []),
    ...row.flatMap((cell) => children(cell)),
  ]);
}
