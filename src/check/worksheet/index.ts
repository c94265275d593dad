/**
 * Worksheet checking, loaded on demand: KaTeX's parser (the one the page
 * typesets with) is imported only when a worksheet is checked, so neither
 * the library's import nor the CLI's start pays for it.
 */
import type { Problem } from "../../problem/problem.js";
import type { Trace } from "../../solve/trace.js";
import type { KatexParse } from "./math.js";
import { checkWorksheet, type WorksheetCheck, type WorksheetOptions } from "./worksheet.js";

export type { WorksheetCheck, WorksheetItem, WorksheetOptions, WorksheetSource, NotUnderstood } from "./worksheet.js";
export { worksheetFormat, type WorksheetFormat } from "./scan.js";

export type WorksheetChecker = (problem: Problem, trace: Trace, text: string, options?: WorksheetOptions) => WorksheetCheck;

/** The worksheet checker, with KaTeX's parser loaded. */
export async function loadWorksheetChecker(): Promise<WorksheetChecker> {
  const katex = await import("katex");
  // KaTeX exports its parser as __parse: the tree it typesets, with the position of each symbol.
  const parse =
    (katex as unknown as { __parse?: KatexParse; default?: { __parse?: KatexParse } }).__parse ??
    (katex as unknown as { default: { __parse: KatexParse } }).default.__parse;
  return (problem, trace, text, options) => checkWorksheet(parse, problem, trace, text, options);
}
