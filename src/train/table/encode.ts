import { encodedWidth, inputScaling, type TableSpec } from "../../io/table-spec.js";
import { describeValue, InputError } from "../../input-error.js";
import { didYouMean, quotedList } from "../../io/error-phrases.js";
import { say, type Translator } from "../../i18n/translate.js";
import { withClassNames, type Dataset } from "../data/dataset.js";
import { isMissing, parseDate, parseNumber } from "./cells.js";
import { splitLabels } from "./fit.js";
import { withLinear } from "./linear.js";
import type { TableSource } from "./source.js";

/** What encoding a table did to its rows, for the person who brought it. */
export interface EncodeReport {
  /** Data rows read. */
  rows: number;
  /** Rows left out: no label, a missing feature under `drop`, or a class the model does not know. */
  readonly dropped: { missingLabel: number; missingFeature: number; unknownLabel: number };
  /** Missing cells filled in (mean or most frequent), per column. */
  readonly imputed: Record<string, number>;
  /** Categories the model never saw in training (encoded as all zeros), per column, with counts. */
  readonly unseen: Record<string, Record<string, number>>;
}

/** Rows encoded as the network's inputs and targets; `test` holds the rows `heldOut` marks, when given. */
export interface Encoded {
  readonly train: Dataset;
  readonly test: Dataset;
  readonly report: EncodeReport;
  /** Whether the rows had the label column(s): `predict` works without them. */
  readonly labelled: boolean;
  /** The 1-based row number in the table of each training (or, without `heldOut`, each) encoded row. */
  readonly rowNumbers: readonly number[];
}

export interface EncodeOptions {
  /** Row k goes to `test` when `heldOut[k]` is 1. */
  readonly heldOut?: Uint8Array;
  /** False: a table without the label column is encoded without targets (default: refused). */
  readonly requireLabel?: boolean;
  /** Leave the label column unread, as `predict` does. */
  readonly ignoreLabel?: boolean;
  /** False: the encoded row before standardization, which an exported ONNX model takes. */
  readonly standardize?: boolean;
}

/** A growing float buffer of rows of `width` values. */
class Rows {
  data: Float32Array;
  count = 0;
  constructor(readonly width: number) {
    this.data = new Float32Array(Math.max(1, width) * 256);
  }
  push(values: ArrayLike<number>): void {
    if ((this.count + 1) * this.width > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set(values, this.count++ * this.width);
  }
  take(): Float32Array {
    return this.data.slice(0, this.count * this.width);
  }
}

/**
 * Every row of `source` encoded as `spec` says: numbers and dates
 * standardized with the training statistics, categories one-hot (an unseen
 * one all zeros), missing cells imputed with an indicator or the row
 * dropped; the targets one-hot class indices, standardized values or 0/1
 * labels. Without the label column (and `requireLabel` false) the rows
 * have no targets.
 */
export function encodeTable(source: TableSource, spec: TableSpec, options: EncodeOptions = {}): Encoded {
  const file = source.file;
  const at = (name: string, what: string): number => {
    const k = source.columns.indexOf(name);
    if (k < 0 && what !== "") {
      const values = { name, suggestion: didYouMean(name, source.columns), columns: quotedList(source.columns) };
      throw InputError.said(say(what === "column" ? "modelError.table.missingColumn" : "modelError.table.missingLabel", values), { file });
    }
    return k;
  };
  const featureAt = spec.columns.map((c) => at(c.name, "column"));
  const labelAt = spec.label.columns.map((c) => at(c, options.requireLabel === false || options.ignoreLabel ? "" : "label column"));
  const labelled = !options.ignoreLabel && labelAt.every((k) => k >= 0);
  const { shift, scale } = inputScaling(spec);
  const width = shift.length;
  const outputs = spec.task === "regression" ? spec.label.columns.length : spec.label.classes!.length;
  const classIndex = new Map((spec.label.classes ?? []).map((c, k) => [c, k]));
  const categoryIndex = spec.columns.map((c) => (c.kind === "category" ? new Map(c.categories.map((name, k) => [name, k])) : undefined));

  const report: EncodeReport = { rows: 0, dropped: { missingLabel: 0, missingFeature: 0, unknownLabel: 0 }, imputed: {}, unseen: {} };
  const parts = [0, 1].map(() => ({ inputs: new Rows(width), targets: new Rows(outputs), labels: [] as number[], rows: [] as number[] }));
  const x = new Float64Array(width);
  const t = new Float32Array(outputs);
  let r = 0;
  for (const row of source.rows()) {
    const part = parts[options.heldOut?.[r] ?? 0]!;
    r++;
    // The targets first: a row without a label is left out before its features are counted as imputed.
    let label = 0;
    if (labelled) {
      if (labelAt.some((k) => isMissing(row.cells[k]!))) {
        report.dropped.missingLabel++;
        continue;
      }
      t.fill(0);
      if (spec.task === "classification") {
        const text = row.cells[labelAt[0]!]!.trim();
        const known = classIndex.get(text) ?? classIndex.get(String(parseNumber(text)));
        if (known === undefined) {
          report.dropped.unknownLabel++;
          continue;
        }
        label = known;
        t[known] = 1;
      } else if (spec.task === "regression") {
        labelAt.forEach((k, i) => {
          const value = parseNumber(row.cells[k]!, source.decimalComma);
          if (value === undefined)
            throw InputError.said(
              say("modelError.table.cell", {
                row: r,
                column: spec.label.columns[i]!,
                detail: say("modelError.table.notNumber", { found: (t) => describeValue(row.cells[k]!.trim(), t) }),
              }),
              { file, position: { line: row.line, column: 1 } },
            );
          t[i] = (value - spec.label.mean![i]!) / spec.label.std![i]!;
        });
      } else if (labelAt.length > 1) {
        labelAt.forEach((k, i) => (t[i] = parseNumber(row.cells[k]!) === 1 ? 1 : 0));
      } else {
        for (const name of splitLabels(row.cells[labelAt[0]!]!)) {
          const known = classIndex.get(name);
          if (known !== undefined) t[known] = 1;
        }
      }
    }
    if (spec.missing === "drop" && featureAt.some((k) => isMissing(row.cells[k]!))) {
      report.dropped.missingFeature++;
      continue;
    }
    let j = 0;
    spec.columns.forEach((column, c) => {
      const text = row.cells[featureAt[c]!]!;
      const missing = isMissing(text);
      if (missing) report.imputed[column.name] = (report.imputed[column.name] ?? 0) + 1;
      if (column.kind === "category") {
        x.fill(0, j, j + column.categories.length);
        const name = missing ? column.fill : text.trim();
        const k = categoryIndex[c]!.get(name);
        if (k === undefined) {
          const seen = (report.unseen[column.name] ??= {});
          seen[name] = (seen[name] ?? 0) + 1;
        } else x[j + k] = 1;
        j += column.categories.length;
      } else {
        let value = column.mean;
        if (!missing) {
          const parsed = column.kind === "number" ? parseNumber(text, source.decimalComma) : parseDate(text, column.order ?? "ymd");
          if (parsed === undefined) {
            const found = (t: Translator) => describeValue(text.trim(), t);
            const detail = say(column.kind === "number" ? "modelError.table.numberAsInTraining" : "modelError.table.dateAsInTraining", { found });
            throw InputError.said(say("modelError.table.cell", { row: r, column: column.name, detail }), { file, position: { line: row.line, column: 1 } });
          }
          value = parsed;
        }
        x[j++] = value;
      }
      if (column.indicator) x[j++] = missing ? 1 : 0;
    });
    if (options.standardize !== false) for (let i = 0; i < width; i++) x[i] = (x[i]! - shift[i]!) / scale[i]!;
    part.inputs.push(x);
    part.targets.push(t);
    part.labels.push(label);
    part.rows.push(r);
  }
  report.rows = r;
  const dataset = (k: number, name: string): Dataset => {
    const p = parts[k]!;
    const extra = {
      ...(spec.task === "classification" ? {} : { targets: p.targets.take() }),
      ...(spec.task === "regression" ? { targetUnits: { mean: spec.label.mean!, std: spec.label.std! } } : {}),
    };
    return withClassNames(
      { name, inputs: p.inputs.take(), labels: Int32Array.from(p.labels), count: p.inputs.count, features: width, classes: outputs, ...extra },
      spec.label.classes,
    );
  };
  const [plainTrain, plainTest] = options.heldOut
    ? [dataset(0, `${source.name} (train)`), dataset(1, `${source.name} (test)`)]
    : [dataset(0, source.name), dataset(1, `${source.name} (none)`)];
  // A regression's targets are what its linear fit leaves; the fit is added back to every prediction.
  const linear = spec.label.linear;
  const [train, test] = linear ? [withLinear(plainTrain, linear), withLinear(plainTest, linear)] : [plainTrain, plainTest];
  if (width !== spec.columns.reduce((n, c) => n + encodedWidth(c), 0)) throw new Error("encodeTable: the scaling and the columns disagree");
  return { train, test, report, labelled, rowNumbers: parts[0]!.rows };
}
