import { describe, expect, test } from "vitest";
import { exampleNames, loadExample } from "../problem/examples.js";
import { parseProblem } from "../problem/parse.js";
import { NumericError } from "./numeric-error.js";
import { solve } from "./solve.js";

function numbers(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (value === null || typeof value !== "object") return [];
  return Object.values(value).flatMap(numbers);
}

describe("the float32 path runs the same engine", () => {
  for (const name of exampleNames()) {
    test(`${name}: float32 agrees with float64 to float32 precision`, () => {
      const problem = loadExample(name);
      const exact = numbers(solve(problem));
      const single = numbers(solve(problem, { dtype: "float32" }));
      expect(single.length).toBe(exact.length);
      single.forEach((v, i) => expect(Math.abs(v - exact[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(exact[i]!))));
      // And it really is float32: every stored value is a float32 (losses are summed in float64).
      const { steps } = solve(problem, { dtype: "float32" });
      const stored = numbers(steps.map(({ forward, backward, updated }) => ({ forward, backward, updated })));
      expect(stored.filter((v) => Math.fround(v) !== v)).toEqual([]);
    });
  }
});

const tiny = {
  network: { inputs: 1, layers: [{ units: 1, activation: "identity", weights: 1e200, bias: false }] },
  loss: { type: "half_squared_error" },
  data: { inputs: [[1e200]], targets: [[0]] },
  training: { learningRate: 0.1, steps: 2 },
};

describe("trace shape", () => {
  test("0 steps: one step without updated, and no final", () => {
    const trace = solve(
      parseProblem({
        ...tiny,
        network: { ...tiny.network, layers: [{ ...tiny.network.layers[0], weights: 2 }] },
        data: { inputs: [[3]], targets: [[1]] },
        training: { steps: 0 },
      }),
    );
    expect(trace.steps).toHaveLength(1);
    expect(trace.steps[0]).not.toHaveProperty("updated");
    expect(trace).not.toHaveProperty("final");
    expect(trace.steps[0]).not.toHaveProperty("inputGradients");
    expect(trace.steps[0]!.backward[0]!.bias).toBeNull();
    expect(trace.steps[0]!.loss).toBe(12.5);
  });

  test("a scalar bias is written as an array, a shared bias as a number", () => {
    const problem = parseProblem({
      ...tiny,
      network: {
        inputs: 1,
        layers: [
          { units: 2, activation: "tanh", weights: 0.5, bias: 0.25 },
          { units: 1, activation: "identity", weights: [[1, -1]], sharedBias: 0.1 },
        ],
      },
      data: { inputs: [[1], [2]], targets: [[1], [0]] },
      training: { learningRate: 0.1, steps: 1 },
    });
    const step = solve(problem).steps[0]!;
    expect(step.updated![0]!.bias).toHaveLength(2);
    expect(typeof step.backward[1]!.bias).toBe("number");
    // A shared bias's gradient sums dz over the layer's neurons and the batch.
    expect(step.backward[1]!.bias).toBeCloseTo(
      step.backward[1]!.dz.flat().reduce((s, v) => s + v, 0),
      15,
    );
  });
});

describe("non-finite values stop the solver with their place", () => {
  test("an overflow names the step, path, layer, sample and neuron", () => {
    const run = () => solve(parseProblem(tiny));
    expect(run).toThrow(NumericError);
    expect(run).toThrow(/^steps\[0\]\.forward\[0\]\.z\[0\]\[0\] is Infinity at step 0 \(layer 0, sample 0, neuron 0\); the learning rate/);
  });
});
