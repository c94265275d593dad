import type { ActivationName } from "../engine/activations.js";
import type { NetworkSpec } from "../engine/network.js";
import { Rng } from "../engine/rng.js";

export const INITIALIZERS = ["he", "xavier"] as const;
export type Initializer = (typeof INITIALIZERS)[number];

/** An MLP's shape: inputs, then hidden layers of one activation, then an output layer (softmax over the classes unless `output` says otherwise). */
export interface Architecture {
  readonly inputs: number;
  readonly hidden: readonly number[];
  readonly activation: Exclude<ActivationName, "softmax">;
  /** Units of the output layer: classes, labels or regression targets. */
  readonly classes: number;
  /** softmax (classification, the default), sigmoid (multi-label) or identity (regression). */
  readonly output?: "softmax" | "sigmoid" | "identity";
  /** Output weights of 0, so that the network starts by adding nothing (to a regression's linear fit); the layers below still learn, through them. */
  readonly zeroOutput?: boolean;
}

/**
 * Seeded initial weights: He (normal, variance 2/fan_in), suited to ReLU, or
 * Xavier/Glorot (uniform, limit √(6/(fan_in + fan_out))), suited to tanh and
 * sigmoid; biases start at 0.
 */
export function initialNetwork(architecture: Architecture, initializer: Initializer, seed: number): NetworkSpec {
  const rng = new Rng(seed);
  const sizes = [...architecture.hidden, architecture.classes];
  let inputs = architecture.inputs;
  const layers = sizes.map((units, k) => {
    const isOutput = k === sizes.length - 1;
    const draw =
      initializer === "he"
        ? () => rng.normal() * Math.sqrt(2 / inputs)
        : (() => {
            const limit = Math.sqrt(6 / (inputs + units));
            return () => rng.uniform(-limit, limit);
          })();
    const weights = Array.from({ length: units }, () => Array.from({ length: inputs }, isOutput && architecture.zeroOutput ? () => 0 : draw));
    inputs = units;
    return {
      units,
      activation: isOutput ? (architecture.output ?? "softmax") : architecture.activation,
      weights,
      bias: { mode: "perNeuron" as const, values: new Array<number>(units).fill(0) },
    };
  });
  return { inputs: architecture.inputs, layers };
}
