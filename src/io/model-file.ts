import { basename } from "node:path";
import type { ActivationName } from "../engine/activations.js";
import type { Network } from "../engine/network.js";
import { parseProblem } from "../problem/parse.js";
import { fileBeside, readBytes, writeAtomically } from "./files.js";
import { detectFormat } from "./formats.js";
import { say, type Say } from "../i18n/translate.js";

export { writeAtomically } from "./files.js";
import { decodeModel, encodeModel } from "./gradstep-format.js";
import { modelOfNetwork, modelOfProblem, type Model, type ModelFormat, type ModelRecord } from "./model.js";
import { importOnnx } from "./onnx-import.js";
import { readSafeTensors } from "./safetensors.js";
import { linearStack, stackModel } from "./sequential.js";
import { importTfjs } from "./tfjs-import.js";

/**
 * Model files: gradstep's own (gradstep-format.ts) written and read, and
 * every other format gradstep reads (safetensors, ONNX, TensorFlow.js,
 * problem files) read into the same `Model`.
 */
export { MODEL_FORMAT, MODEL_VERSION, type Model, type ModelInfo, type ModelRecord } from "./model.js";
export { biasName, modelSchema, networkTensors, weightName, type ModelHeader } from "./gradstep-format.js";

/** The model file's name (with .json) and the safetensors file beside it. */
export function modelPaths(file: string): { json: string; weights: string } {
  const json = file.endsWith(".json") ? file : `${file}.json`;
  return { json, weights: json.replace(/\.json$/, ".safetensors") };
}

/** Saves a network as FILE.json with FILE.safetensors beside it; returns both paths. */
export function saveModel(file: string, net: Network, record: ModelRecord = {}): { json: string; weights: string } {
  const paths = modelPaths(file);
  const encoded = encodeModel(modelOfNetwork(net, record), basename(paths.weights));
  writeAtomically(paths.weights, encoded.weights!);
  writeAtomically(paths.json, encoded.json);
  return paths;
}

export interface LoadOptions {
  /** The activations of a bare safetensors file, one per Linear layer. */
  readonly activations?: readonly ActivationName[] | undefined;
}

/** Reads a model in any format gradstep reads, and says which it was. */
export function readModel(file: string, options: LoadOptions = {}): { format: ModelFormat; model: Model } {
  const bytes = readBytes(file, say("modelError.what.modelFile"));
  const format = detectFormat(file, bytes);
  const text = () => new TextDecoder().decode(bytes);
  const beside = (name: string, what: Say) => {
    const path = fileBeside(file, name, what);
    return { bytes: readBytes(path, say("modelError.what.beside", { what, name, model: basename(file) })), path };
  };
  switch (format) {
    case "gradstep":
      return { format, model: decodeModel(text(), file, (name) => beside(name, say("modelError.what.weightsFile"))) };
    case "safetensors":
      return { format, model: stackModel(linearStack(readSafeTensors(bytes, file).tensors, file), options.activations, file) };
    case "onnx":
      return { format, model: importOnnx(bytes, file) };
    case "tfjs":
      return { format, model: importTfjs(text(), (name) => beside(name, say("modelError.what.weightsShard")).bytes, file) };
    case "problem":
      return { format, model: modelOfProblem(parseProblem(text(), { file })) };
  }
}

/**
 * Reads a model file: gradstep's own JSON (weights inline or in safetensors
 * beside it), a bare safetensors file of an nn.Sequential of Linear layers
 * (with `activations`), an ONNX MLP, a TensorFlow.js layers model.json, or a
 * problem file's network. Anything malformed is an InputError naming the file.
 */
export function loadModel(file: string, options: LoadOptions = {}): Model {
  return readModel(file, options).model;
}
