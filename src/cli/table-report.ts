import { encodedWidth, type TableSpec } from "../io/table-spec.js";
import { english, type MessageKey, type Translator } from "../i18n/translate.js";
import type { EncodeReport } from "../train/table/encode.js";
import type { PreparedTable } from "../train/table/train-table.js";

/** A count's message: `count` chooses the plural form, `n` is the count as written (grouped as English writes it: 48,210). */
const counted = (t: Translator, key: MessageKey, count: number) => t.text(key, { count, n: count.toLocaleString("en-US") });

/** A column's kind in the reader's words. */
function kindOf(t: Translator, kind: string): string {
  return kind === "number" ? t.text("command.table.kindNumber") : kind === "date" ? t.text("command.table.kindDate") : kind;
}

/** What the model makes of each column: `area (number)`, `city (category: 5)`. */
function columnsLine(spec: TableSpec, t: Translator): string {
  return spec.columns
    .map((c) =>
      t.text(c.indicator ? "command.table.columnWithIndicator" : "command.table.column", {
        name: c.name,
        kind: c.kind === "category" ? t.text("command.table.kindCategory", { count: String(c.categories.length) }) : kindOf(t, c.kind),
      }),
    )
    .join(t.text("command.table.separator"));
}

/** Rows dropped, cells imputed and categories never seen in training, as lines; none when nothing happened. */
export function reportLines(report: EncodeReport, spec: TableSpec, t: Translator = english): string[] {
  const lines: string[] = [];
  const { missingLabel, missingFeature, unknownLabel } = report.dropped;
  const dropped = [
    missingLabel && counted(t, "command.table.droppedNoLabel", missingLabel),
    missingFeature && counted(t, "command.table.droppedMissing", missingFeature),
    unknownLabel && counted(t, "command.table.droppedUnknownClass", unknownLabel),
  ].filter((line): line is string => Boolean(line));
  if (dropped.length > 0) lines.push(t.text("command.table.leftOutRows", { rows: dropped.join(t.text("command.table.separator")) }));
  const imputed = Object.entries(report.imputed);
  if (imputed.length > 0) {
    const how = (name: string) =>
      spec.columns.find((c) => c.name === name)?.kind === "category" ? t.text("command.table.mostFrequent") : t.text("command.table.mean");
    lines.push(
      t.text("command.table.imputed", {
        cells: imputed
          .map(([name, n]) => t.text("command.table.imputedColumn", { name, count: String(n), how: how(name) }))
          .join(t.text("command.table.separator")),
      }),
    );
  }
  for (const [name, seen] of Object.entries(report.unseen)) {
    const list = Object.entries(seen).sort((a, b) => b[1] - a[1]);
    const shown = list
      .slice(0, 5)
      .map(([value, n]) => `${JSON.stringify(value)} ×${n}`)
      .join(", ");
    const cells = list.reduce((s, [, n]) => s + n, 0);
    lines.push(
      t.text("command.table.unseen", {
        column: JSON.stringify(name),
        count: cells,
        n: cells.toLocaleString("en-US"),
        values: `${shown}${list.length > 5 ? ", …" : ""}`,
      }),
    );
  }
  return lines;
}

/** The lines `train` prints about a table before training: what was inferred, left out and filled in. */
export function describeTable(table: PreparedTable, t: Translator = english): string[] {
  const { spec, train, test, report, ignored } = table;
  const width = spec.columns.reduce((n, c) => n + encodedWidth(c), 0);
  const labels = spec.label.columns.join(", ");
  const task =
    spec.task === "classification"
      ? t.text("command.table.classification", {
          labels,
          count: spec.label.classes!.length,
          n: spec.label.classes!.length.toLocaleString("en-US"),
          classes: `${spec.label.classes!.slice(0, 8).join(", ")}${spec.label.classes!.length > 8 ? ", …" : ""}`,
        })
      : spec.task === "regression"
        ? t.text("command.table.regression", { labels, loss: String(spec.loss) })
        : counted(t, "command.table.multiLabel", spec.label.classes!.length);
  return [
    t.text("command.table.rows", {
      name: train.name.replace(/ \(train\)$/, ""),
      rows: counted(t, "command.table.rowCount", report.rows),
      train: String(train.count),
      test: String(test.count),
      task,
    }),
    t.text("command.table.features", { columns: columnsLine(spec, t), inputs: counted(t, "command.table.inputCount", width) }),
    ...(ignored.length > 0
      ? [
          t.text("command.table.ignored", {
            columns: ignored.map((i) => t.text("command.table.ignoredColumn", { name: i.column, reason: i.say(t) })).join(t.text("command.table.separator")),
          }),
        ]
      : []),
    ...reportLines(report, spec, t),
  ];
}
