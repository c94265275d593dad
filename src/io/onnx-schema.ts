/**
 * Field numbers of the ONNX messages gradstep reads and writes, from
 * onnx/onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
 */
export const ModelProto = { irVersion: 1, producerName: 2, producerVersion: 3, graph: 7, opsetImport: 8 } as const;
export const OperatorSetIdProto = { domain: 1, version: 2 } as const;
export const GraphProto = { node: 1, name: 2, initializer: 5, input: 11, output: 12, sparseInitializer: 15 } as const;
export const NodeProto = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;
export const AttributeProto = { name: 1, f: 2, i: 3, s: 4, t: 5, type: 20 } as const;
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4 } as const;
export const TensorProto = { dims: 1, dataType: 2, floatData: 4, name: 8, rawData: 9, doubleData: 10, dataLocation: 14 } as const;
export const ValueInfoProto = { name: 1, type: 2 } as const;
export const TypeProto = { tensorType: 1 } as const;
export const TypeProtoTensor = { elemType: 1, shape: 2 } as const;
export const TensorShapeProto = { dim: 1 } as const;
export const Dimension = { value: 1, param: 2 } as const;

/** TensorProto.DataType: the two element types gradstep computes in. */
export const DataType = { FLOAT: 1, DOUBLE: 11 } as const;
