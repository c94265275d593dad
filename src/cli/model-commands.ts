import { Command, InvalidArgumentError } from "commander";
import { typedBackend } from "../engine/backend.js";
import { rowOf } from "../engine/matrix.js";
import { buildNetwork, type Network } from "../engine/network.js";
import { forward } from "../engine/propagate.js";
import { loadModel, type Model } from "../io/model-file.js";
import { InputError } from "../input-error.js";
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
    throw new InputError(`expected data with ${net.inputs} features for this model, found ${test.features} in ${flags.data}`);
  }
  return test;
}

/** Every row of the table a table-trained model is given, encoded as in training; what was imputed or unseen goes to standard error. */
function tableRows(flags: DataFlags, spec: TableSpec, options: { ignoreLabel?: boolean }): Encoded {
  if (flags.data === "digits" || !/\.(?:csv|tsv|txt)$/i.test(flags.data)) {
    throw new InputError(`expected --data TABLE (.csv, .tsv or .txt) for a model trained on a table, found ${JSON.stringify(flags.data)}`);
  }
  const encoded = encodeTable(loadTable(flags.data), spec, options);
  for (const line of reportLines(encoded.report, spec)) process.stderr.write(`gradstep: note: ${line}\n`);
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

function evalTable(net: Network, spec: TableSpec, flags: DataFlags): void {
  const { train: rows } = tableRows(flags, spec, {});
  if (rows.count === 0) throw new InputError("expected labelled rows to evaluate, found none", { file: flags.data });
  const scores = evaluate(net, rows, 1000, undefined, spec.loss);
  const details = spec.task === "classification" ? confusion(net, spec, rows) : undefined;
  const result = { data: rows.name, samples: rows.count, task: spec.task, ...scores, ...details };
  const head = `${rows.name}: ${rows.count} rows, loss ${scores.loss.toFixed(4)}`;
  if (flags.format === "json" || scores.rmse !== undefined) {
    writeOutput(
      flags.format === "json"
        ? JSON.stringify(result)
        : `${head}, RMSE ${scores.rmse!.toPrecision(5)}, MAE ${scores.mae!.toPrecision(5)}, R² ${scores.r2!.toFixed(4)}`,
      undefined,
    );
    return;
  }
  const lines = [`${head}, accuracy ${(100 * scores.accuracy!).toFixed(2)}%`];
  if (details) {
    const width = Math.max(5, ...details.classes.map((c) => c.class.length));
    lines.push("", `${"class".padEnd(width)}  precision  recall  support`);
    for (const c of details.classes)
      lines.push(
        `${c.class.padEnd(width)}  ${(100 * c.precision).toFixed(1).padStart(8)}%  ${(100 * c.recall).toFixed(1).padStart(5)}%  ${String(c.support).padStart(7)}`,
      );
    lines.push("", `confusion matrix (rows: label, columns: predicted; ${details.classes.map((c) => c.class).join(", ")})`);
    for (const [k, row] of details.confusion.entries())
      lines.push(`${details.classes[k]!.class.padEnd(width)}  ${row.map((n) => String(n).padStart(5)).join(" ")}`);
  }
  writeOutput(lines.join("\n"), undefined);
}

function predictTable(net: Network, spec: TableSpec, flags: DataFlags & { limit: number }): void {
  const encoded = tableRows(flags, spec, { ignoreLabel: true });
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
          ? p.labels.join(", ") || "(none)"
          : Object.entries(p.values)
              .map(([name, v]) => `${name} ${figure(v)}`)
              .join(", ");
    return `row ${String(row).padStart(String(encoded.rowNumbers[count - 1] ?? row).length)}: ${what}`;
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
  .addHelpText("after", "\nExample:\n  $ gradstep eval fashion.json --data fashion-mnist")
  .action(async (file: string, flags: DataFlags) => {
    const { model, net } = await open(file);
    if (model.header.table) {
      evalTable(net, model.header.table, flags);
      return;
    }
    const test = heldOut(flags, net);
    const { loss, accuracy = 0 } = evaluate(net, test);
    const result = { data: test.name, samples: test.count, loss, accuracy };
    writeOutput(
      flags.format === "json"
        ? JSON.stringify(result)
        : `${test.name}: ${test.count} samples, loss ${loss.toFixed(4)}, accuracy ${(100 * accuracy).toFixed(2)}%`,
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
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number ≥ 1.");
      return n;
    },
    10,
  )
  .addOption(formatOption(["text", "json"], "output format (json: one object per sample: predicted class, its probability, the probabilities, the label)"))
  .addOption(jsonAlias())
  .addHelpText("after", "\nExample:\n  $ gradstep predict fashion.json --data fashion-mnist --limit 5")
  .action(async (file: string, flags: DataFlags & { limit: number }) => {
    const { model, net } = await open(file);
    if (model.header.table) {
      predictTable(net, model.header.table, flags);
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
        : `sample ${String(i).padStart(String(count).length)}: ${label(predicted)} (${(100 * p[predicted]!).toFixed(1)}%)  label ${label(test.labels[i]!)}${predicted === test.labels[i] ? "" : "  ✗"}`;
    });
    writeOutput(lines.join("\n"), undefined);
  });
