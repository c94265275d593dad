import type { LossName } from "../engine/losses.js";
import { InputError } from "../input-error.js";
import { say } from "../i18n/translate.js";
import { parseProblem } from "../problem/parse.js";
import type { Problem } from "../problem/problem.js";
import { problemFile } from "../problem/to-file.js";
import { decodeModel } from "./gradstep-format.js";
import type { Model } from "./model.js";
import { importOnnx } from "./onnx-import.js";

/** The loss a model was trained with, or the one its output activation pairs with. */
function lossOf(model: Model): LossName {
  if (model.header.loss) return model.header.loss.type;
  const output = model.spec.layers.at(-1)!.activation;
  return output === "softmax" ? "cross_entropy" : output === "sigmoid" ? "binary_cross_entropy" : "half_squared_error";
}

/**
 * A model as an exercise to look at: its network, notation and loss, with
 * one sample of zeros (and the first class as target) to edit, and no
 * update. The page opens model files this way.
 */
export function problemOfModel(model: Model, file?: string): Problem {
  const { spec, header } = model;
  const outputs = spec.layers.at(-1)!.units;
  const loss = lossOf(model);
  const target = Array.from({ length: outputs }, (_, j) => (loss === "cross_entropy" && j === 0 ? 1 : 0));
  const written = problemFile({
    title: header.title ?? `Model${file ? ` ${file}` : ""}: ${[spec.inputs, ...spec.layers.map((l) => l.units)].join("-")}`,
    network: spec,
    loss: { type: loss, reduction: header.loss?.reduction ?? "mean" },
    data: { inputs: [new Array<number>(spec.inputs).fill(0)], targets: [target] },
    training: { optimizer: "sgd", steps: 0 },
    report: { inputGradients: true },
    ...(header.notation ? { notation: header.notation } : {}),
  });
  return parseProblem(written, file === undefined ? {} : { file });
}

/** Whether parsed JSON is a gradstep model file rather than a problem file. */
export function isModelDocument(document: unknown): boolean {
  return typeof document === "object" && document !== null && (document as { format?: unknown }).format === "gradstep-model";
}

/** A gradstep model file whose weights are inline (the page cannot read a safetensors file beside it). */
export function modelFromText(text: string, file?: string): Model {
  return decodeModel(text, file, (name) => {
    throw InputError.said(say("modelError.model.inlineOnly", { name }), { file });
  });
}

export function modelFromOnnx(bytes: Uint8Array, file?: string): Model {
  return importOnnx(bytes, file);
}
