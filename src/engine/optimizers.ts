import type { Gradients } from "./workspace.js";
import type { Floats, Matrix } from "./matrix.js";
import type { Network } from "./network.js";

/** Plain gradient descent, in place: w ← w − η·dL/dw for every weight and bias. */
export function sgdStep(net: Network, gradients: Gradients, learningRate: number): void {
  const P = net.parameters,
    G = gradients.parameters;
  if (P && G && P.length === G.length) {
    // One loop over the flat block: on an exercise-sized network a loop per matrix costs more than its updates.
    for (let i = 0; i < P.length; i++) P[i]! -= learningRate * G[i]!;
    return;
  }
  for (let k = 0; k < net.layers.length; k++) {
    const layer = net.layers[k]!,
      grad = gradients.layers[k]!;
    const W = layer.weights.data,
      dW = grad.weights.data;
    for (let i = 0; i < W.length; i++) W[i]! -= learningRate * dW[i]!;
    const b = layer.bias.data,
      db = grad.bias.data;
    for (let i = 0; i < b.length; i++) b[i]! -= learningRate * db[i]!;
  }
}

export const OPTIMIZER_NAMES = ["sgd", "momentum", "adam"] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface OptimizerSettings {
  readonly name: OptimizerName;
  /** Momentum's velocity decay μ (default 0.9). */
  readonly momentum?: number;
  /** Adam's moment decays β₁, β₂ (default 0.9, 0.999) and ε (default 1e-8). */
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** Decoupled weight decay λ (AdamW; for SGD and momentum, w ← w − η·λ·w). Biases are not decayed. */
  readonly weightDecay?: number;
}

/** One parameter matrix with its gradient and whatever state the optimizer keeps for it. */
interface Slot {
  readonly param: Matrix;
  readonly grad: (g: Gradients) => Matrix;
  readonly decays: boolean;
  /** Momentum's velocity, or Adam's first and second moments: in the backend's memory, beside the parameter. */
  readonly state: Matrix[];
}

/**
 * An optimizer with its state (velocities, moments), updating a network in
 * place from its gradients through the network's backend (SIMD kernels when
 * training). `state()` and `restore()` let a checkpoint resume exactly.
 */
export interface Optimizer {
  readonly settings: OptimizerSettings;
  step(gradients: Gradients, learningRate: number): void;
  /** Steps taken so far (Adam's bias correction needs it). */
  readonly steps: number;
  state(): { steps: number; buffers: Floats[] };
  restore(state: { steps: number; buffers: readonly ArrayLike<number>[] }): void;
}

export function createOptimizer(net: Network, settings: OptimizerSettings): Optimizer {
  const { backend } = net;
  const buffers = settings.name === "sgd" ? 0 : settings.name === "momentum" ? 1 : 2;
  const slots: Slot[] = net.layers.flatMap((layer, k) => [
    { param: layer.weights, grad: (g: Gradients) => g.layers[k]!.weights, decays: true, state: [] as Matrix[] },
    { param: layer.bias, grad: (g: Gradients) => g.layers[k]!.bias, decays: false, state: [] as Matrix[] },
  ]);
  for (const slot of slots) for (let b = 0; b < buffers; b++) slot.state.push(backend.matrix(slot.param.rows, slot.param.cols));
  const mu = settings.momentum ?? 0.9,
    beta1 = settings.beta1 ?? 0.9,
    beta2 = settings.beta2 ?? 0.999,
    epsilon = settings.epsilon ?? 1e-8;
  const lambda = settings.weightDecay ?? 0;
  let steps = 0;

  return {
    settings,
    get steps() {
      return steps;
    },
    step(gradients, eta) {
      steps++;
      for (const slot of slots) {
        const w = slot.param,
          g = slot.grad(gradients);
        if (w.data.length === 0) continue;
        const keep = 1 - (slot.decays ? eta * lambda : 0);
        if (settings.name === "sgd") {
          backend.scaleAdd(w, keep, g, -eta);
        } else if (settings.name === "momentum") {
          const v = slot.state[0]!;
          backend.scaleAdd(v, mu, g, 1);
          backend.scaleAdd(w, keep, v, -eta);
        } else {
          backend.adam(w, g, slot.state[0]!, slot.state[1]!, {
            beta1,
            beta2,
            step: eta / (1 - beta1 ** steps),
            correction2: 1 - beta2 ** steps,
            epsilon,
            keep,
          });
        }
      }
    },
    state: () => ({ steps, buffers: slots.flatMap((slot) => slot.state.map((b) => b.data.slice())) }),
    restore(saved) {
      const flat = slots.flatMap((slot) => slot.state);
      if (saved.buffers.length !== flat.length) throw new RangeError(`optimizer state has ${saved.buffers.length} buffers, expected ${flat.length}`);
      flat.forEach((buffer, i) => {
        buffer.data.set(saved.buffers[i]!);
      });
      steps = saved.steps;
    },
  };
}
