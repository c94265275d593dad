import { isElementwise } from "./activations.js";
import type { Backend } from "./backend.js";
import type { Loss, Reduction } from "./losses.js";
import { rowOf, type Floats, type Matrix } from "./matrix.js";
import type { Network } from "./network.js";
import {
  backwardRoutes,
  expectWorkspaceFor,
  forwardRoutes,
  gradientBuffers,
  valueBuffers,
  type ForwardRoute,
  type Gradients,
  type LayerGradients,
  type LayerValues,
  type Workspace,
} from "./workspace.js";

/** The loss being minimised: a per-sample loss and how samples combine. */
export interface Objective {
  readonly loss: Loss;
  readonly reduction: Reduction;
}

/** z = input · Wᵀ + b, a = f(z), into the route's buffers. */
function forwardLayer(backend: Backend, route: ForwardRoute, input: Matrix): void {
  const { layer, values } = route;
  backend.dense(input, layer.weights, route.bias, values.z, route.out, route.activation);
  if (!route.finish) return;
  if (route.sharedBias) {
    const Z = values.z.data, b = route.sharedBias.data[0]!;
    for (let k = 0; k < Z.length; k++) Z[k]! += b;
  }
  layer.activation.forward(values.z, values.a);
}

/**
 * The forward pass over a batch `x` (batch × inputs): z and a of every layer.
 * Without a workspace every buffer is new (the solver records them all).
 */
export function forward(net: Network, x: Matrix, workspace?: Workspace): readonly LayerValues[] {
  if (workspace) expectWorkspaceFor(workspace, net, x);
  const values = workspace?.values ?? valueBuffers(net, x.rows);
  const routes = workspace?.routes.forward ?? forwardRoutes(net, values);
  let input = x;
  for (let k = 0; k < routes.length; k++) {
    const route = routes[k]!;
    forwardLayer(net.backend, route, input);
    input = route.values.a;
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

/**
 * The backward pass: dL/da, dL/dz, dL/dW and dL/db of every layer, and dL/dx
 * when `inputGradient` is set. `values` is the forward pass over the same `x`.
 * With a workspace the gradients are written into it, and dL/dx is computed
 * exactly when the workspace was created with room for it.
 */
export function backward(
  net: Network,
  x: Matrix,
  values: readonly LayerValues[],
  targets: Matrix,
  objective: Objective,
  options: { inputGradient?: boolean; workspace?: Workspace } = {},
): Gradients {
  const { workspace } = options;
  if (workspace) {
    expectWorkspaceFor(workspace, net, x);
    if (options.inputGradient !== undefined && options.inputGradient !== (workspace.gradients.input !== undefined)) {
      throw new RangeError(`inputGradient is ${options.inputGradient}, but the workspace was created ${options.inputGradient ? "without" : "with"} room for the input gradient (createWorkspace's inputGradient decides)`);
    }
  }
  const gradients = workspace?.gradients ?? gradientBuffers(net, x.rows, options.inputGradient ?? false);
  // A workspace's routes are bound to its own values; a pass over other values binds routes of its own.
  const routes = workspace?.values === values ? workspace.routes.backward : backwardRoutes(net, values, gradients);
  outputDelta(net, values[values.length - 1]!, gradients.layers[values.length - 1]!, targets, objective);
  const { backend } = net;
  for (let r = 0; r < routes.length; r++) {
    const route = routes[r]!;
    backend.denseBackward(route.dz, route.input ?? x, route.weights, route.weightGradient, route.biasGradient, route.dInput);
    if (route.sharedBiasGradient) sharedBiasGradient(route.dz, route.sharedBiasGradient);
    const { below } = route;
    if (below) backend.activationBackward(below.z, below.a, below.da, below.dz, below.activation);
  }
  return gradients;
}

/** dL/da and dL/dz of the output layer, from the loss. */
function outputDelta(net: Network, output: LayerValues, top: LayerGradients, targets: Matrix, objective: Objective): void {
  const { loss, reduction } = objective;
  const { activation } = net.layers[net.layers.length - 1]!;
  eachSample(output.a, targets, reduction, top.da, loss.gradient);
  if (loss.fused && loss.requires === activation.name) {
    eachSample(output.a, targets, reduction, top.dz, loss.fused.gradient);
  } else if (isElementwise(activation)) {
    net.backend.activationBackward(output.z, output.a, top.da, top.dz, activation);
  } else {
    activation.backward(output.z, output.a, top.da, top.dz);
  }
}
