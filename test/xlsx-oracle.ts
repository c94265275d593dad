import ExcelJS from "exceljs";
import { HyperFormula } from "hyperformula";
import { expect } from "vitest";
import { Deriver } from "../src/explain/derive.js";
import { computedQuantities, givenQuantities } from "../src/explain/order.js";
import { pathOf, Values } from "../src/explain/quantity.js";
import { formatPath, lookup, parsePath, solve, withinTolerance, type Problem, type Trace } from "../src/index.js";
import { XLSX_COLUMNS, renderXlsx } from "../src/render/xlsx.js";

/**
 * The spreadsheet checked by an independent engine: the .xlsx is read back
 * with exceljs, its value column loaded into HyperFormula, and what
 * HyperFormula computes from the formulas is compared with gradstep's trace.
 */

/** A row of the sheet that holds a quantity: its trace path, and its value cell as stored in the file. */
export interface ValueRow {
  readonly path: string;
  /** 0-based, as HyperFormula counts. */
  readonly row: number;
  readonly formula?: string;
  readonly cached?: unknown;
  readonly constant?: number;
}

export async function readSheet(buffer: Uint8Array): Promise<ValueRow[]> {
  const workbook = new ExcelJS.Workbook();
  // exceljs types its input as an ArrayBuffer; a copy of the bytes is one.
  await workbook.xlsx.load(new Uint8Array(buffer).buffer);
  const sheet = workbook.worksheets[0]!;
  const rows: ValueRow[] = [];
  sheet.eachRow((line, n) => {
    const path = line.getCell(XLSX_COLUMNS.path).value;
    // Rows without a path are titles, notes and headings; the column header row names the columns.
    if (typeof path !== "string" || line.getCell(1).value === "name") return;
    const cell = line.getCell(XLSX_COLUMNS.value);
    const value = cell.value;
    if (typeof value === "number") rows.push({ path, row: n - 1, constant: value });
    // cell.result, not value.result: exceljs's value getter drops a cached result of 0.
    else if (cell.type === ExcelJS.ValueType.Formula) rows.push({ path, row: n - 1, formula: cell.formula, cached: cell.result });
    else throw new TypeError(`row ${n} (${path}) holds neither a number nor a formula: ${JSON.stringify(value)}`);
  });
  return rows;
}

export const VALUE_COL = XLSX_COLUMNS.value - 1;

/** HyperFormula over the value column only, computing in plain float64 (no display rounding, no snapping to 0). */
export function engineOf(rows: readonly ValueRow[]): HyperFormula {
  const height = Math.max(...rows.map((r) => r.row)) + 1;
  const cells: (string | number | null)[][] = Array.from({ length: height }, () => Array.from({ length: VALUE_COL + 1 }, () => null));
  for (const r of rows) cells[r.row]![VALUE_COL] = r.formula === undefined ? r.constant! : `=${r.formula}`;
  return HyperFormula.buildFromArray(cells, { licenseKey: "gpl-v3", smartRounding: false });
}

export const valueAt = (hf: HyperFormula, row: number): unknown => hf.getCellValue({ sheet: 0, row, col: VALUE_COL });
export const isTracePath = (path: string) => /^(steps|final)\b/.test(path);

export function traceValue(trace: Trace, path: string): number {
  const { found, value } = lookup(trace, parsePath(path)!);
  if (!found || typeof value !== "number") throw new RangeError(`trace has no number at ${path}`);
  return value;
}

/** Every computed cell whose HyperFormula value is not the trace's value, one message each. */
export function disagreements(hf: HyperFormula, rows: readonly ValueRow[], trace: Trace): string[] {
  return rows
    .filter((r) => isTracePath(r.path))
    .flatMap((r) => {
      const got = valueAt(hf, r.row),
        want = traceValue(trace, r.path);
      return typeof got === "number" && withinTolerance(got, want) ? [] : [`${r.path}: sheet ${String(got)} (=${r.formula ?? ""}), trace ${want}`];
    });
}

/** The loss of the last forward pass: the final one, or step 0's when there is no update. */
export const lastLossPath = (trace: Trace) => (trace.final ? "final.loss" : `steps[${trace.steps.length - 1}].loss`);

export async function checkSheet(problem: Problem) {
  const trace = solve(problem);
  const rows = await readSheet(await renderXlsx(problem, trace));
  const paths = (qs: ReturnType<typeof givenQuantities>) => qs.map((q) => formatPath(pathOf(problem, q)));

  // Exactly the given quantities as numbers, exactly the computed ones as formulas over other cells.
  const givenQs = givenQuantities(problem),
    computedQs = computedQuantities(problem);
  const given = rows.filter((r) => !isTracePath(r.path)),
    computed = rows.filter((r) => isTracePath(r.path));
  expect(given.map((r) => r.path)).toEqual(paths(givenQs));
  expect(computed.map((r) => r.path)).toEqual(paths(computedQs));
  const values = new Values(problem, trace);
  givenQs.forEach((q, i) => expect(given[i]!.constant, given[i]!.path).toBe(values.of(q)));
  const deriver = new Deriver(problem, trace);
  const notLive = computed.flatMap((r, i) => {
    // A formula over other cells, except where the derivation itself is a constant (∂L/∂a = 0 where a cross-entropy target is 0).
    const constant = !JSON.stringify(deriver.derive(computedQs[i]!)!.formula).includes('"kind":"ref"');
    const live = r.formula !== undefined && /\bB\d+\b/.test(r.formula) !== constant;
    // The cached result, for viewers that do not recalculate, is the traced value (-0 is written as 0).
    const cached = r.cached === traceValue(trace, r.path);
    return live && cached ? [] : [`${r.path}: formula ${r.formula ?? "(none)"}, cached ${String(r.cached)}`];
  });
  expect(notLive).toEqual([]);

  const hf = engineOf(rows);
  expect(disagreements(hf, rows, trace)).toEqual([]);
  return { trace, rows, hf };
}
