import { InputError } from "../../input-error.js";
import { say, type Say } from "../../i18n/translate.js";

/** One field of a CSV file, with where it starts (1-based line and column). */
export interface CsvField {
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

/** One record: its fields, and the line it starts on. */
export interface CsvRecord {
  readonly fields: readonly CsvField[];
  readonly line: number;
}

/** Spaces and tabs alone up to a line break (captured) or the end of the text. */
const BLANK_LINE = /[ \t]*(?:(\r\n|\n|\r)|$)/y;

/**
 * Splits CSV text into records as RFC 4180 defines them: fields separated by
 * commas, records by CRLF or LF; a quoted field may hold commas, line breaks
 * and doubled quotes (`"say ""hi"""`). Blank lines are skipped; a leading
 * byte order mark is ignored. Errors name `file`, line and column.
 */
export function readCsvRecords(source: string, file?: string): CsvRecord[] {
  return [...csvRecords(source, file)];
}

/** The records of `readCsvRecords` one at a time, so that a large file is never held as millions of fields at once. */
/** `delimiter` is `,` by default; `;` and tab are the other dialects users meet. */
export function* csvRecords(source: string, file?: string, delimiter = ","): Generator<CsvRecord> {
  const text = source.startsWith("\uFEFF") ? source.slice(1) : source;
  let at = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (detail: Say, where: { line: number; column: number }): InputError => InputError.said(detail, { file, position: where });
  const newlineLength = (i: number): number => (text.startsWith("\r\n", i) ? 2 : text[i] === "\n" || text[i] === "\r" ? 1 : 0);

  while (at < text.length) {
    BLANK_LINE.lastIndex = at;
    const blank = BLANK_LINE.exec(text);
    if (blank) {
      if (blank[1] === undefined) break; // only spaces up to the end of the text
      [at, line, lineStart] = [at + blank[0].length, line + 1, at + blank[0].length];
      continue;
    }
    const fields: CsvField[] = [];
    const recordLine = line;
    for (;;) {
      const start = { line, column: at - lineStart + 1 };
      let value = "";
      if (text[at] === '"') {
        at++;
        for (;;) {
          const quote = text.indexOf('"', at);
          if (quote < 0) throw fail(say("modelError.csv.unclosedQuote"), start);
          for (let i = at; i < quote; i++) {
            const length = newlineLength(i);
            if (length > 0) [line, lineStart, i] = [line + 1, i + length, i + length - 1];
          }
          value += text.slice(at, quote);
          at = quote + 1;
          if (text[at] !== '"') break;
          value += '"';
          at++;
        }
        if (at < text.length && text[at] !== delimiter && newlineLength(at) === 0) {
          const values = { delimiter: JSON.stringify(delimiter), found: JSON.stringify(text[at]) };
          throw fail(say(delimiter === "," ? "modelError.csv.afterQuoteComma" : "modelError.csv.afterQuote", values), { line, column: at - lineStart + 1 });
        }
      } else {
        let end = at;
        while (end < text.length && text[end] !== delimiter && newlineLength(end) === 0) end++;
        value = text.slice(at, end);
        const quote = value.indexOf('"');
        if (quote >= 0) {
          throw fail(say("modelError.csv.strayQuote"), {
            line,
            column: start.column + quote,
          });
        }
        at = end;
      }
      fields.push({ text: value, ...start });
      if (text[at] === delimiter) {
        at++;
        continue;
      }
      const length = newlineLength(at);
      if (length > 0) [at, line, lineStart] = [at + length, line + 1, at + length];
      break;
    }
    yield { fields, line: recordLine };
  }
}
