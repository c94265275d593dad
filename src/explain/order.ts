import type { Problem } from "../problem/problem.js";
import type { Quantity } from "./quantity.js";

/** The quantities of one step in the order a worked solution presents them. */
export interface StepQuantities {
  readonly step: number;
  /** Per layer: z then a of every sample and neuron. */
  readonly forward: readonly (readonly Quantity[])[];
  /** Per-sample losses (only when the batch has several samples), then the loss. */
  readonly loss: readonly Quantity[];
  /** Per layer from the output down: dL/da, dL/dz, then dL/dW and dL/db. */
  readonly backward: readonly { readonly layer: number; readonly quantities: readonly Quantity[] }[];
  readonly inputGradients: readonly Quantity[];
  /** Per layer: the updated weights and biases. */
  readonly updates: readonly (readonly Quantity[])[];
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function neurons<T>(problem: Problem, layer: number, make: (sample: number, j: number) => T): T[] {
  return range(problem.data.inputs.length).flatMap((sample) => range(problem.network.layers[layer]!.units).map((j) => make(sample, j)));
}

function parameters(problem: Problem, step: number, layer: number, kinds: { w: "w" | "dw"; b: "b" | "db" }): Quantity[] {
  const spec = problem.network.layers[layer]!;
  const inputs = layer === 0 ? problem.network.inputs : problem.network.layers[layer - 1]!.units;
  const weights = range(spec.units).flatMap((j) => range(inputs).map((i): Quantity => ({ kind: kinds.w, step, layer, j, i })));
  const biases: Quantity[] =
    spec.bias.mode === "none"
      ? []
      : spec.bias.mode === "shared"
        ? [{ kind: kinds.b, step, layer, j: undefined }]
        : range(spec.units).map((j) => ({ kind: kinds.b, step, layer, j }));
  return [...weights, ...biases];
}

function forwardOf(problem: Problem, step: number) {
  const layers = problem.network.layers.map((_, layer) =>
    neurons(problem, layer, (sample, j): Quantity[] => [
      { kind: "z", step, layer, sample, j },
      { kind: "a", step, layer, sample, j },
    ]).flat(),
  );
  const batch = problem.data.inputs.length;
  const loss: Quantity[] = [...(batch > 1 ? range(batch).map((sample): Quantity => ({ kind: "sampleLoss", step, sample })) : []), { kind: "loss", step }];
  return { forward: layers, loss };
}

/** Every computed quantity of every step, and of the final forward pass, in the order they are computed. */
export function solutionOrder(problem: Problem): { steps: StepQuantities[]; final?: ReturnType<typeof forwardOf> & { step: number } } {
  const count = problem.training.steps;
  const last = problem.network.layers.length - 1;
  const steps = range(Math.max(count, 1)).map((step): StepQuantities => ({
    step,
    ...forwardOf(problem, step),
    backward: range(last + 1)
      .reverse()
      .map((layer) => ({
        layer,
        quantities: [
          ...neurons(problem, layer, (sample, j): Quantity => ({ kind: "da", step, layer, sample, j })),
          ...neurons(problem, layer, (sample, j): Quantity => ({ kind: "dz", step, layer, sample, j })),
          ...parameters(problem, step, layer, { w: "dw", b: "db" }),
        ],
      })),
    inputGradients: problem.report.inputGradients
      ? range(problem.data.inputs.length).flatMap((sample) => range(problem.network.inputs).map((i): Quantity => ({ kind: "dx", step, sample, i })))
      : [],
    updates: count === 0 ? [] : problem.network.layers.map((_, layer) => parameters(problem, step + 1, layer, { w: "w", b: "b" })),
  }));
  return count === 0 ? { steps } : { steps, final: { step: count, ...forwardOf(problem, count) } };
}

/** The values a problem gives: inputs, targets, the learning rate and the initial parameters. */
export function givenQuantities(problem: Problem): Quantity[] {
  const batch = range(problem.data.inputs.length);
  return [
    ...batch.flatMap((sample) => range(problem.network.inputs).map((i): Quantity => ({ kind: "x", sample, i }))),
    ...batch.flatMap((sample) => range(problem.network.layers.at(-1)!.units).map((j): Quantity => ({ kind: "t", sample, j }))),
    ...(problem.training.learningRate === undefined ? [] : [{ kind: "eta" } as const]),
    ...problem.network.layers.flatMap((_, layer) => parameters(problem, 0, layer, { w: "w", b: "b" })),
  ];
}

/** Every computed quantity, flat, in order. */
export function computedQuantities(problem: Problem): Quantity[] {
  const { steps, final } = solutionOrder(problem);
  return [
    ...steps.flatMap((s) => [...s.forward.flat(), ...s.loss, ...s.backward.flatMap((b) => b.quantities), ...s.inputGradients, ...s.updates.flat()]),
    ...(final ? [...final.forward.flat(), ...final.loss] : []),
  ];
}
