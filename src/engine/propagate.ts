import { ACTIVATIONS, isElementwise, type ElementwiseActivation } from "./activations.js";
import type { Backend } from "./backend.js";
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

/** The bias a backend adds row by row: the layer's own when it has one per neuron. */
function perNeuronBias(layer: Layer, bias: Matrix): Matrix | undefined {
  return layer.biasMode === "perNeuron" ? bias : undefined;
}

/** z = input · Wᵀ + b, a = f(z), written into `into`. */
function forwardLayer(backend: Backend, layer: Layer, input: Matrix, into: LayerValues): void {
  const { activation } = layer;
  const bias = perNeuronBias(layer, layer.bias);
  if (isElementwise(activation) && layer.biasMode !== "shared") {
    backend.dense(input, layer.weights, bias, into.z, into.a, activation);
    return;
  }
  // Softmax couples a row, and a shared bias is one scalar: both are applied here, so backends only know per-column biases and element-wise activations.
  backend.dense(input, layer.weights, bias, into.z, into.z, ACTIVATIONS.identity);
  if (layer.biasMode === "shared") {
    const Z = into.z.data, b = layer.bias.data[0]!;
    for (let k = 0; k < Z.length; k++) Z[k]! += b;
  }
  layer.activation.forward(into.z, into.a);
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

/** A shared bias feeds every neuron, so its gradient sums over them all. */
function sharedBiasGradient(dz: Matrix, into: Matrix): void {
  let sum = 0;
  for (let k = 0; k < dz.data.length; k++) sum += dz.data[k]!;
  into.data[0] = sum;
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
  const { activation } = lastLayer;
  if (loss.fused && loss.requires === activation.name) {
    eachSample(output.a, targets, reduction, top.dz, loss.fused.gradient);
  } else if (isElementwise(activation)) {
    backend.activationBackward(output.z, output.a, top.da, top.dz, activation);
  } else {
    activation.backward(output.z, output.a, top.da, top.dz);
  }

  for (let k = last; k >= 0; k--) {
    const layer = net.layers[k]!;
    const own = gradients.layers[k]!;
    // The layer below (its values and gradients), or none under the first layer, whose input is x.
    const under = k > 0 ? values[k - 1]! : undefined;
    const below = k > 0 ? gradients.layers[k - 1]! : undefined;
    const dInput = below ? below.da : inputGradient ? gradients.input : undefined;
    backend.denseBackward(own.dz, under ? under.a : x, layer.weights, own.weights, perNeuronBias(layer, own.bias), dInput);
    if (layer.biasMode === "shared") sharedBiasGradient(own.dz, own.bias);
    if (!under || !below) break;
    // Softmax is allowed only in the last layer, so every hidden layer is element-wise.
    backend.activationBackward(under.z, under.a, below.da, below.dz, net.layers[k - 1]!.activation as ElementwiseActivation);
  }
  return gradients;
}
