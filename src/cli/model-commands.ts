import { Command, InvalidArgumentError } from "commander";
import { typedBackend } from "../engine/backend.js";
import { rowOf } from "../engine/matrix.js";
import { buildNetwork, type Network } from "../engine/network.js";
import { forward } from "../engine/propagate.js";
import { loadModel, type Model } from "../io/model-file.js";
import { InputError } from "../problem/input-error.js";
import type { Dataset } from "../train/data/index.js";
import { fastBackend } from "../train/kernel-backend.js";
import { loadSplit } from "../train/sources.js";
import { evaluate } from "../train/trainer.js";
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

export const evalCommand = new Command("eval")
  .description("loss and accuracy of a saved model on held-out data")
  .argument("<MODEL>", "model file written by gradstep train (model.json)")
  .option("--data <SOURCE>", "digits, fashion-mnist, a folder of IDX files, or a .csv file", "digits")
  .option("--label <COLUMN>", "the label column of a CSV file")
  .addOption(formatOption(["text", "json"]))
  .addOption(jsonAlias())
  .addHelpText("after", "\nExample:\n  $ gradstep eval fashion.json --data fashion-mnist")
  .action(async (file: string, flags: DataFlags) => {
    const { net } = await open(file);
    const test = heldOut(flags, net);
    const { loss, accuracy } = evaluate(net, test);
    const result = { data: test.name, samples: test.count, loss, accuracy };
    writeOutput(flags.format === "json" ? JSON.stringify(result) : `${test.name}: ${test.count} samples, loss ${loss.toFixed(4)}, accuracy ${(100 * accuracy).toFixed(2)}%`, undefined);
  });

export const predictCommand = new Command("predict")
  .description("class predictions of a saved model for held-out samples")
  .argument("<MODEL>", "model file written by gradstep train (model.json)")
  .option("--data <SOURCE>", "digits, fashion-mnist, a folder of IDX files, or a .csv file", "digits")
  .option("--label <COLUMN>", "the label column of a CSV file")
  .option("--limit <N>", "how many samples", (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number ≥ 1.");
    return n;
  }, 10)
  .addOption(formatOption(["text", "json"], "output format (json: one object per sample: predicted class, its probability, the probabilities, the label)"))
  .addOption(jsonAlias())
  .addHelpText("after", "\nExample:\n  $ gradstep predict fashion.json --data fashion-mnist --limit 5")
  .action(async (file: string, flags: DataFlags & { limit: number }) => {
    const { model, net } = await open(file);
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
