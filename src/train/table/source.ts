import { basename } from "node:path";
import { decodeText, MAX_DATA_BYTES, readBytes } from "../../io/files.js";
import { InputError } from "../../input-error.js";
import { say } from "../../i18n/translate.js";
import { csvRecords, type CsvRecord } from "../data/csv-records.js";

/** One row of a table: a cell's text per column, and where the row starts in its file. */
export interface TableRow {
  readonly cells: readonly string[];
  readonly line: number;
}

/**
 * A table read one row at a time, so that a large file is never held as
 * millions of strings: CSV text (`csvTable`) or rows of objects (`objectTable`).
 */
export interface TableSource {
  readonly name: string;
  /** Names errors; undefined for rows handed over in code. */
  readonly file: string | undefined;
  readonly columns: readonly string[];
  /** `;` files may write decimals with a comma (3,5). */
  readonly decimalComma: boolean;
  rows(): Iterable<TableRow>;
}

const DELIMITERS = [",", ";", "\t"] as const;

/** The delimiter of the header line: whichever of `,` `;` and tab occurs most outside quotes (`,` on a tie). */
export function detectDelimiter(text: string): string {
  const start = text.startsWith("\uFEFF") ? 1 : 0;
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) {
      if (i > start && [...counts.values()].some((n) => n > 0)) break;
    } else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ",";
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** A header's names, trimmed; an empty one is named by its position, a repeated one refused. */
function headerNames(names: readonly string[], file: string | undefined, where: (k: number) => { line: number; column: number } | undefined): string[] {
  const columns = names.map((n, k) => n.trim() || `column ${k + 1}`);
  const seen = new Map<string, number>();
  columns.forEach((n, k) => {
    if (seen.has(n))
      throw InputError.said(say("modelError.table.columnTwice", { name: n, first: seen.get(n)! + 1, second: k + 1 }), {
        file,
        position: where(k),
      });
    seen.set(n, k);
  });
  return columns;
}

/**
 * CSV text with a header row: `,` `;` or tab delimited (detected from the
 * header), quoted fields, a byte order mark and CRLF line ends.
 */
export function csvTable(text: string, file?: string): TableSource {
  const delimiter = detectDelimiter(text);
  const records = csvRecords(text, file, delimiter);
  const header = records.next().value as CsvRecord | undefined;
  if (!header) throw InputError.said(say("modelError.table.noHeader"), { file });
  const columns = headerNames(
    header.fields.map((f) => f.text),
    file,
    (k) => header.fields[k],
  );
  return {
    name: file === undefined ? "table" : basename(file),
    file,
    columns,
    decimalComma: delimiter === ";",
    *rows() {
      const all = csvRecords(text, file, delimiter);
      all.next();
      let r = 0;
      for (const record of all) {
        r++;
        if (record.fields.length !== columns.length) {
          throw InputError.said(say("modelError.table.fieldCount", { row: r, expected: columns.length, found: record.fields.length }), {
            file,
            position: { line: record.line, column: 1 },
          });
        }
        yield { cells: record.fields.map((f) => f.text), line: record.line };
      }
    },
  };
}

/** A CSV file as a table; larger than the data limit is refused before it is read. */
export function loadTable(file: string): TableSource {
  return csvTable(decodeText(readBytes(file, say("modelError.what.csvWithHeader"), MAX_DATA_BYTES), say("modelError.what.csv"), file), file);
}

/** A cell of an object row as text: numbers as written, dates in ISO form, null, undefined and NaN as missing. */
function cellText(value: unknown, column: string, row: number): string {
  if (value === undefined || value === null || (typeof value === "number" && Number.isNaN(value))) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
  throw InputError.said(
    say("modelError.table.cell", {
      row: row + 1,
      column,
      detail: say("modelError.table.cellType", { found: Array.isArray(value) ? "array" : typeof value }),
    }),
  );
}

/** Rows of objects (as brain.js takes them): the columns are every key, in order of first appearance; a missing key is a missing cell. */
export function objectTable(given: readonly Readonly<Record<string, unknown>>[], name = "rows"): TableSource {
  const list: unknown = given;
  if (!Array.isArray(list)) throw InputError.said(say("modelError.table.notRows", { found: typeof list }));
  const rows: readonly Readonly<Record<string, unknown>>[] = given;
  const keys = new Set<string>();
  rows.forEach((row: unknown, r) => {
    if (typeof row !== "object" || row === null || Array.isArray(row))
      throw InputError.said(say("modelError.table.notRow", { row: r + 1, found: Array.isArray(row) ? "array" : typeof row }));
    for (const key of Object.keys(row)) keys.add(key);
  });
  const columns = [...keys];
  return {
    name,
    file: undefined,
    columns,
    decimalComma: false,
    *rows() {
      for (let r = 0; r < rows.length; r++) yield { cells: columns.map((c) => cellText(rows[r]![c], c, r)), line: r + 1 };
    },
  };
}
