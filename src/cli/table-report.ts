import { encodedWidth, type TableSpec } from "../io/table-spec.js";
import type { EncodeReport } from "../train/table/encode.js";
import type { PreparedTable } from "../train/table/train-table.js";

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : word.endsWith("s") ? "es" : "s"}`;

/** What the model makes of each column: `area (number)`, `city (category: 5)`. */
function columnsLine(spec: TableSpec): string {
  return spec.columns
    .map((c) => `${c.name} (${c.kind === "category" ? `category: ${c.categories.length}` : c.kind}${c.indicator ? ", with missing indicator" : ""})`)
    .join(", ");
}

/** Rows dropped, cells imputed and categories never seen in training, as lines; none when nothing happened. */
export function reportLines(report: EncodeReport, spec: TableSpec): string[] {
  const lines: string[] = [];
  const { missingLabel, missingFeature, unknownLabel } = report.dropped;
  const dropped = [
    missingLabel && `${plural(missingLabel, "row")} without a label`,
    missingFeature && `${plural(missingFeature, "row")} with a missing feature (--missing drop)`,
    unknownLabel && `${plural(unknownLabel, "row")} of a class the model does not know`,
  ].filter(Boolean);
  if (dropped.length > 0) lines.push(`left out ${dropped.join(", ")}`);
  const imputed = Object.entries(report.imputed);
  if (imputed.length > 0) {
    const how = (name: string) => (spec.columns.find((c) => c.name === name)?.kind === "category" ? "most frequent" : "mean");
    lines.push(`missing cells filled in: ${imputed.map(([name, n]) => `${name} ${n} (${how(name)})`).join(", ")}`);
  }
  for (const [name, seen] of Object.entries(report.unseen)) {
    const list = Object.entries(seen).sort((a, b) => b[1] - a[1]);
    const shown = list
      .slice(0, 5)
      .map(([value, n]) => `${JSON.stringify(value)} ×${n}`)
      .join(", ");
    lines.push(
      `column "${name}": ${plural(
        list.reduce((s, [, n]) => s + n, 0),
        "cell",
      )} of categories not seen in training, encoded as none: ${shown}${list.length > 5 ? ", …" : ""}`,
    );
  }
  return lines;
}

/** The lines `train` prints about a table before training: what was inferred, left out and filled in. */
export function describeTable(table: PreparedTable): string[] {
  const { spec, train, test, report, ignored } = table;
  const width = spec.columns.reduce((n, c) => n + encodedWidth(c), 0);
  const labels = spec.label.columns.join(", ");
  const task =
    spec.task === "classification"
      ? `classification of ${labels} into ${plural(spec.label.classes!.length, "class")} (${spec.label.classes!.slice(0, 8).join(", ")}${spec.label.classes!.length > 8 ? ", …" : ""})`
      : spec.task === "regression"
        ? `regression of ${labels} (${spec.loss} on standardized targets; errors reported in the targets' units)`
        : `multi-label of ${plural(spec.label.classes!.length, "label")}`;
  return [
    `${train.name.replace(/ \(train\)$/, "")}: ${plural(report.rows, "row")}, ${train.count} for training and ${test.count} held out; ${task}`,
    `features: ${columnsLine(spec)} → ${plural(width, "input")}, standardized with the training rows' statistics`,
    ...(ignored.length > 0 ? [`left out: ${ignored.map((i) => `${i.column} (${i.reason})`).join(", ")}`] : []),
    ...reportLines(report, spec),
  ];
}
