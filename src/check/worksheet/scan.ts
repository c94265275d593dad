/**
 * A worksheet as written: its lines, and the math in it with where each
 * piece stands. Math is delimited as Markdown with LaTeX and OCR tools
 * (Mathpix and the like) write it: `$…$`, `$$…$$`, `\(…\)`, `\[…\]`, and
 * LaTeX's display environments; code blocks are skipped, and in a `.tex`
 * file `%` starts a comment.
 */

export type WorksheetFormat = "markdown" | "latex" | "text";

export interface MathSpan {
  /** The LaTeX between the delimiters (environments keep their \begin…\end). */
  readonly latex: string;
  readonly display: boolean;
  /** Offset of the LaTeX in the worksheet's text, and its delimited extent. */
  readonly offset: number;
  readonly start: number;
  readonly end: number;
}

export interface Position {
  /** 1-based, as editors count. */
  readonly line: number;
  readonly column: number;
}

const ENVIRONMENTS = [
  "equation",
  "equation*",
  "align",
  "align*",
  "aligned",
  "gather",
  "gather*",
  "multline",
  "multline*",
  "eqnarray",
  "eqnarray*",
  "displaymath",
  "math",
];

/** The worksheet's format from its file name; anything else is read as Markdown (plain text with math is Markdown too). */
export function worksheetFormat(file: string | undefined): WorksheetFormat {
  return file !== undefined && /\.(tex|latex|ltx)$/i.test(file) ? "latex" : "markdown";
}

/** Where each line starts, to turn offsets into lines and columns. */
export class Lines {
  readonly starts: number[] = [0];
  readonly lines: string[];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.starts.push(i + 1);
    this.lines = text.split("\n").map((line) => line.replace(/\r$/, ""));
  }

  at(offset: number): Position {
    let low = 0,
      high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 };
  }
}

/** Every math span of a worksheet, in order. */
export function scanMath(text: string, format: WorksheetFormat): MathSpan[] {
  const spans: MathSpan[] = [];
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    const c = text[i]!;
    // Fenced code in Markdown: skipped whole.
    if (format !== "latex" && lineStart && /^(```|~~~)/.test(text.slice(i, i + 3))) {
      const fence = text.slice(i, i + 3);
      const close = text.indexOf(`\n${fence}`, i + 3);
      i = close < 0 ? text.length : close + 4;
      continue;
    }
    lineStart = c === "\n";
    if (format === "latex" && c === "%") {
      const eol = text.indexOf("\n", i);
      i = eol < 0 ? text.length : eol;
      continue;
    }
    if (c === "\\") {
      const next = text[i + 1];
      if (next === "$" || next === "\\") {
        i += 2;
        continue;
      }
      if (next === "(" || next === "[") {
        const close = text.indexOf(next === "(" ? "\\)" : "\\]", i + 2);
        if (close >= 0) {
          spans.push({ latex: text.slice(i + 2, close), display: next === "[", offset: i + 2, start: i, end: close + 2 });
          i = close + 2;
          continue;
        }
      }
      const begin = /^\\begin\{([a-z]+\*?)\}/.exec(text.slice(i, i + 40));
      if (begin && ENVIRONMENTS.includes(begin[1]!)) {
        const endTag = `\\end{${begin[1]!}}`;
        const close = text.indexOf(endTag, i);
        if (close >= 0) {
          spans.push({ latex: text.slice(i, close + endTag.length), display: true, offset: i, start: i, end: close + endTag.length });
          i = close + endTag.length;
          continue;
        }
      }
      i++;
      continue;
    }
    if (c === "`" && format !== "latex") {
      const run = /^`+/.exec(text.slice(i))![0];
      const close = text.indexOf(run, i + run.length);
      i = close < 0 ? i + run.length : close + run.length;
      continue;
    }
    if (c === "$") {
      const display = text[i + 1] === "$";
      const open = display ? 2 : 1;
      const close = findClosingDollar(text, i + open, display);
      if (close >= 0) {
        spans.push({ latex: text.slice(i + open, close), display, offset: i + open, start: i, end: close + open });
        i = close + open;
        continue;
      }
      i += open;
      continue;
    }
    i++;
  }
  return spans;
}

/** The closing `$` (or `$$`) of math opened before `from`; inline math does not cross a blank line. */
function findClosingDollar(text: string, from: number, display: boolean): number {
  for (let k = from; k < text.length; k++) {
    const c = text[k];
    if (c === "\\") {
      k++;
      continue;
    }
    if (!display && c === "\n" && text[k + 1] === "\n") return -1;
    if (c !== "$") continue;
    if (display) {
      if (text[k + 1] === "$") return k;
      continue;
    }
    return k > from ? k : -1;
  }
  return -1;
}
