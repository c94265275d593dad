import type { Gradients } from "./propagate.js";
import type { Matrix } from "./matrix.js";
import type { Network } from "./network.js";

/** Plain gradient descent, in place: w ← w − η·dL/dw for every weight and bias. */
export function sgdStep(net: Network, gradients: Gradients, learningRate: number): void {
  net.layers.forEach((layer, k) => {
    const grad = gradients.layers[k]!;
    const W = layer.weights.data, dW = grad.weights.data;
    for (let i = 0; i < W.length; i++) W[i]! -= learningRate * dW[i]!;
    const b = layer.bias.data, db = grad.bias.data;
    for (let i = 0; i < b.length; i++) b[i]! -= learningRate * db[i]!;
  });
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
  readonly state: Float32Array[];
}

/**
 * An optimizer with its state (velocities, moments), updating a network in
 * place from its gradients. `state()` and `restore()` let a checkpoint resume
 * exactly.
 */
export interface Optimizer {
  readonly settings: OptimizerSettings;
  step(gradients: Gradients, learningRate: number): void;
  /** Steps taken so far (Adam's bias correction needs it). */
  readonly steps: number;
  state(): { steps: number; buffers: Float32Array[] };
  restore(state: { steps: number; buffers: readonly Float32Array[] }): void;
}

export function createOptimizer(net: Network, settings: OptimizerSettings): Optimizer {
  const buffers = settings.name === "sgd" ? 0 : settings.name === "momentum" ? 1 : 2;
  const slots: Slot[] = net.layers.flatMap((layer, k) => [
    { param: layer.weights, grad: (g: Gradients) => g.layers[k]!.weights, decays: true, state: [] as Float32Array[] },
    { param: layer.bias, grad: (g: Gradients) => g.layers[k]!.bias, decays: false, state: [] as Float32Array[] },
  ]);
  for (const slot of slots) for (let b = 0; b < buffers; b++) slot.state.push(new Float32Array(slot.param.data.length));
  const mu = settings.momentum ?? 0.9, beta1 = settings.beta1 ?? 0.9, beta2 = settings.beta2 ?? 0.999, eps = settings.epsilon ?? 1e-8;
  const lambda = settings.weightDecay ?? 0;
  let steps = 0;

  return {
    settings,
    get steps() {
      return steps;
    },
    step(gradients, eta) {
      steps++;
      const correction1 = 1 - beta1 ** steps, correction2 = 1 - beta2 ** steps;
      for (const slot of slots) {
        const w = slot.param.data, g = slot.grad(gradients).data;
        const decay = slot.decays ? eta * lambda : 0;
        if (settings.name === "sgd") {
          for (let i = 0; i < w.length; i++) w[i] = w[i]! - decay * w[i]! - eta * g[i]!;
        } else if (settings.name === "momentum") {
          const v = slot.state[0]!;
          for (let i = 0; i < w.length; i++) {
            v[i] = mu * v[i]! + g[i]!;
            w[i] = w[i]! - decay * w[i]! - eta * v[i]!;
          }
        } else {
          const m = slot.state[0]!, s = slot.state[1]!;
          for (let i = 0; i < w.length; i++) {
            const gi = g[i]!;
            m[i] = beta1 * m[i]! + (1 - beta1) * gi;
            s[i] = beta2 * s[i]! + (1 - beta2) * gi * gi;
            w[i] = w[i]! - decay * w[i]! - (eta * (m[i]! / correction1)) / (Math.sqrt(s[i]! / correction2) + eps);
          }
        }
      }
    },
    state: () => ({ steps, buffers: slots.flatMap((slot) => slot.state.map((b) => b.slice())) }),
    restore(saved) {
      const flat = slots.flatMap((slot) => slot.state);
      if (saved.buffers.length !== flat.length) throw new RangeError(`optimizer state has ${saved.buffers.length} buffers, expected ${flat.length}`);
      flat.forEach((buffer, i) => {
        buffer.set(saved.buffers[i]!);
      });
      steps = saved.steps;
    },
  };
}
