/**
 * The forward and backward pass over a batch, read top to bottom as a
 * textbook writes them:
 *
 *   forward, layer by layer:   z = a_prev · Wᵀ + b,  a = f(z)
 *   output:                    dL/da from the loss, dL/dz = dL/da ⊙ f′(z)
 *                              (softmax with cross-entropy, sigmoid with binary
 *                              cross-entropy: dL/dz = a − t, combined)
 *   backward, top layer down:  dL/dW = dzᵀ · a_prev,  dL/db = Σ_samples dz,
 *                              dL/da_prev = dz · W,  dz_prev = dL/da_prev ⊙ f′(z_prev)
 *
 * Every product and element-wise pass goes to the network's Backend (the
 * TypeScript loops in float64 or float32, or the WebAssembly kernels). The
 * one piece of speed machinery is the plan: each layer's backend arguments
 * and decisions (which bias the backend adds, whether the engine finishes
 * the layer) are bound once in workspace.ts, so a training step makes no
 * per-layer decisions. A pass without a workspace binds plans for itself.
 */
import { deltaOf, isElementwise } from "./activations.js";
import type { Backend } from "./backend.js";
import type { Loss, Reduction } from "./losses.js";
import { rowOf, type Matrix } from "./matrix.js";
import type { Network } from "./network.js";
import {
  backwardPlans,
  expectInput,
  expectValuesFor,
  expectWorkspaceFor,
  forwardPlans,
  gradientBuffers,
  valueBuffers,
  type ForwardPlan,
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

/** z = input · Wᵀ + b, a = f(z), into the plan's buffers. */
function forwardLayer(backend: Backend, plan: ForwardPlan, input: Matrix): void {
  const { layer, values } = plan;
  backend.dense(input, layer.weights, plan.bias, values.z, plan.out, plan.activation);
  if (!plan.engineFinishes) return;
  // The backend wrote z alone: the engine adds a shared bias and applies softmax (the backend's own where it has one) or f.
  if (plan.sharedBias) {
    const Z = values.z.data,
      b = plan.sharedBias.data[0]!;
    for (let k = 0; k < Z.length; k++) Z[k]! += b;
  }
  if (layer.activation.name === "softmax" && backend.softmax) backend.softmax(values.z, values.a);
  else layer.activation.forward(values.z, values.a);
}

/**
 * The forward pass over a batch `x` (batch × inputs): z and a of every layer.
 * Without a workspace every buffer is new (the solver records them all).
 */
export function forward(net: Network, x: Matrix, workspace?: Workspace): readonly LayerValues[] {
  expectInput(net, x);
  if (workspace) expectWorkspaceFor(workspace, net, x);
  const values = workspace?.values ?? valueBuffers(net, x.rows);
  const plans = workspace?.plans.forward ?? forwardPlans(net, values);
  let input = x;
  for (let k = 0; k < plans.length; k++) {
    const plan = plans[k]!;
    forwardLayer(net.backend, plan, input);
    input = plan.values.a;
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

/** Divides every entry by the batch size under `mean`. */
function reduceGradient(m: Matrix, reduction: Reduction, rows: number): void {
  if (reduction !== "mean") return;
  const data = m.data;
  for (let k = 0; k < data.length; k++) data[k]! /= rows;
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
  expectInput(net, x);
  const units = net.layers[net.layers.length - 1]!.units;
  if (targets.rows !== x.rows || targets.cols !== units)
    throw new RangeError(`the targets are ${targets.rows}x${targets.cols}, expected ${x.rows}x${units} (a row of ${units} per sample)`);
  if (workspace) {
    expectWorkspaceFor(workspace, net, x);
    if (options.inputGradient !== undefined && options.inputGradient !== (workspace.gradients.input !== undefined)) {
      throw new RangeError(
        `inputGradient is ${options.inputGradient}, but the workspace was created ${options.inputGradient ? "without" : "with"} room for the input gradient (createWorkspace's inputGradient decides)`,
      );
    }
  }
  const gradients = workspace?.gradients ?? gradientBuffers(net, x.rows, options.inputGradient ?? false);
  // A workspace's plans are bound to its own values; a pass over other values binds plans of its own, once their shapes are checked.
  const own = workspace?.values === values;
  if (!own) expectValuesFor(net, values, x.rows);
  const plans = own ? workspace.plans.backward : backwardPlans(net, values, gradients);
  outputDelta(net, values[values.length - 1]!, gradients.layers[values.length - 1]!, targets, objective);
  const { backend } = net;
  for (let r = 0; r < plans.length; r++) {
    const plan = plans[r]!;
    backend.denseBackward(plan.dz, plan.input ?? x, plan.weights, plan.weightGradient, plan.biasGradient, plan.dInput, plan.below);
    if (plan.sharedBiasGradient) sharedBiasGradient(plan.dz, plan.sharedBiasGradient);
  }
  return gradients;
}

/** dL/da and dL/dz of the output layer, from the loss. */
function outputDelta(net: Network, output: LayerValues, top: LayerGradients, targets: Matrix, objective: Objective): void {
  const { loss, reduction } = objective;
  const { activation } = net.layers[net.layers.length - 1]!;
  const combined = loss.combined && loss.requires === activation.name ? loss.combined.gradient : undefined;
  const rows = output.a.rows;
  for (let i = 0; i < rows; i++) {
    const a = rowOf(output.a, i),
      t = rowOf(targets, i);
    loss.gradient(a, t, rowOf(top.da, i));
    if (combined) combined(a, t, rowOf(top.dz, i));
  }
  if (!combined && !isElementwise(activation)) {
    reduceGradient(top.da, reduction, rows);
    activation.backward(output.z, output.a, top.da, top.dz);
    return;
  }
  // One pass reduces da and derives dz: on an exercise-sized network a pass per step costs more than the arithmetic. Dividing by 1 under `sum` changes nothing.
  const by = reduction === "mean" ? rows : 1,
    f = isElementwise(activation) ? activation.name : "identity";
  const Z = output.z.data,
    A = output.a.data,
    dA = top.da.data,
    dZ = top.dz.data;
  for (let k = 0; k < dA.length; k++) {
    dA[k]! /= by;
    // In float32, f′ reads da as stored (rounded), as a separate pass would.
    dZ[k] = combined ? dZ[k]! / by : deltaOf(f, Z[k]!, A[k]!, dA[k]!);
  }
}
