import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { ACTIVATION_NAMES } from "../engine/activations.js";
import { LOSS_NAMES, REDUCTIONS } from "../engine/losses.js";
import type { Network, NetworkSpec } from "../engine/network.js";
import { InputError } from "../problem/input-error.js";
import { describeIssue, firstIssue } from "../problem/schema-issues.js";
import { readSafeTensors, writeSafeTensors, type Tensor } from "./safetensors.js";

/**
 * gradstep's own model file: versioned JSON with the architecture and the
 * training record, weights inline (exercises) or in a safetensors file beside
 * it (trained models), laid out as PyTorch's nn.Linear: `layers.K.weight`
 * (units × inputs) and `layers.K.bias`.
 */
export const MODEL_FORMAT = "gradstep-model";
export const MODEL_VERSION = 1;

const layerSchema = z.strictObject({
  units: z.int().min(1),
  activation: z.enum(ACTIVATION_NAMES),
  bias: z.enum(["perNeuron", "shared", "none"]),
});

export const modelSchema = z.looseObject({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_VERSION),
  dtype: z.enum(["float32", "float64"]),
  network: z.strictObject({ inputs: z.int().min(1), layers: z.array(layerSchema).min(1) }),
  loss: z.strictObject({ type: z.enum(LOSS_NAMES), reduction: z.enum(REDUCTIONS) }),
  /** A safetensors file beside this one, or the weights themselves. */
  weights: z.union([z.string().min(1), z.array(z.strictObject({ weights: z.array(z.array(z.number())), bias: z.array(z.number()) }))]),
  classes: z.array(z.string()).optional(),
  training: z.record(z.string(), z.unknown()).optional(),
});

export type ModelHeader = z.infer<typeof modelSchema>;

export interface Model {
  readonly header: ModelHeader;
  readonly spec: NetworkSpec;
}

export function weightName(layer: number): string {
  return `layers.${layer}.weight`;
}

export function biasName(layer: number): string {
  return `layers.${layer}.bias`;
}

/** The network's parameters as safetensors tensors, in its own precision. */
export function networkTensors(net: Network): Map<string, Tensor> {
  const tensors = new Map<string, Tensor>();
  net.layers.forEach((layer, k) => {
    tensors.set(weightName(k), { shape: [layer.units, layer.inputs], data: layer.weights.data.slice() });
    tensors.set(biasName(k), { shape: [layer.bias.cols], data: layer.bias.data.slice() });
  });
  return tensors;
}

/** Writes `file` through a temporary file and a rename, so a crash never leaves half a file. */
export function writeAtomically(file: string, content: string | Uint8Array): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Saves a model as FILE.json with FILE.safetensors beside it; returns both paths. */
export interface ModelRecord {
  readonly loss: ModelHeader["loss"];
  readonly classes?: string[];
  readonly training?: Record<string, unknown>;
}

export function saveModel(file: string, net: Network, record: ModelRecord): { json: string; weights: string } {
  const json = file.endsWith(".json") ? file : `${file}.json`;
  const weights = json.replace(/\.json$/, ".safetensors");
  const full: ModelHeader = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    dtype: net.dtype,
    network: { inputs: net.inputs, layers: net.layers.map((l) => ({ units: l.units, activation: l.activation.name, bias: l.biasMode })) },
    weights: basename(weights),
    ...record,
  };
  writeAtomically(weights, writeSafeTensors(networkTensors(net)));
  writeAtomically(json, `${JSON.stringify(full, null, 2)}\n`);
  return { json, weights };
}

/** Reads a model file and its weights into a network spec, with clear errors for anything malformed. */
export function loadModel(file: string): Model {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code ? `expected a gradstep model file, found ${code === "ENOENT" ? "no such file" : code}` : "expected a gradstep model file (JSON), found text that is not JSON", { file });
  }
  const checked = modelSchema.safeParse(parsed);
  if (!checked.success) {
    const issue = describeIssue(firstIssue(checked.error.issues), parsed);
    throw new InputError(issue.detail, { file, path: issue.path });
  }
  const header = checked.data;
  const layers = header.network.layers;
  let tensors: ReadonlyMap<string, Tensor> | undefined;
  if (typeof header.weights === "string") {
    const path = join(dirname(file), header.weights);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch {
      throw new InputError(`expected the weights file ${header.weights} beside the model, found none`, { file });
    }
    tensors = readSafeTensors(bytes, path).tensors;
  }
  let inputs = header.network.inputs;
  const spec: NetworkSpec = {
    inputs,
    layers: layers.map((layer, k) => {
      const expected = { weight: [layer.units, inputs], bias: [layer.bias === "perNeuron" ? layer.units : layer.bias === "shared" ? 1 : 0] };
      let weights: number[][];
      let bias: number[];
      if (tensors) {
        const w = tensors.get(weightName(k)), b = tensors.get(biasName(k));
        if (!w || JSON.stringify(w.shape) !== JSON.stringify(expected.weight)) {
          throw new InputError(`expected tensor ${weightName(k)} of shape ${JSON.stringify(expected.weight)}, found ${w ? JSON.stringify(w.shape) : "none"}`, { file });
        }
        if (!b || b.data.length !== expected.bias[0]) {
          throw new InputError(`expected tensor ${biasName(k)} with ${expected.bias[0]} values, found ${b ? b.data.length : "none"}`, { file });
        }
        weights = Array.from({ length: layer.units }, (_, j) => Array.from(w.data.subarray(j * inputs, (j + 1) * inputs)));
        bias = Array.from(b.data);
      } else {
        const inline = (header.weights as { weights: number[][]; bias: number[] }[])[k];
        if (!inline) throw new InputError(`expected inline weights for layer ${k}, found none`, { file, path: ["weights"] });
        ({ weights, bias } = inline);
      }
      inputs = layer.units;
      return {
        units: layer.units,
        activation: layer.activation,
        weights,
        bias: layer.bias === "perNeuron" ? { mode: "perNeuron", values: bias } : layer.bias === "shared" ? { mode: "shared", value: bias[0] ?? 0 } : { mode: "none" },
      };
    }),
  };
  return { header, spec };
}
