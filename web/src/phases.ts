import { t } from "./words.js";
import type { Problem } from "../../src/problem/problem.js";

/**
 * Where the stepper stands. Each step of gradient descent is: its start (the
 * step's parameters, nothing computed), the forward pass one layer at a time,
 * the loss, the backward pass one layer at a time from the output down, and
 * the update. After the last update comes the final forward pass (step =
 * steps), which has no backward pass.
 */
export type Phase =
  | { readonly kind: "start"; readonly step: number }
  | { readonly kind: "forward"; readonly step: number; readonly layer: number }
  | { readonly kind: "loss"; readonly step: number }
  | { readonly kind: "backward"; readonly step: number; readonly layer: number }
  | { readonly kind: "update"; readonly step: number };

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export function phasesOf(problem: Problem): Phase[] {
  const count = problem.training.steps;
  const layers = problem.network.layers.length;
  const forwardPass = (step: number): Phase[] => [
    { kind: "start", step },
    ...range(layers).map((layer): Phase => ({ kind: "forward", step, layer })),
    { kind: "loss", step },
  ];
  const phases = range(Math.max(count, 1)).flatMap((step): Phase[] => [
    ...forwardPass(step),
    ...range(layers)
      .reverse()
      .map((layer): Phase => ({ kind: "backward", step, layer })),
    ...(count > 0 ? [{ kind: "update", step } as const] : []),
  ]);
  return count > 0 ? [...phases, ...forwardPass(count)] : phases;
}

/** Whether the forward pass of `phase`'s step has computed `layer`. */
export function forwardDone(phase: Phase, layer: number): boolean {
  return phase.kind === "forward" ? phase.layer >= layer : phase.kind !== "start";
}

export function lossDone(phase: Phase): boolean {
  return phase.kind === "loss" || phase.kind === "backward" || phase.kind === "update";
}

/** Whether the backward pass of `phase`'s step has reached `layer` (dL/dz of its neurons, dL/dW of its weights). */
export function backwardDone(phase: Phase, layer: number): boolean {
  return phase.kind === "backward" ? phase.layer <= layer : phase.kind === "update";
}

/** The step of the final forward pass, after the last update; undefined when the problem has no update. */
export function finalStep(problem: Problem): number | undefined {
  return problem.training.steps > 0 ? problem.training.steps : undefined;
}

/** The phase in words, for the banner and screen readers. */
export function describePhase(problem: Problem, phase: Phase): string {
  const count = problem.training.steps;
  const layers = problem.network.layers.length;
  const tr = t();
  const step =
    phase.step === count && count > 0
      ? tr.text("solution.after", { steps: count })
      : count === 0
        ? tr.text("solution.forwardAndBackward")
        : tr.text("solution.stepOf", { step: phase.step + 1, count });
  const layerName = (k: number) =>
    k === layers - 1 ? tr.text("page.outputLayerOf", { layer: k + 1, layers }) : tr.text("page.layerOf", { layer: k + 1, layers });
  switch (phase.kind) {
    case "start":
      return tr.text(phase.step > 0 ? "page.phaseStartUpdated" : "page.phaseStart", { step });
    case "forward":
      return tr.text("page.phaseForward", { step, layer: layerName(phase.layer) });
    case "loss":
      return tr.text("page.phaseLoss", { step });
    case "backward":
      return tr.text("page.phaseBackward", { step, layer: layerName(phase.layer) });
    case "update":
      return tr.text("page.phaseUpdate", { step });
  }
}
