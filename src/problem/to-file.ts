import type { Problem } from "./problem.js";
import type { ProblemFile } from "./schema.js";

type FileLayer = ProblemFile["network"]["layers"][number];

/**
 * A validated problem written back as a problem file: weights as full
 * matrices, biases in the form the file states them (`bias: [..]`,
 * `sharedBias`, `bias: false`), defaults written out. Parsing the result
 * gives the same problem again.
 *
 * @example
 * const text = JSON.stringify(problemFile(parseProblem(yamlText)), null, 2);
 */
export function problemFile(problem: Problem): ProblemFile {
  const { network, loss, data, training, report, notation, title } = problem;
  const layers = network.layers.map((layer): FileLayer => {
    const base = { units: layer.units, activation: layer.activation, weights: layer.weights.map((row) => [...row]) };
    switch (layer.bias.mode) {
      case "perNeuron":
        return { ...base, bias: [...layer.bias.values] };
      case "shared":
        return { ...base, sharedBias: layer.bias.value };
      case "none":
        return { ...base, bias: false };
    }
  });
  return {
    ...(title === undefined ? {} : { title }),
    network: { inputs: network.inputs, layers },
    loss: { type: loss.type, reduction: loss.reduction },
    data: { inputs: data.inputs.map((row) => [...row]), targets: data.targets.map((row) => [...row]) },
    training: {
      optimizer: training.optimizer,
      ...(training.learningRate === undefined ? {} : { learningRate: training.learningRate }),
      steps: training.steps,
    },
    ...(report.inputGradients ? { report: ["inputGradients"] } : {}),
    ...(notation ? { notation: structuredClone(notation) as NonNullable<ProblemFile["notation"]> } : {}),
  };
}
