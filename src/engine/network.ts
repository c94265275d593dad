import { ACTIVATIONS, type Activation, type ActivationName } from "./activations.js";
import { allocate, fromRows, toRows, type DType, type Floats, type Matrix, type Rows } from "./matrix.js";

/** How a layer's bias is stored: one per neuron, one scalar shared by the layer, or none. */
export type BiasMode = "perNeuron" | "shared" | "none";

export type BiasSpec =
  | { readonly mode: "perNeuron"; readonly values: readonly number[] }
  | { readonly mode: "shared"; readonly value: number }
  | { readonly mode: "none" };

/** A layer as plain numbers: what problem files describe and traces record. */
export interface LayerSpec {
  readonly units: number;
  readonly activation: ActivationName;
  /** weights[j][i]: from input i to neuron j (z = W·x + b). */
  readonly weights: Rows;
  readonly bias: BiasSpec;
}

export interface NetworkSpec {
  readonly inputs: number;
  readonly layers: readonly LayerSpec[];
}

/** A layer with its parameters in typed storage, ready to compute. */
export interface Layer {
  readonly inputs: number;
  readonly units: number;
  readonly activation: Activation;
  /** units × inputs. */
  readonly weights: Matrix;
  readonly biasMode: BiasMode;
  /** `units` entries per neuron, 1 entry when shared, none when the layer has no bias. */
  readonly bias: Floats;
}

export interface Network {
  readonly dtype: DType;
  readonly inputs: number;
  readonly layers: readonly Layer[];
}

function biasValues(bias: BiasSpec): readonly number[] {
  switch (bias.mode) {
    case "perNeuron":
      return bias.values;
    case "shared":
      return [bias.value];
    case "none":
      return [];
  }
}

export function buildNetwork(spec: NetworkSpec, dtype: DType): Network {
  let inputs = spec.inputs;
  const layers = spec.layers.map((layer): Layer => {
    const values = biasValues(layer.bias);
    const bias = allocate(dtype, values.length);
    bias.set(values);
    const built: Layer = {
      inputs,
      units: layer.units,
      activation: ACTIVATIONS[layer.activation],
      weights: fromRows(dtype, layer.weights, inputs),
      biasMode: layer.bias.mode,
      bias,
    };
    inputs = layer.units;
    return built;
  });
  return { dtype, inputs: spec.inputs, layers };
}

/** The bias of a layer as the format writes it: an array, a number for a shared bias, null for none. */
export function biasAsWritten(mode: BiasMode, values: Floats): number[] | number | null {
  switch (mode) {
    case "perNeuron":
      return Array.from(values);
    case "shared":
      return values[0]!;
    case "none":
      return null;
  }
}

/** A snapshot of the network's current parameters as plain numbers. */
export function describeNetwork(net: Network): NetworkSpec {
  return {
    inputs: net.inputs,
    layers: net.layers.map((layer) => ({
      units: layer.units,
      activation: layer.activation.name,
      weights: toRows(layer.weights),
      bias:
        layer.biasMode === "perNeuron"
          ? { mode: "perNeuron", values: Array.from(layer.bias) }
          : layer.biasMode === "shared"
            ? { mode: "shared", value: layer.bias[0]! }
            : { mode: "none" },
    })),
  };
}
