import type { JsonPath } from "../json-path.js";
import type { NotationSpec } from "./problem.js";

/**
 * Names an exercise gives its quantities go into LaTeX documents, Markdown,
 * MathML and spreadsheets, so they are held to a small, safe part of LaTeX
 * when the problem is read: letters in any script, digits, sub- and
 * superscripts with balanced braces, a few punctuation marks, and only the
 * commands of Greek letters and accents (`\theta`, `\hat{y}`). No `\input`,
 * `\write18`, `$` or `%` ever reaches a renderer.
 */

const GREEK = [
  "alpha",
  "beta",
  "gamma",
  "delta",
  "epsilon",
  "varepsilon",
  "zeta",
  "eta",
  "theta",
  "vartheta",
  "iota",
  "kappa",
  "lambda",
  "mu",
  "nu",
  "xi",
  "pi",
  "varpi",
  "rho",
  "varrho",
  "sigma",
  "varsigma",
  "tau",
  "upsilon",
  "phi",
  "varphi",
  "chi",
  "psi",
  "omega",
  "Gamma",
  "Delta",
  "Theta",
  "Lambda",
  "Xi",
  "Pi",
  "Sigma",
  "Upsilon",
  "Phi",
  "Psi",
  "Omega",
];
/** The commands a name may use. */
export const NAME_COMMANDS: ReadonlySet<string> = new Set([...GREEK, "hat", "tilde", "bar", "dot", "vec", "prime", "ell", "partial"]);

/** The longest name: a name labels one number. */
export const MAX_NAME_LENGTH = 64;

const ALLOWED = /^[\p{L}\p{M}\p{N}_^{}()[\],.'*+\-=/|: ]$/u;

/** Why `text` is not a name gradstep typesets, or undefined when it is one. */
export function nameIssue(text: string): string | undefined {
  if (text.length > MAX_NAME_LENGTH) return `is ${text.length} characters long; a name has at most ${MAX_NAME_LENGTH}`;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\") {
      const command = /^[A-Za-z]+/.exec(text.slice(i + 1))?.[0];
      if (command === undefined || !NAME_COMMANDS.has(command)) {
        return `uses ${command === undefined ? "a backslash" : `the command \\${command}`}; a name may use only Greek letters (\\theta) and accents (\\hat{y}), or write them as Unicode (θ, ŷ)`;
      }
      i += command.length;
    } else if (c === "{") {
      depth++;
    } else if (c === "}") {
      if (--depth < 0) return "closes a brace '}' it did not open";
    } else if (!ALLOWED.test(c)) {
      return `holds ${JSON.stringify(c)}; a name is letters, digits, sub- and superscripts (w_{11}^{(1)}) and ( ) [ ] , . ' * + - = / | :`;
    }
  }
  if (depth > 0) return "opens a brace '{' it does not close";
  if (/[_^]$/.test(text) || /[_^][_^]/.test(text)) return "has a _ or ^ with nothing after it";
  return undefined;
}

/** The first name of a notation block that is not safe to typeset, with its path. */
export function notationNameIssue(notation: NotationSpec | undefined, base: JsonPath = ["notation"]): { path: JsonPath; detail: string } | undefined {
  if (!notation) return undefined;
  const walk = (value: unknown, path: JsonPath): { path: JsonPath; detail: string } | undefined => {
    if (typeof value === "string") {
      const issue = nameIssue(value);
      return issue === undefined ? undefined : { path, detail: `the name ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)} ${issue}` };
    }
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) {
        const found = walk(item, [...path, i]);
        if (found) return found;
      }
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const found = walk(item, [...path, key]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(notation, base);
}
