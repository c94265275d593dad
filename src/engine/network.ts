import { ACTIVATIONS, type Activation, type ActivationName } from "./activations.js";
import { typedBackend, type Backend, type Shape } from "./backend.js";
import { toRows, type DType, type Floats, type Matrix, type Rows } from "./matrix.js";

/** How a layer's bias is stored: one per neuron, one scalar shared by the layer, or none. */
export type BiasMode = "perNeuron" | "shared" | "none";

export type BiasSpec =
  { readonly mode: "perNeuron"; readonly values: readonly number[] } | { readonly mode: "shared"; readonly value: number } | { readonly mode: "none" };

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
  /** 1 × units per neuron, 1 × 1 when shared, 1 × 0 when the layer has no bias. */
  readonly bias: Matrix;
}

export interface Network {
  readonly dtype: DType;
  /** Where the network's parameters live and its products run. */
  readonly backend: Backend;
  readonly inputs: number;
  readonly layers: readonly Layer[];
  /**
   * Every parameter end to end, in the order of `parameterShapes`, when the
   * backend keeps them in one block (the TypeScript backend); the layers'
   * weights and biases are views into it.
   */
  readonly parameters: Floats | undefined;
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

/** A network with the parameters of `spec`, in a backend's memory (or the TypeScript backend of a dtype). */
export function buildNetwork(spec: NetworkSpec, on: DType | Backend): Network {
  const backend = typeof on === "string" ? typedBackend(on) : on;
  const inputsOf = (k: number): number => (k === 0 ? spec.inputs : spec.layers[k - 1]!.units);
  spec.layers.forEach((layer, k) => {
    layer.weights.forEach((row, j) => {
      if (row.length !== inputsOf(k)) throw new RangeError(`weights row ${j} has ${row.length} entries, expected ${inputsOf(k)}`);
    });
  });
  const biases = spec.layers.map((layer) => biasValues(layer.bias));
  const { matrices, flat } = backend.matrices(spec.layers.flatMap((layer, k) => layerShapes(layer.units, inputsOf(k), biases[k]!.length)));
  const layers = spec.layers.map((layer, k): Layer => {
    const weights = matrices[2 * k]!,
      bias = matrices[2 * k + 1]!;
    weights.data.set(layer.weights.flat());
    bias.data.set(biases[k]!);
    return { inputs: inputsOf(k), units: layer.units, activation: ACTIVATIONS[layer.activation], weights, biasMode: layer.bias.mode, bias };
  });
  return { dtype: backend.dtype, backend, inputs: spec.inputs, layers, parameters: flat };
}

/** One layer's parameters in their order in the flat block: its weights, then its bias. */
function layerShapes(units: number, inputs: number, biasLength: number): Shape[] {
  return [
    [units, inputs],
    [1, biasLength],
  ];
}

/** The shapes of a network's parameters in their order, bottom layer first, as `buildNetwork` lays them out. */
export function parameterShapes(net: Network): Shape[] {
  return net.layers.flatMap((layer) => layerShapes(layer.units, layer.inputs, layer.bias.cols));
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
          ? { mode: "perNeuron", values: Array.from(layer.bias.data) }
          : layer.biasMode === "shared"
            ? { mode: "shared", value: layer.bias.data[0]! }
            : { mode: "none" },
    })),
  };
}
