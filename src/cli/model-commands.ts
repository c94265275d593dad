import { Command } from "commander";
import { argumentError } from "./usage-errors.js";
import { dataName } from "./data-name.js";
import { typedBackend } from "../engine/backend.js";
import { rowOf } from "../engine/matrix.js";
import { buildNetwork, type Network } from "../engine/network.js";
import { forward } from "../engine/propagate.js";
import { loadModel, type Model } from "../io/model-file.js";
import { InputError } from "../input-error.js";
import type { Translator } from "../i18n/translate.js";
import { displayWidth as columns, padEnd as pad } from "../display-width.js";
import { helpAfter } from "./help-text.js";
import { langOption, translatorFor } from "./lang.js";
import type { Dataset } from "../train/data/index.js";
import { fastBackend } from "../kernels/engine-backend.js";
import { loadSplit } from "../train/sources.js";
import { confusionMatrix } from "../train/confusion.js";
import { evaluate } from "../train/trainer.js";
import type { TableSpec } from "../io/table-spec.js";
import { encodeTable, type Encoded } from "../train/table/encode.js";
import { loadTable } from "../train/table/source.js";
import { predictRows } from "../train/table/train-table.js";
import { reportLines } from "./table-report.js";
import { formatOption, jsonAlias } from "./options.js";
import { writeOutput } from "./output.js";
import { enableRelaxedSimd } from "./wasm-flags.js";

interface DataFlags {
  data: string;
  label?: string;
  format: "text" | "json";
  lang?: string;
}

/** A saved model on the backend of its precision: the WebAssembly kernels for float32, the exact engine for float64. */
async function open(file: string): Promise<{ model: Model; net: Network }> {
  const model = loadModel(file);
  enableRelaxedSimd();
  const backend = model.header.dtype === "float32" ? await fastBackend() : typedBackend("float64");
  return { model, net: buildNetwork(model.spec, backend) };
}

/** The held-out part of the data, checked against the model's input size. */
function heldOut(flags: DataFlags, net: Network): Dataset {
  const { test } = loadSplit(flags.data, { label: flags.label });
  if (test.features !== net.inputs) {
    throw InputError.said((t) => t.text("command.model.features", { inputs: String(net.inputs), found: String(test.features), data: flags.data }));
  }
  return test;
}

/** Every row of the table a table-trained model is given, encoded as in training; what was imputed or unseen goes to standard error. */
function tableRows(flags: DataFlags, spec: TableSpec, options: { ignoreLabel?: boolean }, t: Translator): Encoded {
  if (flags.data === "digits" || !/\.(?:csv|tsv|txt)$/i.test(flags.data)) {
    throw InputError.said((t) => t.text("command.model.tableData", { data: JSON.stringify(flags.data) }));
  }
  const encoded = encodeTable(loadTable(flags.data), spec, options);
  for (const line of reportLines(encoded.report, spec, t)) process.stderr.write(`gradstep: ${t.text("command.note", { note: line })}\n`);
  return encoded;
}

/** Per-class precision and recall and the confusion matrix (rows: the label, columns: the prediction). */
function confusion(
  net: Network,
  spec: TableSpec,
  data: Dataset,
): { classes: { class: string; precision: number; recall: number; support: number }[]; confusion: number[][] } {
  const names = spec.label.classes!;
  const index = new Map(names.map((n, k) => [n, k]));
  const predicted = predictRows(net, spec, data).map((p) => ("class" in p ? index.get(p.class)! : -1));
  const counts = confusionMatrix(data.labels, predicted, names.length);
  const matrix = names.map((_, t) => Array.from(counts.subarray(t * names.length, (t + 1) * names.length)));
  const classes = names.map((name, k) => {
    const predicted = matrix.reduce((s, row) => s + row[k]!, 0),
      support = matrix[k]!.reduce((s, n) => s + n, 0);
    return { class: name, precision: predicted ? matrix[k]![k]! / predicted : 0, recall: support ? matrix[k]![k]! / support : 0, support };
  });
  return { classes, confusion: matrix };
}

function evalTable(net: Network, spec: TableSpec, flags: DataFlags, t: Translator): void {
  const { train: rows } = tableRows(flags, spec, {}, t);
  if (rows.count === 0) throw InputError.said((t) => t.text("command.model.noRows"), { file: flags.data });
  const scores = evaluate(net, rows, 1000, undefined, spec.loss);
  const details = spec.task === "classification" ? confusion(net, spec, rows) : undefined;
  const result = { data: rows.name, samples: rows.count, task: spec.task, ...scores, ...details };
  const head = { name: rows.name, rows: String(rows.count), loss: scores.loss.toFixed(4) };
  if (flags.format === "json" || scores.rmse !== undefined) {
    writeOutput(
      flags.format === "json"
        ? JSON.stringify(result)
        : t.text("command.eval.tableRegression", { ...head, rmse: scores.rmse!.toPrecision(5), mae: scores.mae!.toPrecision(5), r2: scores.r2!.toFixed(4) }),
      undefined,
    );
    return;
  }
  const lines = [t.text("command.eval.tableAccuracy", { ...head, accuracy: `${(100 * scores.accuracy!).toFixed(2)}%` })];
  if (details) {
    // Columns as wide as their heading in the reader's language (a CJK character takes two columns of a terminal).
    const headings = [t.text("command.eval.class"), t.text("command.eval.precision"), t.text("command.eval.recall"), t.text("command.eval.support")];
    const [precision, recall, support] = [Math.max(9, columns(headings[1]!)), Math.max(6, columns(headings[2]!)), Math.max(7, columns(headings[3]!))];
    const width = Math.max(columns(headings[0]!), ...details.classes.map((c) => c.class.length));
    lines.push("", [pad(headings[0]!, width), pad(headings[1]!, precision), pad(headings[2]!, recall), pad(headings[3]!, support)].join("  ").trimEnd());
    for (const c of details.classes)
      lines.push(
        `${c.class.padEnd(width)}  ${(100 * c.precision).toFixed(1).padStart(precision - 1)}%  ${(100 * c.recall).toFixed(1).padStart(recall - 1)}%  ${String(c.support).padStart(support)}`,
      );
    lines.push("", t.text("command.eval.confusion", { classes: details.classes.map((c) => c.class).join(", ") }));
    for (const [k, row] of details.confusion.entries())
      lines.push(`${details.classes[k]!.class.padEnd(width)}  ${row.map((n) => String(n).padStart(5)).join(" ")}`);
  }
  writeOutput(lines.join("\n"), undefined);
}

function predictTable(net: Network, spec: TableSpec, flags: DataFlags & { limit: number }, t: Translator): void {
  const encoded = tableRows(flags, spec, { ignoreLabel: true }, t);
  const rows = encoded.train;
  const count = Math.min(flags.limit, rows.count);
  const predictions = predictRows(net, spec, { ...rows, count, inputs: rows.inputs.subarray(0, count * rows.features) });
  const figure = (v: number) => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString("en-US") : Number(v.toPrecision(5)).toString());
  const lines = predictions.map((p, i) => {
    const row = encoded.rowNumbers[i]!;
    if (flags.format === "json") return JSON.stringify({ row, ...p });
    const what =
      "class" in p
        ? `${p.class} (${(100 * p.probability).toFixed(1)}%)`
        : "labels" in p
          ? p.labels.join(", ") || t.text("command.predict.noLabels")
          : Object.entries(p.values)
              .map(([name, v]) => `${name} ${figure(v)}`)
              .join(", ");
    return t.text("command.predict.row", { row: String(row).padStart(String(encoded.rowNumbers[count - 1] ?? row).length), prediction: what });
  });
  writeOutput(lines.join("\n"), undefined);
}

export const evalCommand = new Command("eval")
  .description(
    "loss and accuracy (a regression: RMSE, MAE, R²; a classifier of a table: per-class precision, recall, confusion matrix) of a saved model on held-out data",
  )
  .argument("<MODEL>", "model file written by gradstep train (model.json)")
  .option("--data <SOURCE>", "digits, fashion-mnist, a folder of IDX files, or a .csv file (for a model trained on a table: every row of the table)", "digits")
  .option("--label <COLUMN>", "the label column of a CSV file")
  .addOption(formatOption(["text", "json"]))
  .addOption(jsonAlias())
  .addOption(langOption())
  .addHelpText("after", helpAfter(undefined, ["gradstep eval fashion.json --data fashion-mnist"]))
  .action(async (file: string, flags: DataFlags) => {
    const t = await translatorFor(flags.lang);
    const { model, net } = await open(file);
    if (model.header.table) {
      evalTable(net, model.header.table, flags, t);
      return;
    }
    const test = heldOut(flags, net);
    const { loss, accuracy = 0 } = evaluate(net, test);
    const result = { data: test.name, samples: test.count, loss, accuracy };
    writeOutput(
      flags.format === "json"
        ? JSON.stringify(result)
        : t.text("command.eval.result", {
            name: dataName(test.name, t),
            samples: String(test.count),
            loss: loss.toFixed(4),
            accuracy: `${(100 * accuracy).toFixed(2)}%`,
          }),
      undefined,
    );
  });

export const predictCommand = new Command("predict")
  .description("class predictions of a saved model for held-out samples")
  .argument("<MODEL>", "model file written by gradstep train (model.json)")
  .option("--data <SOURCE>", "digits, fashion-mnist, a folder of IDX files, or a .csv file (for a model trained on a table: every row of the table)", "digits")
  .option("--label <COLUMN>", "the label column of a CSV file")
  .option(
    "--limit <N>",
    "how many samples",
    (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw argumentError("usage.wholeNumberAtLeast", { min: 1 });
      return n;
    },
    10,
  )
  .addOption(formatOption(["text", "json"], "output format (json: one object per sample: predicted class, its probability, the probabilities, the label)"))
  .addOption(jsonAlias())
  .addOption(langOption())
  .addHelpText("after", helpAfter(undefined, ["gradstep predict fashion.json --data fashion-mnist --limit 5"]))
  .action(async (file: string, flags: DataFlags & { limit: number }) => {
    const t = await translatorFor(flags.lang);
    const { model, net } = await open(file);
    if (model.header.table) {
      predictTable(net, model.header.table, flags, t);
      return;
    }
    const test = heldOut(flags, net);
    const count = Math.min(flags.limit, test.count);
    const x = net.backend.matrix(count, net.inputs);
    x.data.set(test.inputs.subarray(0, count * net.inputs));
    const output = forward(net, x).at(-1)!;
    const names = model.header.classes ?? test.classNames;
    const label = (k: number) => names?.[k] ?? String(k);
    const lines = Array.from({ length: count }, (_, i) => {
      const p = Array.from(rowOf(output.a, i));
      const predicted = p.indexOf(Math.max(...p));
      return flags.format === "json"
        ? JSON.stringify({ sample: i, predicted, class: label(predicted), probability: p[predicted], probabilities: p, label: test.labels[i] })
        : t.text("command.predict.sample", {
            sample: String(i).padStart(String(count).length),
            predicted: label(predicted),
            probability: `${(100 * p[predicted]!).toFixed(1)}%`,
            label: label(test.labels[i]!),
            wrong: predicted === test.labels[i] ? "" : "  ✗",
          });
    });
    writeOutput(lines.join("\n"), undefined);
  });
