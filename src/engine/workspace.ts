import { ACTIVATIONS, isElementwise, type ElementwiseActivation } from "./activations.js";
import type { LayerBelow } from "./dense-layer.js";
import type { Floats, Matrix } from "./matrix.js";
import { parameterShapes, type Layer, type Network } from "./network.js";

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
  readonly input?: Matrix | undefined;
  /** dL/dW and dL/db of every layer end to end, as the network's `parameters` are, when the backend keeps them in one block. */
  readonly parameters?: Floats | undefined;
}

/**
 * One layer of the forward pass with every decision about it made once: the
 * backend call's arguments, and whether this layer needs finishing after it.
 */
export interface ForwardPlan {
  readonly layer: Layer;
  readonly values: LayerValues;
  /** The bias the backend adds on every row: the layer's own when it has one per neuron. */
  readonly bias: Matrix | undefined;
  /** What the backend applies with the product: the layer's activation, or identity when the engine finishes the layer. */
  readonly activation: ElementwiseActivation;
  /** Where the backend writes f(z): a, or z itself when the engine finishes the layer. */
  readonly out: Matrix;
  /**
   * Softmax couples a row and a shared bias is one scalar, so a backend, which
   * knows per-neuron biases and element-wise activations only, writes z alone
   * and the engine finishes the layer (propagate.ts's forwardLayer). False
   * when the backend's pass is the whole layer.
   */
  readonly engineFinishes: boolean;
  readonly sharedBias: Matrix | undefined;
}

/** One layer of the backward pass: its backend arguments, bound once. */
export interface BackwardPlan {
  /** dL/dz of the layer, which the backend turns into the rest. */
  readonly dz: Matrix;
  /** The layer's input, the layer below's a; undefined for the first layer, whose input is x. */
  readonly input: Matrix | undefined;
  readonly weights: Matrix;
  readonly weightGradient: Matrix;
  /** The bias gradient the backend sums per neuron; undefined when the bias is shared or absent. */
  readonly biasGradient: Matrix | undefined;
  /** The gradient of a shared bias, which the engine sums; undefined for any other bias. */
  readonly sharedBiasGradient: Matrix | undefined;
  /** dL/d(input): the layer below's da, dL/dx when asked for, or undefined. */
  readonly dInput: Matrix | undefined;
  /** The layer below, whose dz the backend derives from dInput; softmax is allowed only in the last layer, so it is element-wise. */
  readonly below: LayerBelow | undefined;
}

/**
 * Every buffer one forward and backward pass over a batch of `batch` samples
 * writes, allocated once in the backend's memory and bound to the layers of
 * `network`: training reuses it every step, and a step makes no per-layer
 * decisions, which on an exercise-sized network cost a measurable part of it.
 */
export interface Workspace {
  readonly network: Network;
  readonly batch: number;
  readonly values: readonly LayerValues[];
  readonly gradients: Gradients;
  /** Forward bottom layer first; backward top layer first. */
  readonly plans: { readonly forward: readonly ForwardPlan[]; readonly backward: readonly BackwardPlan[] };
}

export function createWorkspace(net: Network, batch: number, options: { inputGradient?: boolean } = {}): Workspace {
  const values = valueBuffers(net, batch);
  const gradients = gradientBuffers(net, batch, options.inputGradient ?? false);
  return { network: net, batch, values, gradients, plans: { forward: forwardPlans(net, values), backward: backwardPlans(net, values, gradients) } };
}

/**
 * A workspace is bound to one network's layers and one batch size: with
 * another network its plans would compute with that network's weights, and
 * its buffers have room for `batch` rows only. Both are refused here, with
 * the reason, rather than deep inside a product.
 */
export function expectWorkspaceFor(workspace: Workspace, net: Network, x: Matrix): void {
  if (workspace.network !== net) throw new RangeError("the workspace was created for another network");
  if (workspace.batch !== x.rows) throw new RangeError(`the workspace holds batches of ${workspace.batch} rows, got ${x.rows}`);
}

/** Refuses an input whose width is not the network's. */
export function expectInput(net: Network, x: Matrix): void {
  if (x.cols !== net.inputs) throw new RangeError(`x is ${x.rows}x${x.cols}, expected ${net.inputs} columns (the network's inputs)`);
}

/**
 * Refuses values that are not one forward pass of `net` over `batch` rows:
 * the backend's layer loops trust the shapes of the matrices a plan binds.
 */
export function expectValuesFor(net: Network, values: readonly LayerValues[], batch: number): void {
  if (values.length !== net.layers.length) throw new RangeError(`expected the values of ${net.layers.length} layers, found ${values.length}`);
  net.layers.forEach((layer, k) => {
    for (const name of ["z", "a"] as const) {
      const m = values[k]![name];
      if (m.rows !== batch || m.cols !== layer.units) throw new RangeError(`layer ${k + 1}'s ${name} is ${m.rows}x${m.cols}, expected ${batch}x${layer.units}`);
    }
  });
}

export function valueBuffers(net: Network, batch: number): LayerValues[] {
  return net.layers.map((layer) => ({ z: net.backend.matrix(batch, layer.units), a: net.backend.matrix(batch, layer.units) }));
}

export function gradientBuffers(net: Network, batch: number, inputGradient: boolean): Gradients {
  const { backend } = net;
  const { matrices, flat } = backend.matrices(parameterShapes(net));
  const layers = net.layers.map((layer, k) => ({
    da: backend.matrix(batch, layer.units),
    dz: backend.matrix(batch, layer.units),
    weights: matrices[2 * k]!,
    bias: matrices[2 * k + 1]!,
  }));
  return { layers, input: inputGradient ? backend.matrix(batch, net.inputs) : undefined, parameters: flat };
}

/** The bias a backend adds row by row: the layer's own when it has one per neuron. */
function perNeuronBias(layer: Layer, bias: Matrix): Matrix | undefined {
  return layer.biasMode === "perNeuron" ? bias : undefined;
}

export function forwardPlans(net: Network, values: readonly LayerValues[]): ForwardPlan[] {
  return net.layers.map((layer, k) => {
    const own = values[k]!;
    const { activation } = layer;
    const bias = perNeuronBias(layer, layer.bias);
    const sharedBias = layer.biasMode === "shared" ? layer.bias : undefined;
    if (isElementwise(activation) && !sharedBias) return { layer, values: own, bias, activation, out: own.a, engineFinishes: false, sharedBias };
    return { layer, values: own, bias, activation: ACTIVATIONS.identity, out: own.z, engineFinishes: true, sharedBias };
  });
}

export function backwardPlans(net: Network, values: readonly LayerValues[], gradients: Gradients): BackwardPlan[] {
  return net.layers
    .map((layer, k): BackwardPlan => {
      const own = gradients.layers[k]!;
      const under = values[k - 1],
        grads = gradients.layers[k - 1];
      const below = under && grads ? { z: under.z, a: under.a, dz: grads.dz, activation: net.layers[k - 1]!.activation as ElementwiseActivation } : undefined;
      return {
        dz: own.dz,
        input: under?.a,
        weights: layer.weights,
        weightGradient: own.weights,
        biasGradient: perNeuronBias(layer, own.bias),
        sharedBiasGradient: layer.biasMode === "shared" ? own.bias : undefined,
        dInput: grads ? grads.da : gradients.input,
        below,
      };
    })
    .reverse();
}
