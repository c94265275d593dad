import type { Solution } from "../explain/solution.js";
import { InputError } from "../input-error.js";
import type { Problem } from "../problem/problem.js";
import type { Trace } from "../solve/trace.js";
import type { HtmlOptions } from "./html.js";
import type { XlsxOptions } from "./xlsx.js";

/**
 * The renderers whose libraries are heavy (KaTeX for HTML, exceljs for
 * spreadsheets), loaded on their first call: importing gradstep, or running
 * any other format, never pays for them. exceljs is an optional peer
 * dependency, installed only by those who want spreadsheets.
 */

/** The solution as one self-contained HTML page, its formulas as MathML typeset by KaTeX. */
export async function renderHtml(solution: Solution, options: HtmlOptions = {}): Promise<string> {
  return (await import("./html.js")).renderHtml(solution, options);
}

/** The exercise as an .xlsx workbook of live formulas; needs the optional `exceljs` package. */
export async function renderXlsx(problem: Problem, trace: Trace, options: XlsxOptions = {}): Promise<Uint8Array> {
  let module: typeof import("./xlsx.js");
  try {
    module = await import("./xlsx.js");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" && (error as Error).message.includes("'exceljs'")) {
      throw InputError.said((t) => t.text("error.noExceljs", { command: "`npm install exceljs`" }));
    }
    throw error;
  }
  return module.renderXlsx(problem, trace, options);
}
