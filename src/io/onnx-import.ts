import type { ActivationName } from "../engine/activations.js";
import { ACTIVATION_RULES } from "../rules/activations.js";
import type { DType, Floats } from "../engine/matrix.js";
import type { LayerSpec } from "../engine/network.js";
import { InputError } from "../input-error.js";
import { quoted } from "./error-phrases.js";
import { say, verbatim, type Say } from "../i18n/translate.js";
import { biasOfValues, checkModelSpec, modelOf, rowsOf, type Model } from "./model.js";
import { Fields, WireError } from "./protobuf.js";
import {
  AttributeProto,
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
 * Reads an MLP made by another tool from ONNX: a chain from the graph's one
 * input to its one output of Gemm (transA 0, transB 0 or 1) or MatMul with an
 * optional Add, each followed by at most one of Relu, Sigmoid, Tanh, Softmax,
 * Identity; weights and biases as initializers (raw_data, float_data or
 * double_data) or Constant nodes. Anything else is an InputError that names
 * the first node or structure gradstep does not read.
 */

const TYPE_NAMES: Readonly<Record<number, string>> = {
  1: "FLOAT",
  2: "UINT8",
  3: "INT8",
  4: "UINT16",
  5: "INT16",
  6: "INT32",
  7: "INT64",
  8: "STRING",
  9: "BOOL",
  10: "FLOAT16",
  11: "DOUBLE",
  12: "UINT32",
  13: "UINT64",
  16: "BFLOAT16",
};

/** The activations written as one operator, by operator: several share one (Gelu), told apart by their attributes. */
const OP_ACTIVATIONS = new Map<string, ActivationName[]>();
for (const rule of Object.values(ACTIVATION_RULES)) {
  if (!rule.onnx.timesInput) OP_ACTIVATIONS.set(rule.onnx.op, [...(OP_ACTIVATIONS.get(rule.onnx.op) ?? []), rule.name]);
}
/** The activations written as an operator times its input (SiLU: Sigmoid, then Mul), by operator. */
const TIMES_INPUT = new Map(Object.values(ACTIVATION_RULES).flatMap((rule) => (rule.onnx.timesInput ? [[rule.onnx.op, rule.name] as const] : [])));
const OPERATOR_NAMES = [...new Set(Object.values(ACTIVATION_RULES).map((rule) => rule.onnx.op))].join(", ");

interface Constant {
  readonly dims: readonly number[];
  readonly data: Floats;
}

type Fail = (detail: Say) => never;

function typeName(type: number): Say {
  const name = TYPE_NAMES[type];
  return name === undefined ? say("modelError.onnx.unknownType", { type }) : verbatim(`${name} (${type})`);
}

function readTensor(t: Fields, what: Say, fail: Fail): Constant {
  const type = t.int(TensorProto.dataType);
  if (type !== DataType.FLOAT && type !== DataType.DOUBLE) fail(say("modelError.onnx.tensorType", { what, type: typeName(type) }));
  if (t.int(TensorProto.dataLocation) !== 0) fail(say("modelError.onnx.external", { what }));
  const dims = t.ints(TensorProto.dims);
  if (dims.some((d) => d < 0)) fail(say("modelError.onnx.dims", { what, dims: JSON.stringify(dims) }));
  const count = dims.reduce((a, b) => a * b, 1);
  const size = type === DataType.DOUBLE ? 8 : 4;
  // Lengths are checked before anything is allocated: corrupt dims must not ask for gigabytes.
  const raw = t.bytes(TensorProto.rawData);
  const values = raw ? undefined : t.reals(type === DataType.DOUBLE ? TensorProto.doubleData : TensorProto.floatData, size);
  if (raw && raw.length !== count * size) fail(say("modelError.onnx.rawData", { what, found: raw.length, dims: JSON.stringify(dims), needs: count * size }));
  if (values && values.length !== count) fail(say("modelError.onnx.values", { what, found: values.length, dims: JSON.stringify(dims), needs: count }));
  const data = type === DataType.DOUBLE ? new Float64Array(count) : new Float32Array(count);
  if (raw) new Uint8Array(data.buffer).set(raw);
  else data.set(values!);
  return { dims, data };
}

/** The layer being read: its Gemm or MatMul, then perhaps an Add, then perhaps an activation. */
interface Pending {
  readonly units: number;
  readonly inputs: number;
  /** units × inputs, row-major. */
  readonly weights: Floats;
  bias?: Floats | undefined;
  /** A MatMul, or a Gemm without C, may take its bias from the Add that follows. */
  readonly biasOpen: boolean;
  activation?: ActivationName;
  /** The layer's pre-activation z, once an activation has been applied to it: a Mul by it may follow (SiLU). */
  z?: string | undefined;
}

function transposed(data: Floats, rows: number, cols: number): Floats {
  const out = data.slice();
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]!;
  return out;
}

function scaled(data: Floats, by: number): Floats {
  return by === 1 ? data : data.map((v) => v * by);
}

export function importOnnx(bytes: Uint8Array, file?: string): Model {
  const fail: Fail = (detail) => {
    throw InputError.said(say("modelError.onnx.unreadable", { detail }), { file });
  };
  try {
    return readModel(bytes, fail, file);
  } catch (error) {
    // The protobuf reader's own words stay as it wrote them, inside the translated sentence.
    if (error instanceof WireError) return fail(say("modelError.onnx.protobuf", { error: error.message }));
    throw error;
  }
}

function readModel(bytes: Uint8Array, fail: Fail, file: string | undefined): Model {
  if (bytes.length === 0) fail(say("modelError.onnx.empty"));
  const model = new Fields(bytes);
  if (!model.has(ModelProto.irVersion)) fail(say("modelError.onnx.noIrVersion"));
  const graph = model.message(ModelProto.graph);
  if (!graph) return fail(say("modelError.onnx.noGraph"));
  const opsets = model
    .messages(ModelProto.opsetImport)
    .map((o) => ({ domain: o.string(OperatorSetIdProto.domain), version: o.int(OperatorSetIdProto.version) }));
  if (!opsets.some((o) => o.domain === "" || o.domain === "ai.onnx")) fail(say("modelError.onnx.noOpset"));
  if (graph.has(GraphProto.sparseInitializer)) fail(say("modelError.onnx.sparse"));

  const constants = new Map<string, Constant>();
  for (const t of graph.messages(GraphProto.initializer)) {
    const name = t.string(TensorProto.name);
    constants.set(name, readTensor(t, say("modelError.onnx.initializer", { name: quoted(name) }), fail));
  }
  const valueInfo = (v: Fields) => {
    const tensorType = v.message(ValueInfoProto.type)?.message(TypeProto.tensorType);
    const dims = tensorType
      ?.message(TypeProtoTensor.shape)
      ?.messages(TensorShapeProto.dim)
      .map((d) => (d.has(Dimension.value) ? d.int(Dimension.value) : undefined));
    return { name: v.string(ValueInfoProto.name), elemType: tensorType?.int(TypeProtoTensor.elemType), dims };
  };
  const inputs = graph
    .messages(GraphProto.input)
    .map(valueInfo)
    .filter((v) => !constants.has(v.name));
  const outputs = graph.messages(GraphProto.output).map(valueInfo);
  if (inputs.length !== 1)
    fail(
      say("modelError.onnx.inputs", {
        found: inputs.length,
        names: inputs.length ? ` (${inputs.map((i) => `"${i.name}"`).join(", ")})` : "",
      }),
    );
  if (outputs.length !== 1) fail(say("modelError.onnx.outputs", { found: outputs.length }));
  const input = inputs[0]!,
    output = outputs[0]!;
  if (input.elemType !== undefined && input.elemType !== DataType.FLOAT && input.elemType !== DataType.DOUBLE) {
    fail(say("modelError.onnx.inputType", { name: quoted(input.name), type: typeName(input.elemType) }));
  }
  // An input of more dimensions (a batch of images) is read through a Flatten as the first node.
  const firstOp = graph
    .messages(GraphProto.node)
    .find((n) => n.string(NodeProto.opType) !== "Constant")
    ?.string(NodeProto.opType);
  if (input.dims && input.dims.length !== 2 && !(input.dims.length > 2 && firstOp === "Flatten")) {
    fail(say("modelError.onnx.inputDims", { name: quoted(input.name), count: input.dims.length }));
  }
  const rest = input.dims?.slice(1);
  const flatWidth = rest?.every((d) => d !== undefined) ? rest.reduce<number>((a, b) => a * b, 1) : undefined;

  const layers: LayerSpec[] = [];
  let pending: Pending | undefined;
  let current = input.name;
  let width: number | undefined = input.dims?.length === 2 ? input.dims[1] : undefined;
  let netInputs = 0;
  let dtype: DType | undefined;

  const close = () => {
    if (!pending) return;
    layers.push({
      units: pending.units,
      activation: pending.activation ?? "identity",
      weights: rowsOf(pending.weights, pending.units, pending.inputs),
      bias: biasOfValues(pending.bias, pending.units),
    });
    width = pending.units;
    pending = undefined;
  };

  graph.messages(GraphProto.node).forEach((node, index) => {
    const op = node.string(NodeProto.opType),
      name = node.string(NodeProto.name);
    const what = say("modelError.onnx.node", { index, name: name ? ` "${name}"` : "", op: op ? verbatim(op) : say("modelError.onnx.noOpType") });
    const nodeFail: Fail = (detail) => fail(say("modelError.onnx.atNode", { node: what, detail }));
    const domain = node.string(NodeProto.domain);
    if (domain !== "" && domain !== "ai.onnx") nodeFail(say("modelError.onnx.domain", { domain: quoted(domain) }));
    const nodeInputs = node.strings(NodeProto.input).filter((i) => i !== "");
    const nodeOutputs = node.strings(NodeProto.output);
    const attributes = new Map(node.messages(NodeProto.attribute).map((a) => [a.string(AttributeProto.name), a]));
    const only = (...allowed: string[]) => {
      const extra = [...attributes.keys()].find((a) => !allowed.includes(a));
      if (extra !== undefined) nodeFail(say("modelError.onnx.attribute", { name: quoted(extra) }));
    };
    if (op === "Constant") {
      only("value");
      const value = attributes.get("value")?.message(AttributeProto.t);
      if (!value || nodeOutputs.length !== 1) return nodeFail(say("modelError.onnx.constant"));
      constants.set(nodeOutputs[0]!, readTensor(value, what, fail));
      return;
    }
    if (nodeOutputs.length !== 1) nodeFail(say("modelError.onnx.nodeOutputs", { count: nodeOutputs.length }));
    const out = nodeOutputs[0]!;
    const constant = (tensorName: string | undefined, role: Say): Constant => {
      const found = tensorName === undefined ? undefined : constants.get(tensorName);
      if (!found)
        return nodeFail(
          tensorName === undefined
            ? say("modelError.onnx.notInitializerNone", { role })
            : say("modelError.onnx.notInitializer", { role, name: quoted(tensorName) }),
        );
      const kind: DType = found.data instanceof Float64Array ? "float64" : "float32";
      dtype ??= kind;
      if (kind !== dtype) nodeFail(say("modelError.onnx.mixedTypes", { role, kind, first: dtype }));
      return found;
    };
    const takesCurrent = () => {
      if (nodeInputs[0] !== current) nodeFail(say("modelError.onnx.notChain", { takes: quoted(nodeInputs[0] ?? ""), current: quoted(current) }));
    };
    const startLayer = (weights: Floats, units: number, inputs: number, biasOpen: boolean, bias?: Floats) => {
      close();
      if (width !== undefined && inputs !== width) nodeFail(say("modelError.onnx.width", { inputs, width }));
      if (layers.length === 0) netInputs = inputs;
      pending = { units, inputs, weights, bias, biasOpen };
    };
    const biasOf = (c: Constant, units: number, role: Say): Floats => {
      const shape = c.dims.filter((d, i) => !(d === 1 && i < c.dims.length - 1));
      if (shape.length > 1 || (shape.length === 1 && shape[0] !== units && shape[0] !== 1))
        nodeFail(say("modelError.onnx.biasShape", { role, units, found: JSON.stringify(c.dims) }));
      return c.data;
    };

    if (op === "Gemm") {
      only("alpha", "beta", "transA", "transB", "broadcast");
      takesCurrent();
      if (nodeInputs.length > 3) nodeFail(say("modelError.onnx.gemmInputs", { count: nodeInputs.length }));
      if ((attributes.get("transA")?.int(AttributeProto.i) ?? 0) !== 0) nodeFail(say("modelError.onnx.transA"));
      const transB = attributes.get("transB")?.int(AttributeProto.i) ?? 0;
      const alpha = attributes.get("alpha")?.float(AttributeProto.f, 1) ?? 1,
        beta = attributes.get("beta")?.float(AttributeProto.f, 1) ?? 1;
      const b = constant(nodeInputs[1], verbatim("B"));
      if (b.dims.length !== 2) nodeFail(say("modelError.onnx.gemmB", { dims: JSON.stringify(b.dims) }));
      const [rows, cols] = b.dims as [number, number];
      const [units, inputs] = transB !== 0 ? [rows, cols] : [cols, rows];
      const weights = scaled(transB !== 0 ? b.data : transposed(b.data, rows, cols), alpha);
      const c = nodeInputs[2] === undefined ? undefined : scaled(biasOf(constant(nodeInputs[2], verbatim("C")), units, verbatim("C")), beta);
      startLayer(weights, units, inputs, c === undefined, c);
    } else if (op === "MatMul") {
      only();
      takesCurrent();
      if (nodeInputs.length !== 2) nodeFail(say("modelError.onnx.twoInputs", { count: nodeInputs.length }));
      const b = constant(nodeInputs[1], say("modelError.onnx.secondInput"));
      if (b.dims.length !== 2) nodeFail(say("modelError.onnx.matMulB", { dims: JSON.stringify(b.dims) }));
      const [inputs, units] = b.dims as [number, number];
      startLayer(transposed(b.data, inputs, units), units, inputs, true);
    } else if (op === "Add") {
      only();
      if (!pending?.biasOpen || pending.bias !== undefined || pending.activation !== undefined) nodeFail(say("modelError.onnx.add"));
      const other =
        nodeInputs[0] === current
          ? nodeInputs[1]
          : nodeInputs[1] === current
            ? nodeInputs[0]
            : nodeFail(say("modelError.onnx.addInputs", { takes: JSON.stringify(nodeInputs), current: quoted(current) }));
      if (nodeInputs.length !== 2) nodeFail(say("modelError.onnx.twoInputs", { count: nodeInputs.length }));
      pending.bias = biasOf(constant(other, say("modelError.onnx.bias")), pending.units, say("modelError.onnx.bias"));
    } else if (op === "Flatten") {
      only("axis");
      takesCurrent();
      const axis = attributes.get("axis")?.int(AttributeProto.i) ?? 1;
      if (layers.length > 0 || pending || axis !== 1) nodeFail(say("modelError.onnx.flatten"));
      width = flatWidth;
    } else if (OP_ACTIVATIONS.has(op)) {
      const activation = activationOfNode(op, attributes, nodeFail);
      const allowed = Object.keys(ACTIVATION_RULES[activation].onnx.attributes ?? {});
      only(...allowed);
      takesCurrent();
      if (activation === "softmax") {
        const axis = attributes.get("axis")?.int(AttributeProto.i);
        if (axis !== undefined && axis !== 1 && axis !== -1) nodeFail(say("modelError.onnx.softmaxAxis", { axis: String(axis) }));
      }
      if (pending && pending.activation === undefined) {
        pending.activation = activation;
        pending.z = current;
      } else if (activation !== "identity") {
        nodeFail(say(pending ? "modelError.onnx.activationTwice" : "modelError.onnx.activationOnInput", { op }));
      }
    } else if (op === "Mul") {
      only();
      // z·op(z): the activation just applied, times its own input, is one activation (SiLU = z·σ(z)).
      const times = pending?.activation && TIMES_INPUT.get(ACTIVATION_RULES[pending.activation].onnx.op);
      const pair = nodeInputs.length === 2 && nodeInputs.includes(current) && nodeInputs.includes(pending?.z ?? "");
      if (!pending || !times || !pair || pending.z === current) nodeFail(say("modelError.onnx.mul", { inputs: JSON.stringify(nodeInputs) }));
      pending.activation = times;
      pending.z = undefined;
    } else {
      nodeFail(say("modelError.onnx.unsupported", { operators: OPERATOR_NAMES }));
    }
    current = out;
  });
  close();
  if (layers.length === 0) fail(say("modelError.onnx.noLayer"));
  if (current !== output.name) fail(say("modelError.onnx.outputNotEnd", { output: quoted(output.name), current: quoted(current) }));
  const inputType: DType | undefined = input.elemType === DataType.DOUBLE ? "float64" : input.elemType === DataType.FLOAT ? "float32" : undefined;
  if (inputType && inputType !== dtype)
    fail(say("modelError.onnx.inputDtype", { name: quoted(input.name), type: inputType, weights: dtype ? verbatim(dtype) : say("modelError.found.none") }));
  const spec = { inputs: netInputs, layers };
  checkModelSpec(spec, dtype ?? "float32", file);
  return modelOf(spec, dtype ?? "float32");
}

/**
 * The activation an operator node computes: among the rules written with
 * this operator, the one whose attributes the node has (an absent attribute
 * takes ONNX's default, which is the rule's value).
 */
function activationOfNode(op: string, attributes: ReadonlyMap<string, Fields>, nodeFail: Fail): ActivationName {
  const candidates = OP_ACTIVATIONS.get(op)!;
  const matches = (name: ActivationName) =>
    Object.entries(ACTIVATION_RULES[name].onnx.attributes ?? {}).every(([key, want]) => {
      const found = attributes.get(key);
      if (found === undefined || key === "axis") return true;
      if (typeof want === "string") return found.string(AttributeProto.s) === want;
      // Stored as float32: 0.01 reads back as 0.0099999998.
      return Math.abs(found.float(AttributeProto.f, want) - want) <= 1e-7 * Math.max(1, Math.abs(want));
    });
  const found = candidates.find(matches);
  if (found) return found;
  const wanted = candidates.map((name) => `${JSON.stringify(ACTIVATION_RULES[name].onnx.attributes ?? {})} (${name})`).join(" or ");
  const had = JSON.stringify(
    Object.fromEntries([...attributes].map(([key, f]) => [key, f.has(AttributeProto.s) ? f.string(AttributeProto.s) : f.float(AttributeProto.f, NaN)])),
  );
  return nodeFail(say("modelError.onnx.attributes", { had, op, wanted }));
}
