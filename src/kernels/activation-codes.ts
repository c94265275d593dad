import type { ElementwiseName } from "../engine/activations.js";
import { ACTIVATION_RULES, ELEMENTWISE_NAMES, isElementwiseRule } from "../rules/activations.js";

/**
 * The activations the fused epilogues know: the element-wise ones (softmax
 * couples a row and has a kernel of its own). Each one's code is the `kernel`
 * of its entry in rules/activations.ts.
 */
export const KERNEL_ACTIVATIONS: readonly ElementwiseName[] = ELEMENTWISE_NAMES;
export type KernelActivation = ElementwiseName;

export function activationCode(name: KernelActivation): number {
  const rule = ACTIVATION_RULES[name] as (typeof ACTIVATION_RULES)[KernelActivation] | undefined;
  if (rule === undefined || !isElementwiseRule(rule))
    throw new RangeError(`the kernels have no activation "${name}"; they know ${KERNEL_ACTIVATIONS.join(", ")}`);
  return rule.kernel;
}
