import type { RegressionLoss } from "../../engine/losses.js";
import { Rng } from "../../engine/rng.js";
import { LIMITS } from "../../limits.js";
import type { ColumnSpec, MissingStrategy, TableSpec, Task } from "../../io/table-spec.js";
import { describeValue, InputError } from "../../input-error.js";
import { english, type Translator, say, verbatim, type Say } from "../../i18n/translate.js";
import { didYouMean, quotedList } from "../../io/error-phrases.js";
import { shuffledOrder } from "../data/dataset.js";
import { DATE_ORDERS, isMissing, isOutOfRange, parseDate, parseNumber, type DateOrder } from "./cells.js";
import type { TableSource } from "./source.js";

/** What to learn from a table; everything but the label is inferred when left out. */
export interface TableOptions {
  /** The label column, or several (a regression of several targets, or a multi-label of 0/1 columns). */
  readonly label: string | readonly string[];
  /** Default: classification for text or few distinct whole numbers, regression for other numbers, multi-label for several 0/1 columns. */
  readonly task?: Task | undefined;
  /** Columns to leave out (an id, a free-text name). */
  readonly ignore?: readonly string[] | undefined;
  /** Missing feature cells: `impute` (mean or most frequent, with a 0/1 indicator input; the default) or `drop` the row. */
  readonly missing?: MissingStrategy | undefined;
  /** A regression's loss on standardized targets (default mse). */
  readonly loss?: RegressionLoss | undefined;
  /** Share of the rows held out (default 0.2), chosen by a shuffle seeded with `seed` (default 1). */
  readonly testFraction?: number | undefined;
  readonly seed?: number | undefined;
}

/** More classes than this is a quantity, or a column to ignore, not a classification. */
export const MAX_CLASSES = LIMITS.classes;
/** Whole-number labels with at most this many distinct values are classes unless `task` says otherwise. */
export const MAX_INFERRED_CLASSES = 20;
/** A text column with more distinct values than this (and than half its rows) is free text, not a category. */
const MAX_CATEGORIES = 50;
/** An identifier by its name: `id`, `row_id`, `Customer ID`, `index`. */
const ID_NAME = /^(?:id|index|row|.+[ _-]id|.+Id)$/;

/** Running mean and variance (Welford). */
class Moments {
  n = 0;
  mean = 0;
  m2 = 0;
  add(x: number): void {
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }
  /** The population standard deviation, 1 where it is 0 or undefined (a constant column is left as it is, centred). */
  get std(): number {
    const s = this.n > 1 ? Math.sqrt(this.m2 / this.n) : 0;
    return s > 1e-12 * Math.max(1, Math.abs(this.mean)) ? s : 1;
  }
}

interface ColumnStats {
  present: number;
  trainMissing: number;
  trainPresent: number;
  numbers: boolean;
  /** The orders every date so far parses in (year first, month first, day first). */
  dates: Set<DateOrder>;
  integers: boolean;
  number: Moments;
  date: Record<DateOrder, Moments>;
  /** Categories of the training rows, with counts; stops growing past MAX_CLASSES. */
  counts: Map<string, number>;
  firstText?: { text: string; line: number };
}

const newStats = (): ColumnStats => ({
  present: 0,
  trainMissing: 0,
  trainPresent: 0,
  numbers: true,
  dates: new Set(DATE_ORDERS),
  integers: true,
  number: new Moments(),
  date: { ymd: new Moments(), mdy: new Moments(), dmy: new Moments() },
  counts: new Map(),
});

/** The encoded rows × inputs gradstep holds in memory: 256 MB of float32, the size of the largest data file it reads. */
export const MAX_ENCODED_VALUES = LIMITS.tableValues;

/** Counts one cell into its column's statistics; `tooLarge` reports a number beyond 32-bit floats. */
function observe(stats: ColumnStats, text: string, train: boolean, decimalComma: boolean, line: number, tooLarge: () => never): void {
  if (isMissing(text)) {
    if (train) stats.trainMissing++;
    return;
  }
  stats.present++;
  const t = text.trim();
  if (stats.numbers) {
    const value = parseNumber(t, decimalComma);
    if (value === undefined) {
      if (isOutOfRange(t)) tooLarge();
      stats.numbers = false;
      stats.firstText ??= { text: t, line };
    } else {
      if (!Number.isInteger(value)) stats.integers = false;
      if (train) stats.number.add(value);
    }
  }
  for (const order of stats.dates) {
    const days = parseDate(t, order);
    if (days === undefined) stats.dates.delete(order);
    else if (train) stats.date[order].add(days);
  }
  if (train) {
    stats.trainPresent++;
    if (stats.counts.size <= MAX_CLASSES || stats.counts.has(t)) stats.counts.set(t, (stats.counts.get(t) ?? 0) + 1);
  }
}

/** Which rows are held out: round(fraction · rows) of them, by a seeded shuffle of the row numbers. */
export function heldOutRows(rows: number, fraction: number, seed: number): Uint8Array {
  if (!(fraction >= 0 && fraction < 1)) throw InputError.said(say("modelError.table.testFraction", { found: String(fraction) }), { option: "testFraction" });
  const held = new Uint8Array(rows);
  const order = shuffledOrder(rows, new Rng(seed));
  const count = Math.round(fraction * rows);
  for (let i = 0; i < count; i++) held[order[i]!] = 1;
  return held;
}

function columnIndex(source: TableSource, name: string, what: string): number {
  const at = source.columns.indexOf(name);
  if (at < 0) {
    const values = { option: what, name, suggestion: didYouMean(name, source.columns), columns: quotedList(source.columns) };
    throw InputError.said(say("modelError.table.noColumn", values), { file: source.file });
  }
  return at;
}

/** The classes of a label column, numbers in numeric order, text in order of first appearance. */
function classesOf(stats: ColumnStats): string[] {
  const names = [...stats.counts.keys()];
  return stats.numbers
    ? names
        .map(Number)
        .sort((a, b) => a - b)
        .map(String)
    : names;
}

/** A column the model does not learn from: `reason` in English (for JSON), `say` in any language. */
export interface LeftOutColumn {
  readonly column: string;
  readonly reason: string;
  readonly say: Say;
}

export interface Fitted {
  readonly spec: TableSpec;
  /** Columns left out, with why. */
  readonly ignored: readonly LeftOutColumn[];
  /** Row k is held out when `heldOut[k]` is 1. */
  readonly heldOut: Uint8Array;
}

/**
 * Reads a table twice, one row at a time: to count its rows and choose the
 * held-out ones, then to infer each column's kind (number, date, category)
 * and learn its statistics from the training rows only. The result says how
 * to encode any row of the same columns (`encodeTable`).
 */
export function fitTable(source: TableSource, options: TableOptions): Fitted {
  const file = source.file;
  // "a,b" names two label columns, unless a column is named so.
  const labels =
    typeof options.label !== "string"
      ? [...options.label]
      : source.columns.includes(options.label)
        ? [options.label]
        : options.label
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
  if (labels.length === 0) throw InputError.said(say("modelError.table.labelName"), { file, option: "label" });
  const labelAt = labels.map((l) => columnIndex(source, l, "--label"));
  const ignoredByUser = new Set((options.ignore ?? []).map((c) => source.columns[columnIndex(source, c, "--ignore")]!));
  const missing = options.missing ?? "impute";
  const candidates = source.columns.map((_, k) => k).filter((k) => !labelAt.includes(k) && !ignoredByUser.has(source.columns[k]!));
  if (candidates.length === 0)
    throw InputError.said(say("modelError.table.noFeatures", { count: labels.length, labels: labels.map((l) => `"${l}"`).join(", ") }), { file });

  let rows = 0;
  for (const _ of source.rows()) rows++;
  if (rows === 0) throw InputError.said(say("modelError.table.noRows"), { file });
  const heldOut = heldOutRows(rows, options.testFraction ?? 0.2, options.seed ?? 1);

  const stats = source.columns.map(newStats);
  let r = 0,
    usable = 0;
  for (const row of source.rows()) {
    const train = heldOut[r++] === 0;
    if (labelAt.some((k) => isMissing(row.cells[k]!))) continue;
    if (missing === "drop" && candidates.some((k) => isMissing(row.cells[k]!))) continue;
    usable++;
    for (const k of [...candidates, ...labelAt]) {
      const tooLarge = (): never => {
        const detail = say("modelError.table.outOfRange", { found: verbatim(row.cells[k]!.trim()) });
        throw InputError.said(say("modelError.table.cell", { row: r, column: source.columns[k]!, detail }), { file, position: { line: row.line, column: 1 } });
      };
      observe(stats[k]!, row.cells[k]!, train, source.decimalComma, row.line, tooLarge);
    }
  }
  if (usable === 0) throw InputError.said(say(missing === "drop" ? "modelError.table.noCompleteRows" : "modelError.table.noLabelledRows", { rows }), { file });

  const ignored: LeftOutColumn[] = [...ignoredByUser].map((column) => ({ column, reason: "--ignore", say: verbatim("--ignore") }));
  const leaveOut = (column: string, said: Say) => ignored.push({ column, reason: said(english), say: said });
  const columns: ColumnSpec[] = [];
  for (const k of candidates) {
    const name = source.columns[k]!,
      s = stats[k]!;
    const indicator = missing === "impute" && s.trainMissing > 0;
    if (s.present === 0 || s.trainPresent === 0) {
      leaveOut(name, say("modelError.table.leftOutEmpty"));
    } else if (s.numbers && s.integers && ID_NAME.test(name)) {
      leaveOut(name, say("modelError.table.leftOutIdentifier"));
    } else if (s.numbers) {
      columns.push({ name, kind: "number", mean: s.number.mean, std: s.number.std, indicator });
    } else if (s.dates.size > 0) {
      // 3/4/2024 reads both ways: month first, unless the file writes decimal commas (Europe: day first).
      const order = s.dates.has("ymd") ? "ymd" : s.dates.size === 2 ? (source.decimalComma ? "dmy" : "mdy") : [...s.dates][0]!;
      columns.push({ name, kind: "date", mean: s.date[order].mean, std: s.date[order].std, indicator, ...(order === "ymd" ? {} : { order }) });
    } else if (s.counts.size > MAX_CATEGORIES && s.counts.size > s.trainPresent / 2) {
      const over = s.counts.size > MAX_CLASSES;
      const values = { count: over ? MAX_CLASSES : s.counts.size, rows: s.trainPresent };
      leaveOut(name, say(over ? "modelError.table.leftOutFreeTextOver" : "modelError.table.leftOutFreeText", values));
    } else if (s.counts.size > MAX_CLASSES) {
      leaveOut(name, say("modelError.table.leftOutCategories", { count: MAX_CLASSES }));
    } else {
      const categories = [...s.counts.keys()].sort();
      const fill = [...s.counts.entries()].reduce((best, e) => (e[1] > best[1] ? e : best))[0];
      columns.push({ name, kind: "category", categories, fill, indicator });
    }
  }
  if (columns.length === 0)
    throw InputError.said(
      say("modelError.table.nothingToLearn", {
        leftOut: (t: Translator) =>
          ignored.map((i) => t.text("modelError.table.leftOut", { column: i.column, why: i.say(t) })).join(t.text("expect.separator")),
      }),
      { file },
    );

  const width = columns.reduce((n, c) => n + (c.kind === "category" ? c.categories.length : 1) + (c.indicator ? 1 : 0), 0);
  if (usable * width > MAX_ENCODED_VALUES) {
    const widest = columns.reduce((a, b) => ((b.kind === "category" ? b.categories.length : 1) > (a.kind === "category" ? a.categories.length : 1) ? b : a));
    const values = {
      limit: MAX_ENCODED_VALUES.toLocaleString("en-US"),
      rows: usable.toLocaleString("en-US"),
      width: width.toLocaleString("en-US"),
      column: widest.name,
      categories: widest.kind === "category" ? say("modelError.table.categories", { count: widest.categories.length }) : "",
    };
    throw InputError.said(say("modelError.table.tooLarge", values), { file });
  }
  const labelStats = labelAt.map((k) => stats[k]!);
  const task = options.task ?? inferTask(labelStats);
  const label: { columns: string[]; classes?: string[]; mean?: number[]; std?: number[] } = { columns: labels };
  const fail = (detail: Say, at = 0): never => {
    throw InputError.said(say("modelError.table.column", { column: labels[at]!, detail }), {
      file,
      position: labelStats[at]!.firstText && { line: labelStats[at]!.firstText.line, column: 1 },
    });
  };
  if (task === "classification") {
    if (labels.length > 1) throw InputError.said(say("modelError.table.oneLabel", { found: labels.length }), { file, option: "label" });
    const s = labelStats[0]!;
    if (s.counts.size > MAX_CLASSES)
      fail(say(s.numbers ? "modelError.table.tooManyClassesNumbers" : "modelError.table.tooManyClasses", { count: MAX_CLASSES }));
    if (s.counts.size < 2) fail(say("modelError.table.fewClasses", { found: s.counts.size }));
    label.classes = classesOf(s);
  } else if (task === "regression") {
    labelStats.forEach((s, i) => {
      if (!s.numbers) fail(say("modelError.table.regressionNumbers", { found: (t: Translator) => describeValue(s.firstText!.text, t) }), i);
    });
    label.mean = labelStats.map((s) => s.number.mean);
    label.std = labelStats.map((s) => s.number.std);
  } else if (labels.length > 1) {
    labelStats.forEach((s, i) => {
      if (!s.numbers || [...s.counts.keys()].some((t) => Number(t) !== 0 && Number(t) !== 1)) fail(say("modelError.table.multilabel"), i);
    });
    label.classes = labels;
  } else {
    const tokens = new Set<string>();
    for (const text of labelStats[0]!.counts.keys()) for (const t of splitLabels(text)) tokens.add(t);
    if (tokens.size > MAX_CLASSES) fail(say("modelError.table.tooManyLabels", { count: MAX_CLASSES, found: tokens.size }));
    label.classes = [...tokens].sort();
  }
  const spec: TableSpec = {
    task,
    missing,
    columns,
    ignored: ignored.map((i) => i.column),
    label,
    ...(task === "regression" ? { loss: options.loss ?? "mse" } : {}),
  };
  return { spec, ignored, heldOut };
}

/** The labels of one multi-label cell: `a|b|c`. */
export function splitLabels(text: string): string[] {
  return text
    .split("|")
    .map((t) => t.trim())
    .filter(Boolean);
}

/** Text, or few distinct whole numbers: classes; several 0/1 columns: labels; other numbers: a regression. */
function inferTask(labels: readonly ColumnStats[]): Task {
  const binary = (s: ColumnStats) => s.numbers && [...s.counts.keys()].every((t) => Number(t) === 0 || Number(t) === 1);
  if (labels.length > 1) return labels.every(binary) ? "multilabel" : "regression";
  const s = labels[0]!;
  if (!s.numbers) return "classification";
  return s.integers && s.counts.size <= MAX_INFERRED_CLASSES ? "classification" : "regression";
}
