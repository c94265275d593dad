import { ACTIVATIONS, type Activation, type ActivationName } from "./activations.js";
import { matrixWith, typedBackend, type Backend } from "./backend.js";
import { toRows, type DType, type Floats, type Matrix, type Rows } from "./matrix.js";

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
  /** 1 × units per neuron, 1 × 1 when shared, 1 × 0 when the layer has no bias. */
  readonly bias: Matrix;
}

export interface Network {
  readonly dtype: DType;
  /** Where the network's parameters live and its products run. */
  readonly backend: Backend;
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

/** Copies `values` into a backend matrix of `rows` × `cols`. */
/** A network with the parameters of `spec`, in a backend's memory (or the TypeScript backend of a dtype). */
export function buildNetwork(spec: NetworkSpec, on: DType | Backend): Network {
  const backend = typeof on === "string" ? typedBackend(on) : on;
  let inputs = spec.inputs;
  const layers = spec.layers.map((layer): Layer => {
    const bias = biasValues(layer.bias);
    layer.weights.forEach((row, j) => {
      if (row.length !== inputs) throw new RangeError(`weights row ${j} has ${row.length} entries, expected ${inputs}`);
    });
    const built: Layer = {
      inputs,
      units: layer.units,
      activation: ACTIVATIONS[layer.activation],
      weights: matrixWith(backend, layer.units, inputs, layer.weights.flat()),
      biasMode: layer.bias.mode,
      bias: matrixWith(backend, 1, bias.length, bias),
    };
    inputs = layer.units;
    return built;
  });
  return { dtype: backend.dtype, backend, inputs: spec.inputs, layers };
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
