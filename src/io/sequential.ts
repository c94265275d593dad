import { ACTIVATION_NAMES, type ActivationName } from "../engine/activations.js";
import { dtypeOf, type DType, type Floats } from "../engine/matrix.js";
import type { LayerSpec } from "../engine/network.js";
import { InputError } from "../input-error.js";
import { didYouMean, quoted } from "./error-phrases.js";
import { say, verbatim, type Say } from "../i18n/translate.js";
import { biasOfValues, checkModelSpec, modelOf, rowsOf, type Model, type ModelRecord } from "./model.js";
import type { Tensor } from "./safetensors.js";

/**
 * A bare safetensors file of Linear layers, as PyTorch saves
 * `nn.Sequential(nn.Linear(…), nn.ReLU(), nn.Linear(…), …).state_dict()`:
 * `0.weight` (units × inputs), `0.bias`, `2.weight`, `2.bias`, … where the
 * numbers are the Linear modules' places in the Sequential. Any common prefix
 * is allowed (`layers.0.weight` as gradstep writes, `net.0.weight`). The file
 * holds no activations: they are given separately, one per Linear layer.
 */
export interface LinearStack {
  readonly dtype: DType;
  readonly inputs: number;
  readonly layers: readonly {
    readonly key: string;
    readonly units: number;
    readonly inputs: number;
    readonly weights: Floats;
    readonly bias: Floats | undefined;
  }[];
}

const KEY = /^(.*?)(\d+)\.(weight|bias)$/;

/** The Linear layers of a safetensors file, in order, with every shape checked against the next. */
export function linearStack(tensors: ReadonlyMap<string, Tensor>, file?: string): LinearStack {
  const fail = (detail: Say): never => {
    throw InputError.said(detail, { file });
  };
  const byIndex = new Map<number, { weight?: Tensor; bias?: Tensor; key: string }>();
  let prefix: string | undefined;
  for (const [name, tensor] of tensors) {
    const match = KEY.exec(name);
    if (!match) return fail(say("modelError.stack.names", { name: quoted(name) }));
    const [, before, index, kind] = match as unknown as [string, string, string, "weight" | "bias"];
    if (prefix !== undefined && before !== prefix) fail(say("modelError.stack.prefix", { first: quoted(prefix), second: quoted(before) }));
    prefix = before;
    const entry = byIndex.get(Number(index)) ?? { key: `${before}${index}` };
    entry[kind] = tensor;
    byIndex.set(Number(index), entry);
  }
  if (byIndex.size === 0) fail(say("modelError.stack.empty"));
  const layers = [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, { weight, bias, key }]) => {
      if (!weight) return fail(say("modelError.stack.noWeight", { key }));
      if (weight.shape.length !== 2) return fail(say("modelError.stack.notMatrix", { key, shape: JSON.stringify(weight.shape) }));
      const [units, inputs] = weight.shape as [number, number];
      if (bias && (bias.shape.length !== 1 || ![units, 1, 0].includes(bias.shape[0]!))) {
        fail(say("modelError.stack.biasShape", { key, units, found: JSON.stringify(bias.shape) }));
      }
      if (bias && dtypeOf(bias.data) !== dtypeOf(weight.data))
        fail(say("modelError.stack.biasDtype", { key, bias: dtypeOf(bias.data), weight: dtypeOf(weight.data) }));
      return { key, units, inputs, weights: weight.data, bias: bias?.data };
    });
  const dtype = dtypeOf(layers[0]!.weights);
  layers.forEach((layer, k) => {
    if (dtypeOf(layer.weights) !== dtype)
      fail(say("modelError.stack.dtypes", { first: dtype, firstKey: layers[0]!.key, second: dtypeOf(layer.weights), secondKey: layer.key }));
    const previous = layers[k - 1];
    if (previous && previous.units !== layer.inputs) {
      fail(say("modelError.stack.chain", { key: layer.key, inputs: layer.inputs, previous: previous.key, outputs: previous.units }));
    }
    if (layer.units < 1 || layer.inputs < 1) fail(say("modelError.stack.emptyLayer", { key: layer.key, units: layer.units, inputs: layer.inputs }));
  });
  return { dtype, inputs: layers[0]!.inputs, layers };
}

/** Reads `relu,relu,softmax` (commas or spaces) into activation names. */
export function parseActivations(text: string): ActivationName[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((word) => {
      const name = word.toLowerCase() === "linear" ? "identity" : word.toLowerCase();
      if (!(ACTIVATION_NAMES as readonly string[]).includes(name)) {
        throw InputError.said(
          say("modelError.stack.activation", { names: ACTIVATION_NAMES.join(", "), word: quoted(word), suggestion: didYouMean(word, ACTIVATION_NAMES) }),
        );
      }
      return name as ActivationName;
    });
}

/** The model of a Linear stack with one activation per layer. */
export function stackModel(stack: LinearStack, activations: readonly ActivationName[] | undefined, file?: string, record: ModelRecord = {}): Model {
  const keys = stack.layers.map((l) => l.key);
  if (!activations) {
    const example = keys.map((_, k) => (k === keys.length - 1 ? "identity" : "relu")).join(",");
    throw InputError.said(say("modelError.stack.noActivations", { keys: keys.join(", "), example }), { file, option: "arch" });
  }
  if (activations.length !== stack.layers.length) {
    throw InputError.said(
      say("modelError.stack.activationCount", {
        expected: stack.layers.length,
        keys: keys.join(", "),
        found: activations.length,
        given: verbatim(activations.join(",")),
      }),
      { file },
    );
  }
  const layers = stack.layers.map((layer, k): LayerSpec => ({
    units: layer.units,
    activation: activations[k]!,
    weights: rowsOf(layer.weights, layer.units, layer.inputs),
    bias: biasOfValues(layer.bias, layer.units),
  }));
  const spec = { inputs: stack.inputs, layers };
  checkModelSpec(spec, stack.dtype, file);
  return modelOf(spec, stack.dtype, record);
}
