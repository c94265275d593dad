import ExcelJS from "exceljs";
import { Deriver } from "../explain/derive.js";
import { Notation } from "../explain/notation.js";
import { pathOf, type Quantity } from "../explain/quantity.js";
import { formatPath } from "../json-path.js";
import type { Problem } from "../problem/problem.js";
import type { Trace } from "../solve/trace.js";
import { renderName } from "../explain/name-writing.js";
import { renderExpr } from "./math.js";
import { sheetLayout, type SheetRow } from "./sheet-layout.js";
import { english, type Translator } from "../i18n/translate.js";
import { spreadsheetFormula } from "./spreadsheet-formula.js";

export interface XlsxOptions {
  /** Decimals shown in value cells and in the constants of symbolic formulas (the cells keep full precision). */
  readonly decimals?: number;
  /** The language of the sheet's name, titles and notes; English by default. */
  readonly t?: Translator;
}

/** The columns of the sheet: name, value, formula in symbols, trace path. */
export const XLSX_COLUMNS = { name: 1, value: 2, formula: 3, path: 4 } as const;
const VALUE_LETTER = "B";

const GIVEN_FONT: Partial<ExcelJS.Font> = { color: { argb: "FF1F4E9A" } };

/**
 * The whole exercise as one worksheet in which every computed value is a
 * live formula over the given cells (inputs, targets, η, initial weights and
 * biases): edit a weight and every later value recomputes, step after step.
 * Each formula is the quantity's derivation (src/explain/derive.ts) with
 * each quantity replaced by its cell, and carries the traced value as its
 * cached result, so viewers that never recalculate still show the numbers.
 */
export async function renderXlsx(problem: Problem, trace: Trace, options: XlsxOptions = {}): Promise<Uint8Array> {
  const decimals = options.decimals ?? 6;
  const notation = new Notation(problem);
  const deriver = new Deriver(problem, trace);
  const t = options.t ?? english;
  const rows = sheetLayout(problem, t);

  // Rows are 1-based; each quantity's cell is known before any formula refers to it.
  const cells = new Map<string, string>();
  const key = (q: Quantity) => formatPath(pathOf(problem, q));
  rows.forEach((row, i) => {
    if (row.kind === "quantity") cells.set(key(row.q), `${VALUE_LETTER}${i + 1}`);
  });
  const address = (q: Quantity): string => {
    const found = cells.get(key(q));
    if (found === undefined) throw new RangeError(`no cell holds ${key(q)}`);
    return found;
  };

  const workbook = new ExcelJS.Workbook();
  workbook.creator = "gradstep";
  // Excel recalculates on opening; the cached results serve viewers that do not.
  workbook.calcProperties.fullCalcOnLoad = true;
  const sheet = workbook.addWorksheet(t.text("sheet.name"), { views: [{ state: "frozen", ySplit: rows.findIndex((r) => r.kind === "columns") + 1 }] });
  const numberFormat = decimals > 0 ? `0.${"0".repeat(decimals)}` : "0";

  rows.forEach((row, i) => {
    const line = sheet.getRow(i + 1);
    writeRow(line, row, t, (q) => {
      const name = line.getCell(XLSX_COLUMNS.name),
        value = line.getCell(XLSX_COLUMNS.value);
      name.value = renderName(notation.name(q), "text");
      value.numFmt = numberFormat;
      line.getCell(XLSX_COLUMNS.path).value = key(q);
      const derivation = deriver.derive(q);
      if (derivation === undefined) {
        value.value = deriver.values.of(q);
        value.font = GIVEN_FONT;
        name.font = GIVEN_FONT;
        line.getCell(XLSX_COLUMNS.formula).value = t.text("sheet.givenFormula");
        return;
      }
      value.value = { formula: spreadsheetFormula(derivation.formula, address), result: derivation.value };
      line.getCell(XLSX_COLUMNS.formula).value = renderExpr(derivation.formula, {
        dialect: "text",
        decimals,
        name: (r) => notation.name(r),
        loss: notation.loss,
      });
    });
  });
  setWidths(sheet);
  // Plain bytes, not a Node Buffer, so that the web page can build the file too.
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function writeRow(line: ExcelJS.Row, row: SheetRow, t: Translator, quantity: (q: Quantity) => void): void {
  switch (row.kind) {
    case "title":
      line.getCell(1).value = row.text;
      line.font = { bold: true, size: 14 };
      return;
    case "note":
      line.getCell(1).value = row.text;
      line.font = { italic: true, color: { argb: "FF595959" } };
      return;
    case "heading":
      line.getCell(1).value = row.text;
      line.font = { bold: true, size: 12 };
      return;
    case "subheading":
      line.getCell(1).value = row.text;
      line.font = { bold: true };
      return;
    case "columns":
      line.values = [t.text("sheet.columnName"), t.text("sheet.columnValue"), t.text("sheet.columnFormula"), t.text("sheet.columnPath")];
      line.font = { bold: true };
      line.border = { bottom: { style: "thin" } };
      return;
    case "blank":
      return;
    case "quantity":
      quantity(row.q);
  }
}

/** Columns wide enough for their names, formulas and paths; headings and notes may run over into the next cells. */
function setWidths(sheet: ExcelJS.Worksheet): void {
  const widest = (column: number, min: number, max: number) => {
    let width = min;
    sheet.getColumn(column).eachCell((cell, row) => {
      const text = typeof cell.value === "string" && sheet.getRow(row).getCell(XLSX_COLUMNS.path).value !== null ? cell.value : "";
      width = Math.max(width, text.length + 2);
    });
    return Math.min(width, max);
  };
  sheet.getColumn(XLSX_COLUMNS.name).width = widest(XLSX_COLUMNS.name, 10, 24);
  sheet.getColumn(XLSX_COLUMNS.value).width = 16;
  sheet.getColumn(XLSX_COLUMNS.formula).width = widest(XLSX_COLUMNS.formula, 12, 80);
  sheet.getColumn(XLSX_COLUMNS.path).width = widest(XLSX_COLUMNS.path, 12, 40);
}
