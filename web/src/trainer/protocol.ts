import type { ActivationName } from "../../../src/engine/activations.js";
import type { Route } from "../../../src/kernels/routes.js";
import type { DatasetName } from "./datasets.js";

/** Messages between the trainer view and its Web Worker. */
export interface TrainConfig {
  readonly dataset: DatasetName;
  /** Units of each hidden layer; the output is one sigmoid unit. */
  readonly hidden: readonly number[];
  readonly activation: Exclude<ActivationName, "softmax">;
  readonly learningRate: number;
  readonly seed: number;
}

export type ToWorker =
  | { readonly type: "reset"; readonly config: TrainConfig }
  | { readonly type: "run"; readonly running: boolean }
  | { readonly type: "learningRate"; readonly value: number };

export type FromWorker =
  /** The data set, and the route of the kernels training on it (relaxed or plain WebAssembly SIMD, or js). */
  | { readonly type: "data"; readonly points: readonly (readonly number[])[]; readonly labels: readonly (readonly number[])[]; readonly kernels: Route }
  | { readonly type: "progress"; readonly step: number; readonly loss: number; readonly accuracy: number; readonly running: boolean }
  /** The network's output over a size × size grid of [−1, 1]², row by row from the top. */
  | { readonly type: "boundary"; readonly size: number; readonly values: Float32Array; readonly step: number }
  | { readonly type: "error"; readonly message: string };
