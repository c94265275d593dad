import { Command, Option } from "commander";
import { argumentErrorOf } from "./usage-errors.js";
import type { ActivationName } from "../engine/activations.js";
import { inspectModel, renderSummary } from "../io/inspect.js";
import { parseActivations } from "../io/sequential.js";
import { InputError } from "../input-error.js";
import { formatOption, jsonAlias } from "./options.js";
import { writeOutput } from "./output.js";
import { helpAfter } from "./help-text.js";
import { langOption, translatorFor } from "./lang.js";

/** --arch relu,relu,softmax: the activations of a bare safetensors file, one per Linear layer. */
export function archOption(): Option {
  return new Option("--arch <ACTIVATIONS>", "activations of a bare safetensors file, one per Linear layer (e.g. relu,relu,softmax)").argParser(
    (value: string) => {
      try {
        return parseActivations(value);
      } catch (error) {
        if (error instanceof InputError) throw argumentErrorOf(error);
        throw error;
      }
    },
  );
}

export const inspectCommand = new Command("inspect")
  .description("architecture, precision and parameter counts of a model file (gradstep .json, .safetensors, .onnx, TensorFlow.js model.json)")
  .argument("<FILE>", "the model file")
  .addOption(archOption())
  .addOption(formatOption(["text", "json"]))
  .addOption(jsonAlias())
  .addOption(langOption())
  .addHelpText(
    "after",
    helpAfter(undefined, [
      "gradstep inspect model.json",
      "gradstep inspect model.onnx --format json",
      "gradstep inspect torch.safetensors --arch relu,softmax",
    ]),
  )
  .action(async (file: string, flags: { arch?: ActivationName[]; format: "text" | "json"; lang?: string }) => {
    const t = await translatorFor(flags.lang);
    const summary = inspectModel(file, { activations: flags.arch });
    writeOutput(flags.format === "json" ? JSON.stringify(summary, null, 2) : renderSummary(summary, t), undefined);
  });
