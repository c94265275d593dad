import { zerosLike, type Floats } from "../engine/matrix.js";
import type { Layer, Network } from "../engine/network.js";
import { ACTIVATION_RULES, type OnnxActivation } from "../rules/activations.js";
import { bytesField, floatField, message, varintField } from "./protobuf.js";
import {
  AttributeProto,
  AttributeType,
  DataType,
  Dimension,
  GraphProto,
  ModelProto,
  NodeProto,
  OperatorSetIdProto,
  TensorProto,
  TensorShapeProto,
  TypeProto,
  TypeProtoTensor,
  ValueInfoProto,
} from "./onnx-schema.js";

/**
 * IR version 8 (ONNX 1.10) with opset 13: Gemm with an optional C, Softmax
 * over the last axis. A model with GELU declares opset 20, which introduced
 * the Gelu operator.
 */
export const IR_VERSION = 8;
export const OPSET = 13;

/** The graph's input and output names. */
export const INPUT_NAME = "input";
export const OUTPUT_NAME = "output";

function tensor(name: string, dims: readonly number[], data: Floats): Uint8Array {
  return message(
    ...dims.map((d) => varintField(TensorProto.dims, d)),
    varintField(TensorProto.dataType, data instanceof Float64Array ? DataType.DOUBLE : DataType.FLOAT),
    bytesField(TensorProto.name, name),
    // raw_data is little-endian, which is every platform Node runs on.
    bytesField(TensorProto.rawData, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
  );
}

/** A tensor's name, element type and shape [batch, size] with a symbolic batch dimension. */
function valueInfo(name: string, elemType: number, size: number): Uint8Array {
  const dim = (d: Uint8Array) => bytesField(TensorShapeProto.dim, d);
  const shape = message(dim(bytesField(Dimension.param, "batch")), dim(varintField(Dimension.value, size)));
  const tensorType = message(varintField(TypeProtoTensor.elemType, elemType), bytesField(TypeProtoTensor.shape, shape));
  return message(bytesField(ValueInfoProto.name, name), bytesField(ValueInfoProto.type, bytesField(TypeProto.tensorType, tensorType)));
}

function intAttribute(name: string, value: number): Uint8Array {
  return message(bytesField(AttributeProto.name, name), varintField(AttributeProto.i, value), varintField(AttributeProto.type, AttributeType.INT));
}

function attribute(name: string, value: number | string, integer = false): Uint8Array {
  if (typeof value === "string")
    return message(bytesField(AttributeProto.name, name), bytesField(AttributeProto.s, value), varintField(AttributeProto.type, AttributeType.STRING));
  return integer
    ? intAttribute(name, value)
    : message(bytesField(AttributeProto.name, name), floatField(AttributeProto.f, value), varintField(AttributeProto.type, AttributeType.FLOAT));
}

/** The nodes of one activation from its rule: its operator, and for a = z·op(z) a Mul by the input. */
function activationNodes(onnx: OnnxActivation, name: string, z: string, a: string): Uint8Array[] {
  // Softmax's axis is an integer; the other rules' numeric attributes (alpha) are floats.
  const attributes = Object.entries(onnx.attributes ?? {}).map(([key, value]) => attribute(key, value, key === "axis"));
  if (!onnx.timesInput) return [node(onnx.op, name, [z], a, attributes)];
  return [node(onnx.op, name, [z], `${name}.factor`, attributes), node("Mul", `${name}.mul`, [z, `${name}.factor`], a)];
}

function node(opType: string, name: string, inputs: readonly string[], output: string, attributes: readonly Uint8Array[] = []): Uint8Array {
  return message(
    ...inputs.map((input) => bytesField(NodeProto.input, input)),
    bytesField(NodeProto.output, output),
    bytesField(NodeProto.name, name),
    bytesField(NodeProto.opType, opType),
    ...attributes.map((a) => bytesField(NodeProto.attribute, a)),
  );
}

/** One bias per neuron: a shared bias repeated. */
function biasPerNeuron(layer: Layer): Floats {
  if (layer.biasMode === "perNeuron") return layer.bias.data;
  return zerosLike(layer.bias.data, 1, layer.units).data.fill(layer.bias.data[0]!);
}

/** An element-wise affine map y = x·diag(1/divide) − shift/divide, or y = x·diag(multiply) + add, as its Gemm's B and C. */
export interface Affine {
  readonly weights: readonly number[];
  readonly bias: readonly number[];
}

/** The Gemm of a diagonal affine map, with its initializers. */
function diagonalGemm(
  name: string,
  input: string,
  output: string,
  affine: Affine,
  typed: (values: readonly number[]) => Floats,
  initializers: Uint8Array[],
): Uint8Array {
  const n = affine.weights.length;
  const diagonal = new Array<number>(n * n).fill(0);
  affine.weights.forEach((w, i) => (diagonal[i * n + i] = w));
  initializers.push(tensor(`${name}.weight`, [n, n], typed(diagonal)), tensor(`${name}.bias`, [n], typed(affine.bias)));
  return node("Gemm", `${name}.gemm`, [input, `${name}.weight`, `${name}.bias`], output);
}

/**
 * The network as an ONNX model in its own precision (FLOAT or DOUBLE): per
 * layer a Gemm (z = a·Wᵀ + b, transB = 1, W as stored: units × inputs) and
 * its activation. A shared bias is written once per neuron; a layer without
 * bias has a Gemm without C. A table-trained model adds a leading Gemm that
 * standardizes the encoded inputs (`input`) and, for a regression, a Gemm
 * of its linear fit beside the network (`linear`: z = x·Wᵀ + b, added to the
 * network's output) and a trailing Gemm that returns the outputs to the
 * targets' units (`output`).
 */
export function exportOnnx(
  net: Network,
  options: {
    graphName?: string;
    input?: Affine;
    linear?: { readonly weights: readonly (readonly number[])[]; readonly bias: readonly number[] };
    output?: Affine;
  } = {},
): Uint8Array {
  const elemType = net.dtype === "float64" ? DataType.DOUBLE : DataType.FLOAT;
  const typed = (values: readonly number[]): Floats => (net.dtype === "float64" ? Float64Array.from(values) : Float32Array.from(values));
  const nodes: Uint8Array[] = [];
  const initializers: Uint8Array[] = [];
  let previous = INPUT_NAME;
  if (options.input) {
    nodes.push(diagonalGemm("standardize", INPUT_NAME, "standardized", options.input, typed, initializers));
    previous = "standardized";
  }
  net.layers.forEach((layer, k) => {
    const w = `layers.${k}.weight`,
      b = `layers.${k}.bias`;
    initializers.push(tensor(w, [layer.units, layer.inputs], layer.weights.data));
    const gemmInputs = [previous, w];
    if (layer.biasMode !== "none") {
      initializers.push(tensor(b, [layer.units], biasPerNeuron(layer)));
      gemmInputs.push(b);
    }
    const z = `layers.${k}.z`;
    const a = k === net.layers.length - 1 && !options.output && !options.linear ? OUTPUT_NAME : `layers.${k}.a`;
    nodes.push(node("Gemm", `layers.${k}.gemm`, gemmInputs, z, [intAttribute("transB", 1)]));
    const activation = layer.activation.name;
    nodes.push(...activationNodes(ACTIVATION_RULES[activation].onnx, `layers.${k}.${activation}`, z, a));
    previous = a;
  });
  if (options.linear) {
    const { weights, bias } = options.linear;
    initializers.push(tensor("linear.weight", [weights.length, net.inputs], typed(weights.flat())), tensor("linear.bias", [bias.length], typed(bias)));
    nodes.push(
      node("Gemm", "linear.gemm", [options.input ? "standardized" : INPUT_NAME, "linear.weight", "linear.bias"], "linear.z", [intAttribute("transB", 1)]),
    );
    const sum = options.output ? "sum" : OUTPUT_NAME;
    nodes.push(node("Add", "linear.add", [previous, "linear.z"], sum));
    previous = sum;
  }
  if (options.output) nodes.push(diagonalGemm("units", previous, OUTPUT_NAME, options.output, typed, initializers));
  const graph = message(
    ...nodes.map((n) => bytesField(GraphProto.node, n)),
    bytesField(GraphProto.name, options.graphName ?? "gradstep"),
    ...initializers.map((t) => bytesField(GraphProto.initializer, t)),
    bytesField(GraphProto.input, valueInfo(INPUT_NAME, elemType, net.inputs)),
    bytesField(GraphProto.output, valueInfo(OUTPUT_NAME, elemType, net.layers.at(-1)!.units)),
  );
  return message(
    varintField(ModelProto.irVersion, IR_VERSION),
    bytesField(ModelProto.producerName, "gradstep"),
    bytesField(ModelProto.producerVersion, "0.1.0"),
    bytesField(ModelProto.graph, graph),
    bytesField(ModelProto.opsetImport, message(bytesField(OperatorSetIdProto.domain, ""), varintField(OperatorSetIdProto.version, opsetOf(net)))),
  );
}

/** The opset a network needs: the default, or the newest operator's among its activations. */
function opsetOf(net: Network): number {
  return Math.max(OPSET, ...net.layers.map((layer) => ACTIVATION_RULES[layer.activation.name].onnx.opset ?? OPSET));
}
