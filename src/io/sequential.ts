import { ACTIVATION_NAMES, type ActivationName } from "../engine/activations.js";
import { dtypeOf, type DType, type Floats } from "../engine/matrix.js";
import type { LayerSpec } from "../engine/network.js";
import { InputError } from "../input-error.js";
import { suggestion } from "../problem/schema-issues.js";
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
  const fail = (detail: string): never => {
    throw new InputError(detail, { file });
  };
  const byIndex = new Map<number, { weight?: Tensor; bias?: Tensor; key: string }>();
  let prefix: string | undefined;
  for (const [name, tensor] of tensors) {
    const match = KEY.exec(name);
    if (!match) return fail(`expected tensors named like PyTorch's nn.Sequential of Linear layers ("0.weight", "0.bias", "2.weight", …), found "${name}"`);
    const [, before, index, kind] = match as unknown as [string, string, string, "weight" | "bias"];
    if (prefix !== undefined && before !== prefix) fail(`expected every tensor under one prefix, found "${prefix}" and "${before}"`);
    prefix = before;
    const entry = byIndex.get(Number(index)) ?? { key: `${before}${index}` };
    entry[kind] = tensor;
    byIndex.set(Number(index), entry);
  }
  if (byIndex.size === 0) fail("expected the tensors of Linear layers, found no tensors");
  const layers = [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, { weight, bias, key }]) => {
      if (!weight) return fail(`expected "${key}.weight" beside "${key}.bias", found none`);
      if (weight.shape.length !== 2) return fail(`expected "${key}.weight" to be a matrix (units × inputs), found shape ${JSON.stringify(weight.shape)}`);
      const [units, inputs] = weight.shape as [number, number];
      if (bias && (bias.shape.length !== 1 || ![units, 1, 0].includes(bias.shape[0]!))) {
        fail(`expected "${key}.bias" of shape [${units}] for ${units} units, found ${JSON.stringify(bias.shape)}`);
      }
      if (bias && dtypeOf(bias.data) !== dtypeOf(weight.data))
        fail(`expected "${key}.bias" in the dtype of "${key}.weight", found ${dtypeOf(bias.data)} and ${dtypeOf(weight.data)}`);
      return { key, units, inputs, weights: weight.data, bias: bias?.data };
    });
  const dtype = dtypeOf(layers[0]!.weights);
  layers.forEach((layer, k) => {
    if (dtypeOf(layer.weights) !== dtype)
      fail(`expected every tensor in one dtype, found ${dtype} in "${layers[0]!.key}.weight" and ${dtypeOf(layer.weights)} in "${layer.key}.weight"`);
    const previous = layers[k - 1];
    if (previous && previous.units !== layer.inputs) {
      fail(`"${layer.key}.weight" takes ${layer.inputs} inputs, but "${previous.key}.weight" gives ${previous.units} outputs`);
    }
    if (layer.units < 1 || layer.inputs < 1)
      fail(`expected "${layer.key}.weight" to have at least one unit and one input, found shape [${layer.units}, ${layer.inputs}]`);
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
        throw new InputError(`expected activations among ${ACTIVATION_NAMES.join(", ")}, found "${word}"${suggestion(word, ACTIVATION_NAMES)}`);
      }
      return name as ActivationName;
    });
}

/** The model of a Linear stack with one activation per layer. */
export function stackModel(stack: LinearStack, activations: readonly ActivationName[] | undefined, file?: string, record: ModelRecord = {}): Model {
  const keys = stack.layers.map((l) => l.key);
  if (!activations) {
    throw new InputError(
      `a bare safetensors file holds weights but no activations; expected one per Linear layer (${keys.join(", ")}), e.g. ${keys.map((_, k) => (k === keys.length - 1 ? "identity" : "relu")).join(",")}`,
      { file, option: "arch" },
    );
  }
  if (activations.length !== stack.layers.length) {
    throw new InputError(
      `expected ${stack.layers.length} activations, one per Linear layer (${keys.join(", ")}), found ${activations.length} (${activations.join(",")})`,
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
