import { matmul, matmulTransA, matmulTransB } from "./linalg.js";
import type { Loss, Reduction } from "./losses.js";
import { allocate, dtypeOf, rowOf, zerosLike, type Floats, type Matrix } from "./matrix.js";
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
  /** dL/db in the layer's bias storage (per neuron, one shared entry, or empty). */
  readonly bias: Floats;
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

function addBias(layer: Layer, z: Matrix): void {
  if (layer.biasMode === "none") return;
  const Z = z.data, b = layer.bias, shared = layer.biasMode === "shared";
  for (let i = 0; i < z.rows; i++) {
    for (let j = 0; j < z.cols; j++) Z[i * z.cols + j]! += shared ? b[0]! : b[j]!;
  }
}

/** The forward pass over a batch `x` (batch × inputs): z and a of every layer. */
export function forward(net: Network, x: Matrix): LayerValues[] {
  const values: LayerValues[] = [];
  let input = x;
  for (const layer of net.layers) {
    const z = matmulTransB(input, layer.weights, zerosLike(x.data, x.rows, layer.units));
    addBias(layer, z);
    const a = zerosLike(x.data, x.rows, layer.units);
    layer.activation.forward(z, a);
    values.push({ z, a });
    input = a;
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
): Matrix {
  for (let i = 0; i < a.rows; i++) perSample(rowOf(a, i), rowOf(targets, i), rowOf(out, i));
  if (reduction === "mean") for (let k = 0; k < out.data.length; k++) out.data[k]! /= a.rows;
  return out;
}

function biasGradient(layer: Layer, dz: Matrix): Floats {
  const db = allocate(dtypeOf(dz.data), layer.bias.length);
  if (layer.biasMode === "none") return db;
  for (let i = 0; i < dz.rows; i++) {
    for (let j = 0; j < dz.cols; j++) {
      // A shared bias feeds every neuron, so its gradient sums over them all.
      db[layer.biasMode === "shared" ? 0 : j]! += dz.data[i * dz.cols + j]!;
    }
  }
  return db;
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
  options: { inputGradient?: boolean } = {},
): Gradients {
  const { loss, reduction } = objective;
  const last = net.layers.length - 1;
  const output = values[last]!;
  const batch = x.rows;
  const layers: LayerGradients[] = new Array<LayerGradients>(net.layers.length);

  let da = eachSample(output.a, targets, reduction, zerosLike(x.data, batch, output.a.cols), loss.gradient);
  let dz = zerosLike(x.data, batch, output.a.cols);
  const lastLayer = net.layers[last]!;
  if (loss.fused && loss.requires === lastLayer.activation.name) {
    eachSample(output.a, targets, reduction, dz, loss.fused.gradient);
  } else {
    lastLayer.activation.backward(output.z, output.a, da, dz);
  }

  let input: Matrix | undefined;
  for (let k = last; k >= 0; k--) {
    const layer = net.layers[k]!;
    const previous = k > 0 ? values[k - 1]!.a : x;
    const weights = matmulTransA(dz, previous, zerosLike(x.data, layer.units, layer.inputs));
    layers[k] = { da, dz, weights, bias: biasGradient(layer, dz) };
    if (k === 0 && !options.inputGradient) break;
    const daPrevious = matmul(dz, layer.weights, zerosLike(x.data, batch, layer.inputs));
    if (k === 0) {
      input = daPrevious;
      break;
    }
    const below = values[k - 1]!;
    da = daPrevious;
    dz = zerosLike(x.data, batch, layer.inputs);
    net.layers[k - 1]!.activation.backward(below.z, below.a, da, dz);
  }
  return input ? { layers, input } : { layers };
}
