import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { Command, Option } from "commander";
import type { ActivationName } from "../engine/activations.js";
import type { DType } from "../engine/matrix.js";
import { buildNetwork } from "../engine/network.js";
import { encodeModel } from "../io/gradstep-format.js";
import { modelPaths, readModel } from "../io/model-file.js";
import { exportOnnx } from "../io/onnx-export.js";
import { ACTIVATION_RULES } from "../rules/activations.js";
import { exportTfjs, TFJS_MODEL_FILE, TFJS_SHARD_FILE } from "../io/tfjs-export.js";
import { claimOutput } from "../io/files.js";
import { tableAffines } from "../io/table-spec.js";
import { InputError } from "../input-error.js";
import { archOption } from "./inspect.js";
import { formatName } from "../io/inspect.js";
import { writeOutput } from "./output.js";
import { helpAfter } from "./help-text.js";
import { langOption, translatorFor } from "./lang.js";

interface ExportFlags {
  model?: string;
  onnx?: string;
  tfjs?: string;
  arch?: ActivationName[];
  dtype?: DType;
  inline?: boolean;
  force?: boolean;
  lang?: string;
}

export const exportCommand = new Command("export")
  .description("convert a model, or a problem file's network, to a gradstep model file, ONNX or TensorFlow.js")
  .argument("<INPUT>", "a gradstep model .json, a problem file, an .onnx file, a TensorFlow.js model.json, or a .safetensors file (with --arch)")
  .option("--model <FILE>", "write a gradstep model file (FILE.json, weights inline or in FILE.safetensors beside it)")
  .option("--onnx <FILE>", "write an ONNX model (Gemm and activation nodes, in the model's precision)")
  .option("--tfjs <DIR>", `write a TensorFlow.js layers model (${TFJS_MODEL_FILE} and ${TFJS_SHARD_FILE}, float32) into DIR`)
  .addOption(archOption())
  .addOption(new Option("--dtype <TYPE>", "store the parameters in this precision (default: the input's)").choices(["float32", "float64"]))
  .option("--inline", "put the weights inside the --model file (the default for problem files)")
  .option("--no-inline", "put the weights in a safetensors file beside the --model file (the default for models)")
  .option("--force", "replace output files that exist")
  .addOption(langOption())
  .addHelpText(
    "after",
    helpAfter(undefined, [
      "gradstep export exercise.json --model exercise.model.json",
      "gradstep export model.json --onnx model.onnx --tfjs web-model",
      "gradstep export other.onnx --model imported.json",
      "gradstep export torch.safetensors --arch relu,softmax --onnx torch.onnx",
    ]),
  )
  .action(async (input: string, flags: ExportFlags) => {
    const t = await translatorFor(flags.lang);
    if (flags.model === undefined && flags.onnx === undefined && flags.tfjs === undefined) {
      throw InputError.said((t) => t.text("command.export.noOutput"));
    }
    const read = readModel(input, { activations: flags.arch });
    const dtype = flags.dtype ?? read.model.header.dtype;
    const model = { ...read.model, header: { ...read.model.header, dtype } };
    // Every output is checked before any is written: none replaces an input, nor, without --force, an existing file.
    const outputs = [
      ...(flags.model === undefined
        ? []
        : (flags.inline ?? read.format === "problem")
          ? [modelPaths(flags.model).json]
          : Object.values(modelPaths(flags.model))),
      ...(flags.onnx === undefined ? [] : [flags.onnx]),
      ...(flags.tfjs === undefined ? [] : [join(flags.tfjs, TFJS_SHARD_FILE), join(flags.tfjs, TFJS_MODEL_FILE)]),
    ];
    for (const output of outputs) claimOutput(output, { force: flags.force });
    const sizes = [model.spec.inputs, ...model.spec.layers.map((l) => l.units)].join("-");
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const note = (text: string) => log(t.text("command.note", { note: text }));
    log(t.text("command.export.read", { input, format: formatName(read.format, t), dtype: read.model.header.dtype, sizes }));

    if (flags.model !== undefined) {
      const paths = modelPaths(flags.model);
      const inline = flags.inline ?? read.format === "problem";
      const encoded = encodeModel(model, inline ? undefined : basename(paths.weights));
      if (encoded.weights) writeOutput(encoded.weights, paths.weights, true);
      writeOutput(encoded.json, paths.json);
      log(
        encoded.weights
          ? t.text("command.export.wroteModel", { json: paths.json, weights: paths.weights, dtype })
          : t.text("command.export.wroteModelInline", { json: paths.json, dtype }),
      );
    }
    if (flags.onnx !== undefined) {
      const table = model.header.table;
      writeOutput(exportOnnx(buildNetwork(model.spec, dtype), table ? tableAffines(table) : {}), flags.onnx, true);
      log(t.text("command.export.wroteOnnx", { file: flags.onnx, dtype }));
      const floatOnly = [...new Set(model.spec.layers.map((l) => l.activation))].filter((a) => ACTIVATION_RULES[a].onnx.floatOnlyInOnnxRuntime);
      if (dtype === "float64" && floatOnly.length > 0) note(t.text("command.export.onnxFloat32", { activations: floatOnly.join(", "), file: flags.onnx }));
      if (table) {
        note(
          t.text(table.task === "regression" ? "command.export.onnxTableRegression" : "command.export.onnxTable", {
            file: flags.onnx,
            input,
          }),
        );
      }
    }
    if (flags.tfjs !== undefined) {
      const files = exportTfjs(model.spec, dtype, t);
      try {
        mkdirSync(flags.tfjs, { recursive: true });
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? String(error);
        throw InputError.said((t) => t.text("command.export.folder", { reason }), { file: flags.tfjs });
      }
      writeOutput(files.weights, join(flags.tfjs, TFJS_SHARD_FILE), true);
      writeOutput(files.modelJson, join(flags.tfjs, TFJS_MODEL_FILE));
      for (const text of files.notes) note(text);
      if (model.header.table) note(t.text(model.header.table.label.linear ? "command.export.tfjsTableLinear" : "command.export.tfjsTable"));
      log(t.text("command.export.wroteTfjs", { model: join(flags.tfjs, TFJS_MODEL_FILE), shard: TFJS_SHARD_FILE }));
    }
  });
