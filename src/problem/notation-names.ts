import type { JsonPath } from "../json-path.js";
import type { NotationSpec } from "./problem.js";
import { english, type Say } from "../i18n/translate.js";
import { issueAt, type Issue } from "./schema-issues.js";

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
  return nameProblem(text)?.(english);
}

/** What may stand in a name, as the messages show it. */
const NAME_EXAMPLES = { greek: "\\theta", accent: "\\hat{y}", unicode: "θ, ŷ" };

/** Why `text` is not a name gradstep typesets, in any language; undefined when it is one. */
function nameProblem(text: string): Say | undefined {
  if (text.length > MAX_NAME_LENGTH) return (t) => t.text("name.tooLong", { length: text.length, max: MAX_NAME_LENGTH });
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\") {
      const command = /^[A-Za-z]+/.exec(text.slice(i + 1))?.[0];
      if (command === undefined) return (t) => t.text("name.backslash", NAME_EXAMPLES);
      if (!NAME_COMMANDS.has(command)) return (t) => t.text("name.command", { command: `\\${command}`, ...NAME_EXAMPLES });
      i += command.length;
    } else if (c === "{") {
      depth++;
    } else if (c === "}") {
      if (--depth < 0) return (t) => t.text("name.unopenedBrace", { brace: "'}'" });
    } else if (!ALLOWED.test(c)) {
      return (t) => t.text("name.character", { character: JSON.stringify(c), example: "w_{11}^{(1)}", marks: "( ) [ ] , . ' * + - = / | :" });
    }
  }
  if (depth > 0) return (t) => t.text("name.unclosedBrace", { brace: "'{'" });
  if (/[_^]$/.test(text) || /[_^][_^]/.test(text)) return (t) => t.text("name.danglingScript");
  return undefined;
}

/** The first name of a notation block that is not safe to typeset, with its path. */
export function notationNameIssue(notation: NotationSpec | undefined, base: JsonPath = ["notation"]): Issue | undefined {
  if (!notation) return undefined;
  const walk = (value: unknown, path: JsonPath): Issue | undefined => {
    if (typeof value === "string") {
      const issue = nameProblem(value);
      const name = JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
      return issue === undefined ? undefined : issueAt(path, (t) => t.text("error.badName", { name, issue: issue(t) }));
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
