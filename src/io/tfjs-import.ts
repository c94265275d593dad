import type { ActivationName } from "../engine/activations.js";
import type { LayerSpec } from "../engine/network.js";
import { InputError } from "../input-error.js";
import { asJson, quoted } from "./error-phrases.js";
import { say, type Say } from "../i18n/translate.js";
import { biasOfValues, checkModelSpec, modelOf, rowsOf, type Model } from "./model.js";
import { ACTIVATION_RULES } from "../rules/activations.js";

/**
 * Reads a TensorFlow.js layers model (model.json and its weight shards) made
 * of Dense layers, with InputLayer, Activation and Dropout (a no-op at
 * inference) around them. `readShard` reads a file named in the manifest,
 * relative to model.json.
 */

/** Keras activation names, and the layers that are an activation of their own (LeakyReLU), to ours. */
const ACTIVATIONS = new Map(
  Object.values(ACTIVATION_RULES).flatMap((rule) => ("activation" in rule.keras ? [[rule.keras.activation, rule.name] as const] : [])),
);
const ACTIVATION_LAYERS = new Map(Object.values(ACTIVATION_RULES).flatMap((rule) => ("layer" in rule.keras ? [[rule.keras.layer, rule] as const] : [])));

interface KerasLayer {
  readonly class_name?: unknown;
  readonly config?: Record<string, unknown>;
}

interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

type Fail = (detail: Say) => never;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The Sequential's layers, wherever this version of Keras or the converter put them. */
function kerasLayers(topology: unknown, fail: Fail): KerasLayer[] {
  const top = isObject(topology) && isObject(topology.model_config) ? topology.model_config : topology;
  if (!isObject(top)) return fail(say("modelError.tfjs.topology"));
  if (top.class_name !== "Sequential") fail(say("modelError.tfjs.sequential", { found: asJson(top.class_name) }));
  const config = top.config;
  const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layers)) return fail(say("modelError.tfjs.layers"));
  return layers as KerasLayer[];
}

/** Every weight of the manifest, read from its shards in order. */
function readWeights(manifest: unknown, readShard: (path: string) => Uint8Array, fail: Fail): Map<string, WeightSpec> {
  if (!Array.isArray(manifest)) return fail(say("modelError.tfjs.manifest"));
  const weights = new Map<string, WeightSpec>();
  for (const [g, group] of (manifest as unknown[]).entries()) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) return fail(say("modelError.tfjs.group", { group: g }));
    const shards = (group.paths as unknown[]).map((path) => (typeof path === "string" ? readShard(path) : fail(say("modelError.tfjs.paths", { group: g }))));
    const bytes = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
    shards.reduce((at, shard) => (bytes.set(shard, at), at + shard.length), 0);
    let offset = 0;
    for (const entry of group.weights as unknown[]) {
      if (
        !isObject(entry) ||
        typeof entry.name !== "string" ||
        !Array.isArray(entry.shape) ||
        !entry.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)
      ) {
        return fail(say("modelError.tfjs.entry", { group: g }));
      }
      if (entry.dtype !== "float32" || entry.quantization !== undefined)
        fail(
          entry.quantization === undefined
            ? say("modelError.tfjs.dtype", { name: quoted(entry.name), dtype: String(entry.dtype) })
            : say("modelError.tfjs.quantized", { name: quoted(entry.name) }),
        );
      const shape = entry.shape as number[];
      const length = shape.reduce((a, b) => a * b, 1) * 4;
      if (offset + length > bytes.length) fail(say("modelError.tfjs.shardShort", { name: quoted(entry.name), length, offset, size: bytes.length }));
      const data = new Float32Array(length / 4);
      new Uint8Array(data.buffer).set(bytes.subarray(offset, offset + length));
      weights.set(entry.name, { name: entry.name, shape, data });
      offset += length;
    }
    if (offset !== bytes.length) fail(say("modelError.tfjs.shardLong", { group: g, offset, size: bytes.length }));
  }
  return weights;
}

function activationOf(value: unknown, where: Say, fail: Fail): ActivationName {
  const name = value ?? "linear";
  const ours = typeof name === "string" ? ACTIVATIONS.get(name) : undefined;
  if (!ours) return fail(say("modelError.tfjs.activation", { where, found: asJson(name), names: [...ACTIVATIONS.keys()].join(", ") }));
  return ours;
}

export function importTfjs(modelJson: string, readShard: (path: string) => Uint8Array, file?: string): Model {
  const fail: Fail = (detail) => {
    throw InputError.said(say("modelError.tfjs.unreadable", { detail }), { file });
  };
  let document: unknown;
  try {
    document = JSON.parse(modelJson);
  } catch {
    fail(say("modelError.tfjs.notJson"));
  }
  if (!isObject(document) || !("modelTopology" in document)) return fail(say("modelError.tfjs.object"));
  if (document.format !== undefined && document.format !== "layers-model") fail(say("modelError.tfjs.format", { found: asJson(document.format) }));
  const keras = kerasLayers(document.modelTopology, fail);
  const weights = readWeights(document.weightsManifest, readShard, fail);
  const find = (layer: string, kind: "kernel" | "bias") =>
    weights.get(`${layer}/${kind}`) ?? [...weights.values()].find((w) => w.name.endsWith(`/${layer}/${kind}`));

  const layers: LayerSpec[] = [];
  let inputs: number | undefined;
  let open = false;
  keras.forEach((layer, k) => {
    const config = layer.config ?? {};
    const name = typeof config.name === "string" ? config.name : `layer ${k}`;
    const where = say("modelError.tfjs.where", { index: k, name: quoted(name), kind: String(layer.class_name) });
    const shape = config.batch_input_shape ?? config.batchInputShape;
    if (Array.isArray(shape) && inputs === undefined && typeof shape.at(-1) === "number") inputs = shape.at(-1) as number;
    switch (layer.class_name) {
      case "InputLayer":
      case "Dropout":
        return;
      case "Activation": {
        const last = layers.at(-1);
        if (!last || !open) return fail(say("modelError.tfjs.activationAlone", { where }));
        layers[layers.length - 1] = { ...last, activation: activationOf(config.activation, where, fail) };
        open = false;
        return;
      }
      case "Dense": {
        const kernel = find(name, "kernel");
        if (!kernel || kernel.shape.length !== 2)
          return fail(say("modelError.tfjs.kernel", { where, name, found: kernel ? JSON.stringify(kernel.shape) : say("modelError.found.none") }));
        const [rows, units] = kernel.shape as [number, number];
        const previous = layers.at(-1)?.units ?? inputs;
        if (previous !== undefined && previous !== rows) fail(say("modelError.tfjs.chain", { where, rows, previous }));
        if (layers.length === 0) inputs = rows;
        const useBias = config.use_bias ?? config.useBias ?? true;
        const bias = useBias === false ? undefined : find(name, "bias");
        if (useBias !== false && (!bias || bias.data.length !== units))
          fail(say("modelError.tfjs.bias", { where, name, units, found: bias ? JSON.stringify(bias.shape) : say("modelError.found.none") }));
        if (config.units !== undefined && config.units !== units) fail(say("modelError.tfjs.units", { where, found: asJson(config.units), units }));
        const activation = activationOf(config.activation, where, fail);
        // kernel is inputs × units (x · kernel); our weights are units × inputs.
        const transposed = new Float32Array(units * rows);
        for (let i = 0; i < rows; i++) for (let j = 0; j < units; j++) transposed[j * rows + i] = kernel.data[i * units + j]!;
        layers.push({ units, activation, weights: rowsOf(transposed, units, rows), bias: biasOfValues(bias?.data, units) });
        open = activation === "identity";
        return;
      }
      default: {
        const rule = ACTIVATION_LAYERS.get(String(layer.class_name));
        if (!rule) return fail(say("modelError.tfjs.unsupported", { where, layers: [...ACTIVATION_LAYERS.keys()].join(", ") }));
        const last = layers.at(-1);
        if (!last || !open) return fail(say("modelError.tfjs.layerAlone", { where }));
        for (const [key, want] of Object.entries("layer" in rule.keras ? rule.keras.config : {})) {
          const found: unknown = config[key];
          if (typeof found !== "number" || Math.abs(found - want) > 1e-7 * Math.max(1, Math.abs(want)))
            fail(say("modelError.tfjs.setting", { where, key, found: asJson(found), activation: rule.name, want: String(want) }));
        }
        layers[layers.length - 1] = { ...last, activation: rule.name };
        open = false;
      }
    }
  });
  if (layers.length === 0 || inputs === undefined) return fail(say("modelError.tfjs.noDense"));
  const spec = { inputs, layers };
  checkModelSpec(spec, "float32", file);
  return modelOf(spec, "float32");
}
