import { basename } from "node:path";
import { describeValue, InputError } from "../../input-error.js";
import { didYouMean, quotedList } from "../../io/error-phrases.js";
import { say, verbatim, type Say } from "../../i18n/translate.js";
import { withClassNames, type Dataset } from "./dataset.js";
import { csvRecords, type CsvField, type CsvRecord } from "./csv-records.js";
import { decodeText, MAX_DATA_BYTES, readBytes } from "../../io/files.js";

export interface CsvOptions {
  /** The header name of the column that holds each row's class. */
  readonly label: string;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const CLASS_INDEX = /^\d+$/;
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * A CSV file with a header row as a Dataset: the `label` column gives the
 * class, every other column is a numeric feature (used as written, not
 * rescaled). Labels that are all whole numbers ≥ 0 are class indices
 * (classes = largest + 1); otherwise each distinct label (trimmed) is a class,
 * numbered in order of first appearance and kept as `classNames`.
 *
 * @example loadCsv("iris.csv", { label: "species" }).classNames // ["setosa", "versicolor", "virginica"]
 */
export function loadCsv(file: string, options: CsvOptions): Dataset {
  const text = decodeText(readBytes(file, say("modelError.what.csvWithHeader"), MAX_DATA_BYTES), say("modelError.what.csv"), file);
  return csvDataset(text, options, file);
}

/** The same as `loadCsv`, from the text of the file; `file` names it in errors. */
export function csvDataset(text: string, { label }: CsvOptions, file?: string): Dataset {
  const fail = (detail: Say, where?: { line: number; column: number }): InputError =>
    InputError.said(detail, { file, position: where && { line: where.line, column: where.column } });
  const records = csvRecords(text, file);
  const header = records.next().value as CsvRecord | undefined;
  if (!header) throw fail(say("modelError.table.noHeader"));
  const columns = header.fields.map((field) => field.text.trim());
  const labelColumn = findLabelColumn(columns, label, header.fields, fail);
  if (columns.length < 2) throw fail(say("modelError.csv.noFeatures", { label }), header.fields[0]);

  const features = columns.length - 1;
  // Rows are read one at a time into a buffer that doubles as it fills: a large file is never held as fields.
  let buffer = new Float32Array(features * 1024);
  const labelTexts: string[] = [];
  let r = 0;
  for (const row of records) {
    if ((r + 1) * features > buffer.length) {
      const grown = new Float32Array(buffer.length * 2);
      grown.set(buffer);
      buffer = grown;
    }
    const inputs = buffer;
    const rowNumber = r + 1;
    if (row.fields.length !== columns.length) {
      throw fail(say("modelError.table.fieldCount", { row: rowNumber, expected: columns.length, found: row.fields.length }), { line: row.line, column: 1 });
    }
    let feature = r * features;
    row.fields.forEach((field, c) => {
      if (c === labelColumn) {
        const text = field.text.trim();
        if (text === "") throw fail(say("modelError.table.cell", { row: rowNumber, column: label, detail: say("modelError.csv.emptyLabel") }), field);
        labelTexts.push(text);
      } else {
        inputs[feature++] = parseFeature(field, rowNumber, columns[c]!, fail);
      }
    });
    r++;
  }
  if (r === 0) throw fail(say("modelError.table.noRows"));
  const inputs = buffer.slice(0, r * features);

  const name = file === undefined ? "csv" : basename(file);
  const count = r;
  if (labelTexts.every((text) => CLASS_INDEX.test(text))) {
    const labels = Int32Array.from(labelTexts, Number);
    const classes = labels.reduce((largest, value) => Math.max(largest, value), 0) + 1;
    return { name, inputs, labels, count, features, classes };
  }
  const classNames: string[] = [];
  const index = new Map<string, number>();
  const labels = Int32Array.from(labelTexts, (text) => {
    let known = index.get(text);
    if (known === undefined) {
      known = classNames.push(text) - 1;
      index.set(text, known);
    }
    return known;
  });
  return withClassNames({ name, inputs, labels, count, features, classes: classNames.length }, classNames);
}

function findLabelColumn(
  columns: readonly string[],
  label: string,
  fields: readonly CsvField[],
  fail: (detail: Say, where?: { line: number; column: number }) => InputError,
): number {
  const at = columns.indexOf(label);
  if (at < 0) {
    throw fail(say("modelError.csv.noLabel", { label, suggestion: didYouMean(label, columns), columns: quotedList(columns) }), fields[0]);
  }
  const again = columns.indexOf(label, at + 1);
  if (again >= 0) throw fail(say("modelError.csv.labelTwice", { label }), fields[again]);
  return at;
}

function parseFeature(field: CsvField, row: number, column: string, fail: (detail: Say, where: CsvField) => InputError): number {
  const text = field.text.trim();
  const cell = (detail: Say) => fail(say("modelError.table.cell", { row, column, detail }), field);
  if (!NUMBER.test(text)) {
    throw cell(say("modelError.table.notNumber", { found: text === "" ? say("modelError.table.emptyCell") : (t) => describeValue(field.text, t) }));
  }
  const value = Number(text);
  if (Math.abs(value) > FLOAT32_MAX) throw cell(say("modelError.table.outOfRange", { found: verbatim(text) }));
  return value;
}
