import type { ActivationName } from "../engine/activations.js";

/**
 * The activations the fused epilogues know: the element-wise ones (softmax
 * couples a row and stays in the engine). A name's index is its code in
 * assembly/activation.ts.
 */
export const KERNEL_ACTIVATIONS = ["identity", "relu", "sigmoid", "tanh"] as const satisfies readonly ActivationName[];
export type KernelActivation = (typeof KERNEL_ACTIVATIONS)[number];

export function activationCode(name: KernelActivation): number {
  const code = KERNEL_ACTIVATIONS.indexOf(name);
  if (code < 0) throw new RangeError(`the kernels have no activation "${name}"; they know ${KERNEL_ACTIVATIONS.join(", ")}`);
  return code;
}
