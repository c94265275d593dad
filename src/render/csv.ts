import { Notation } from "../explain/notation.js";
import { computedQuantities, givenQuantities } from "../explain/order.js";
import { pathOf, Values } from "../explain/quantity.js";
import { formatPath } from "../json-path.js";
import type { Problem } from "../problem/problem.js";
import type { Trace } from "../solve/trace.js";
import { renderName } from "../explain/name-writing.js";
import { english, type Translator } from "../i18n/translate.js";

/** RFC 4180 line ends: CRLF after every record, the last included. */
const EOL = "\r\n";

/** A number as JavaScript writes it; a spreadsheet reads it as a number, never as a formula. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$|^-?Infinity$|^NaN$/;

/**
 * A cell a spreadsheet would run as a formula (it starts with =, +, -, @, a
 * tab or a carriage return) prefixed with an apostrophe, as OWASP advises for
 * CSV injection; numbers are left as they are.
 */
export function defuseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !NUMBER.test(text) ? `'${text}` : text;
}

/**
 * A field as RFC 4180 writes it: quoted, with quotes doubled, only when it
 * holds a comma, quote or line break; never a formula (`defuseFormula`).
 */
export function csvField(text: string): string {
  const cell = defuseFormula(text);
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * Every number of a solved exercise, one row each (`path,name,value`): the
 * given quantities (inputs, targets, η, initial parameters) by their problem
 * path, then every computed quantity in solution order by its trace path.
 * Names are the exercise's notation in plain Unicode (∂L/∂w⁽²⁾₁₁); values
 * are full float64, in JavaScript's shortest round-trip form.
 */
export function renderCsv(problem: Problem, trace: Trace, options: { t?: Translator } = {}): string {
  const t = options.t ?? english;
  const notation = new Notation(problem);
  const values = new Values(problem, trace);
  const rows = [...givenQuantities(problem), ...computedQuantities(problem)].map((q) =>
    [formatPath(pathOf(problem, q)), renderName(notation.name(q), "text"), String(values.of(q))].map(csvField).join(","),
  );
  const header = [t.text("csv.path"), t.text("csv.name"), t.text("csv.value")].map(csvField).join(",");
  return [header, ...rows].map((row) => row + EOL).join("");
}
