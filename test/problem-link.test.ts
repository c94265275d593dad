import { describe, expect, test } from "vitest";
import { exampleNames, loadExample, readExample } from "../src/problem/examples.js";
import { InputError } from "../src/input-error.js";
import { problemFragment, readProblemFragment } from "../src/problem/link.js";
import { parseProblem } from "../src/problem/parse.js";
import { problemFile } from "../src/problem/to-file.js";
import { matchTrace } from "../src/solve/match.js";
import { solve } from "../src/solve/solve.js";

describe("problemFile: a validated problem written back as a problem file", () => {
  for (const name of exampleNames()) {
    test(`${name}: parsing it gives the same problem, and the same trace as the file's expect`, () => {
      const problem = loadExample(name);
      const again = parseProblem(problemFile(problem));
      expect(again).toEqual(problem);
      expect(matchTrace(solve(again), readExample(name).file.expect)).toEqual([]);
    });
  }

  test("writes each bias form the way the format states it", () => {
    const problem = parseProblem({
      network: {
        inputs: 1,
        layers: [
          { units: 2, activation: "relu", weights: 0.5, bias: 0.1 },
          {
            units: 2,
            activation: "tanh",
            weights: [
              [1, 2],
              [3, 4],
            ],
            sharedBias: -1,
          },
          { units: 1, activation: "identity", weights: [[1, 1]], bias: false },
        ],
      },
      loss: { type: "mse" },
      data: { inputs: [[1]], targets: [[0]] },
      training: { steps: 0 },
    });
    const layers = problemFile(problem).network.layers;
    expect(layers[0]).toEqual({ units: 2, activation: "relu", weights: [[0.5], [0.5]], bias: [0.1, 0.1] });
    expect(layers[1]).toMatchObject({ sharedBias: -1 });
    expect(layers[2]).toMatchObject({ bias: false });
    expect(problemFile(problem).training).toEqual({ optimizer: "sgd", steps: 0 });
  });
});

describe("problem links: #problem= and base64url JSON", () => {
  test("a fragment holds a problem exactly, Unicode names included", () => {
    const problem = loadExample("seed-004-sigmoid-3-2-2-shared-bias");
    const fragment = problemFragment(problemFile(problem));
    expect(fragment).toMatch(/^problem=[A-Za-z0-9_-]+$/);
    expect(parseProblem(readProblemFragment(`#${fragment}`)!)).toEqual(problem);
    expect(problem.title).toContain("案例");
  });

  test("no problem in the fragment is undefined; a damaged one is an input error", () => {
    expect(readProblemFragment("#view=train")).toBeUndefined();
    expect(readProblemFragment("")).toBeUndefined();
    const fragment = problemFragment({ network: {} });
    expect(() => readProblemFragment(fragment.slice(0, -5))).toThrow(InputError);
    expect(() => readProblemFragment(`#${problemFragment([1, 2])}`)).toThrow(/expected the link's #problem= to hold a problem file/);
  });
});
