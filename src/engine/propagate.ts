import type { Backend, ElementwiseActivation } from "./backend.js";
import type { Loss, Reduction } from "./losses.js";
import { rowOf, type Floats, type Matrix } from "./matrix.js";
import type { Layer, Network } from "./network.js";

/** What the forward pass computes in one layer, batch × units each. */
export interface LayerValues {
  /** Pre-activation z = a_prev · Wᵀ + b. */
  readonly z: Matrix;
  /** Activation a = f(z). */
  readonly a: Matrix;
}

/** Derivatives of the reduced loss L for one layer. */
export interface LayerGradients {
  /** dL/da, batch × units. */
  readonly da: Matrix;
  /** dL/dz (the delta), batch × units. */
  readonly dz: Matrix;
  /** dL/dW, units × inputs. */
  readonly weights: Matrix;
  /** dL/db in the layer's bias shape (1 × units, 1 × 1 shared, 1 × 0 none). */
  readonly bias: Matrix;
}

export interface Gradients {
  readonly layers: readonly LayerGradients[];
  /** dL/dx, batch × inputs, when asked for. */
  readonly input?: Matrix;
}

/** The loss being minimised: a per-sample loss and how samples combine. */
export interface Objective {
  readonly loss: Loss;
  readonly reduction: Reduction;
}

/**
 * Every buffer one forward and backward pass over a batch of `batch` samples
 * writes, allocated once in the backend's memory: training reuses it every
 * step instead of allocating.
 */
export interface Workspace {
  readonly batch: number;
  readonly values: readonly LayerValues[];
  readonly gradients: Gradients;
}

export function createWorkspace(net: Network, batch: number, options: { inputGradient?: boolean } = {}): Workspace {
  const { backend } = net;
  const values = net.layers.map((layer) => ({ z: backend.matrix(batch, layer.units), a: backend.matrix(batch, layer.units) }));
  const layers = net.layers.map((layer) => ({
    da: backend.matrix(batch, layer.units),
    dz: backend.matrix(batch, layer.units),
    weights: backend.matrix(layer.units, layer.inputs),
    bias: backend.matrix(1, layer.bias.cols),
  }));
  return { batch, values, gradients: options.inputGradient ? { layers, input: backend.matrix(batch, net.inputs) } : { layers } };
}

function isElementwise(layer: Layer): ElementwiseActivation | undefined {
  const name = layer.activation.name;
  return name === "softmax" ? undefined : name;
}

/** z = input · Wᵀ + b, a = f(z), written into `into`. */
function forwardLayer(backend: Backend, layer: Layer, input: Matrix, into: LayerValues): void {
  backend.matmulTransB(input, layer.weights, into.z);
  const elementwise = isElementwise(layer);
  if (layer.biasMode === "shared") {
    // One scalar for the whole layer: added here, so backends only know per-column biases.
    const Z = into.z.data, b = layer.bias.data[0]!;
    for (let k = 0; k < Z.length; k++) Z[k]! += b;
  }
  const bias = layer.biasMode === "perNeuron" ? layer.bias : undefined;
  if (elementwise) {
    backend.biasActivate(into.z, bias, into.a, elementwise);
  } else {
    backend.biasActivate(into.z, bias, into.z, "identity");
    layer.activation.forward(into.z, into.a);
  }
}

/**
 * The forward pass over a batch `x` (batch × inputs): z and a of every layer.
 * Without a workspace every buffer is new (the solver records them all).
 */
export function forward(net: Network, x: Matrix, workspace?: Workspace): readonly LayerValues[] {
  const values = workspace?.values ?? net.layers.map((layer) => ({ z: net.backend.matrix(x.rows, layer.units), a: net.backend.matrix(x.rows, layer.units) }));
  let input = x;
  for (let k = 0; k < net.layers.length; k++) {
    forwardLayer(net.backend, net.layers[k]!, input, values[k]!);
    input = values[k]!.a;
  }
  return values;
}

/** The loss of every sample, before reduction. */
export function sampleLosses(objective: Objective, output: LayerValues, targets: Matrix): number[] {
  const losses: number[] = [];
  for (let i = 0; i < targets.rows; i++) {
    losses.push(objective.loss.sample(rowOf(output.a, i), rowOf(output.z, i), rowOf(targets, i)));
  }
  return losses;
}

export function reduceLosses(losses: readonly number[], reduction: Reduction): number {
  const sum = losses.reduce((total, l) => total + l, 0);
  return reduction === "mean" ? sum / losses.length : sum;
}

/** Applies `perSample` to each row and divides by the batch size under `mean`. */
function eachSample(
  a: Matrix,
  targets: Matrix,
  reduction: Reduction,
  out: Matrix,
  perSample: (a: Floats, t: Floats, out: Floats) => void,
): void {
  for (let i = 0; i < a.rows; i++) perSample(rowOf(a, i), rowOf(targets, i), rowOf(out, i));
  if (reduction === "mean") for (let k = 0; k < out.data.length; k++) out.data[k]! /= a.rows;
}

function biasGradient(backend: Backend, layer: Layer, dz: Matrix, into: Matrix): void {
  if (layer.biasMode === "perNeuron") {
    backend.columnSums(dz, into);
  } else if (layer.biasMode === "shared") {
    // A shared bias feeds every neuron, so its gradient sums over them all.
    let sum = 0;
    for (let k = 0; k < dz.data.length; k++) sum += dz.data[k]!;
    into.data[0] = sum;
  }
}

function gradientBuffers(net: Network, batch: number, inputGradient: boolean): Gradients {
  return createWorkspace(net, batch, { inputGradient }).gradients;
}

/**
 * The backward pass: dL/da, dL/dz, dL/dW and dL/db of every layer, and dL/dx
 * when `inputGradient` is set. `values` is the forward pass over the same `x`.
 */
export function backward(
  net: Network,
  x: Matrix,
  values: readonly LayerValues[],
  targets: Matrix,
  objective: Objective,
  options: { inputGradient?: boolean; workspace?: Workspace } = {},
): Gradients {
  const { backend } = net;
  const { loss, reduction } = objective;
  const inputGradient = options.inputGradient ?? false;
  const gradients = options.workspace?.gradients ?? gradientBuffers(net, x.rows, inputGradient);
  const last = net.layers.length - 1;
  const output = values[last]!;
  const lastLayer = net.layers[last]!;
  const top = gradients.layers[last]!;

  eachSample(output.a, targets, reduction, top.da, loss.gradient);
  if (loss.fused && loss.requires === lastLayer.activation.name) {
    eachSample(output.a, targets, reduction, top.dz, loss.fused.gradient);
  } else {
    const elementwise = isElementwise(lastLayer);
    if (elementwise) backend.activationBackward(output.z, output.a, top.da, top.dz, elementwise);
    else lastLayer.activation.backward(output.z, output.a, top.da, top.dz);
  }

  for (let k = last; k >= 0; k--) {
    const layer = net.layers[k]!;
    const own = gradients.layers[k]!;
    backend.matmulTransA(own.dz, k > 0 ? values[k - 1]!.a : x, own.weights);
    biasGradient(backend, layer, own.dz, own.bias);
    if (k === 0) {
      if (inputGradient && gradients.input) backend.matmul(own.dz, layer.weights, gradients.input);
      break;
    }
    const below = gradients.layers[k - 1]!;
    backend.matmul(own.dz, layer.weights, below.da);
    // Softmax is allowed only in the last layer, so every hidden layer is element-wise.
    backend.activationBackward(values[k - 1]!.z, values[k - 1]!.a, below.da, below.dz, isElementwise(net.layers[k - 1]!)!);
  }
  return gradients;
}
