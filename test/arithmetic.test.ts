import { describe, expect, test } from "vitest";
import { buildSolution, type Solution } from "../src/explain/solution.js";
import type { Derivation } from "../src/explain/derive.js";
import { pathOf } from "../src/explain/quantity.js";
import { formatPath, parseProblem, solve, type Problem } from "../src/index.js";
import { derivationLines } from "../src/render/derivation.js";
import { renderSolutionText } from "../src/render/solution-text.js";
import { EXAMPLES_DIR, readCases } from "./cases.js";
import { evaluateExpression, evaluateNode, evaluateWithError, parseExpression, softmaxExponents, tryParseExpression } from "./expression.js";

/**
 * "The printed arithmetic is consistent with what was computed": every
 * derivation of the text report prints a line with the numbers substituted
 * (0.15·0.05 + 0.2·0.1 + 0.35) and then the value. Parsing that line with an
 * evaluator of our own (test/expression.ts) and evaluating it must give the
 * value in the trace within a relative 1e-9: numbers are shown with 12
 * decimals, so rounding them moves the result by far less than that.
 *
 * The one exception is cancellation: z = 1·0.4256 − 1·0.4256 + 0 prints 0
 * operands that agree to every digit while the trace holds −5.6e−17 (float64
 * summed in another order). There no relative tolerance can hold, and the
 * allowance is instead the first-order bound on what rounding the printed
 * operands to 12 decimals can move the result (evaluateWithError: ±5e−13 per
 * operand, carried through each operation), a few times 1e−13 here.
 */
const DECIMALS = 12;
const OPTIONS = { dialect: "text", decimals: DECIMALS } as const;
const RELATIVE = 1e-9;
/** The value line is one number rounded to 12 decimals (or 11 significant digits in e-notation). */
const PRINTED_VALUE = 1e-11;
/** e^x overflows float64 above about 709.78; the report prints such softmax terms as they are written (e^1000). */
const EXP_OVERFLOW = 700;

function close(got: number, want: number, relative: number): boolean {
  if (got === want) return true;
  return Math.abs(got - want) <= relative * Math.max(Math.abs(want), Math.abs(got));
}

interface Checked {
  /** Derivations whose printed arithmetic was evaluated. */
  readonly checked: number;
  /** Softmax derivations skipped because a printed exponent overflows float64. */
  readonly overflowing: number;
  readonly problems: string[];
}

function where(solution: Solution, d: Derivation): string {
  return formatPath(pathOf(solution.problem, d.quantity));
}

/** Checks every derivation of a solution; returns what went wrong, one line each. */
function checkSolution(solution: Solution): Checked {
  const problems: string[] = [];
  let checked = 0;
  let overflowing = 0;
  for (const block of solution.blocks) {
    if (block.kind !== "derivation") continue;
    const d = block.derivation;
    const { lhs, rhs } = derivationLines(solution, d, OPTIONS);
    const at = `${where(solution, d)} (${lhs})`;
    const printedValue = rhs.at(-1)!;

    // The last entry is the value, as one number.
    const valueNode = tryParseExpression(printedValue);
    if (valueNode?.kind !== "number" && !(valueNode?.kind === "negate" && valueNode.arg.kind === "number")) {
      problems.push(`${at}: the printed value "${printedValue}" is not a number`);
      continue;
    }
    const shown = evaluateNode(valueNode);
    if (!close(shown, d.value, PRINTED_VALUE) && Math.abs(shown - d.value) > PRINTED_VALUE) {
      problems.push(`${at}: the printed value ${printedValue} is not ${d.value}`);
    }

    // The line with numbers is the first that is pure arithmetic: the chain rule and the
    // formula with names hold names. It is the one before the value, or the value itself
    // when the two print alike (a = z for identity, ∂L/∂z = ∂L/∂a·1) and were merged.
    const index = rhs.findIndex((line) => tryParseExpression(line) !== undefined);
    if (index !== rhs.length - 2 && index !== rhs.length - 1) {
      problems.push(`${at}: expected the line with numbers just before the value, found it at ${index} of ${JSON.stringify(rhs)}`);
      continue;
    }
    const line = rhs[index]!;
    const node = parseExpression(line);
    if (softmaxExponents(node).some((x) => x > EXP_OVERFLOW)) {
      // e^1000 is Infinity in float64 (the solver max-shifts; the page shows the textbook form),
      // so Infinity/Infinity cannot be checked here. The value line was checked above.
      overflowing++;
      continue;
    }
    const { value: got, error } = evaluateWithError(node, DECIMALS);
    if (!close(got, d.value, RELATIVE) && !(Math.abs(got - d.value) <= error)) {
      problems.push(
        `${at}: "${line}" evaluates to ${got}, the trace has ${d.value} (relative error ${Math.abs(got - d.value) / Math.abs(d.value)}, rounding bound ${error})`,
      );
    }
    checked++;
  }
  return { checked, overflowing, problems };
}

function solutionOf(problem: Problem): Solution {
  return buildSolution(problem, solve(problem));
}

function derivationCount(solution: Solution): number {
  return solution.blocks.filter((b) => b.kind === "derivation").length;
}

describe("the expression evaluator", () => {
  test.each([
    ["0.15·0.05 + 0.2·0.1 + 0.35", 0.15 * 0.05 + 0.2 * 0.1 + 0.35],
    ["−0.116·0.75·(1 − 0.75)", -0.116 * 0.75 * (1 - 0.75)],
    ["½·(0.75 − 0.01)²", 0.5 * (0.75 - 0.01) ** 2],
    ["(1/2)·((0.7 − 0.01)·0.5 + (0.7 − 0.99)·(−0.6))", 0.5 * ((0.7 - 0.01) * 0.5 + (0.7 - 0.99) * -0.6)],
    ["1 − 0.3³", 1 - 0.3 ** 3],
    ["−(0.3 + 0.2)", -0.5],
    ["−0.5²", -0.25],
    ["1.5e−7 + 2e+3 − 1e-2", 1.5e-7 + 2e3 - 1e-2],
    ["σ(0.3775)", 1 / (1 + Math.exp(-0.3775))],
    ["tanh(−0.5) + ReLU(−2) + ReLU(3) + log(2) + exp(1)", Math.tanh(-0.5) + 3 + Math.log(2) + Math.E],
    ["e^2/(e^2 + e^(−1) + e^0)", Math.exp(2) / (Math.exp(2) + Math.exp(-1) + 1)],
    ["e^1.5e−7/(e^1.5e−7 + e^(−2))", Math.exp(1.5e-7) / (Math.exp(1.5e-7) + Math.exp(-2))],
    ["8/4/2", 1],
    ["5 − 2 − 1", 2],
    ["−1·log(0.25)", -Math.log(0.25)],
  ])("%s", (text, want) => {
    expect(evaluateExpression(text)).toBeCloseTo(want, 14);
  });

  test.each(["w₁·0.5", "∂E/∂aₒ[1]·0.3", "0.5 +", "(0.5", "ReLU′(0.3)", "0.5 0.5", "σ0.5", "e^x"])("%s is not arithmetic", (text) => {
    expect(tryParseExpression(text)).toBeUndefined();
  });

  test("the rounding bound covers literals moved by half a unit in their last place", () => {
    const printed = "0.15·0.05 + 0.2·0.1 − 1.5e−7";
    const { value, error } = evaluateWithError(parseExpression(printed), 12);
    expect(value).toBeCloseTo(0.0275 - 1.5e-7, 15);
    const moved = (0.15 + 5e-13) * (0.05 + 5e-13) + (0.2 + 5e-13) * (0.1 + 5e-13) - (1.5e-7 - 5e-9);
    expect(Math.abs(moved - value)).toBeLessThanOrEqual(error);
    expect(error).toBeLessThan(1e-8);
    expect(evaluateWithError(parseExpression("1·0.425557483188 − 1·0.425557483188 + 0"), 12).error).toBeLessThan(1e-11);
  });

  test("the exponents of e^x are collected", () => {
    expect(softmaxExponents(parseExpression("e^1000/(e^1000 + e^(−1000) + e^0)"))).toEqual([1000, 1000, -1000, 0]);
  });
});

describe("built-in cases: every derivation's numbers compute its value", () => {
  for (const c of readCases(EXAMPLES_DIR)) {
    test(c.name, () => {
      const solution = solutionOf(parseProblem(c.json));
      const { checked, overflowing, problems } = checkSolution(solution);
      expect(problems).toEqual([]);
      expect(overflowing).toBe(0);
      expect(checked).toBeGreaterThan(0);
      expect(checked).toBe(derivationCount(solution));
    });
  }
});

/** Extra problems, so that every kind of formula the deriver writes is printed and checked at least once. */
const EXTRA: Readonly<Record<string, { problem: object; overflowing?: number }>> = {
  "tanh hidden layer, identity output without bias, mse, batch of 3, input gradients, 2 steps": {
    problem: {
      network: {
        inputs: 2,
        layers: [
          {
            units: 3,
            activation: "tanh",
            weights: [
              [0.5, -0.25],
              [0.1, 0.9],
              [-0.7, 0.3],
            ],
            bias: [0.1, -0.2, 0.05],
          },
          {
            units: 2,
            activation: "identity",
            weights: [
              [0.3, -0.6, 0.8],
              [1.1, 0.4, -0.5],
            ],
            bias: false,
          },
        ],
      },
      loss: { type: "mse", reduction: "mean" },
      data: {
        inputs: [
          [1, 2],
          [-0.5, 0.25],
          [3, -1],
        ],
        targets: [
          [0.5, -1],
          [0, 0.25],
          [1, 1],
        ],
      },
      training: { optimizer: "sgd", learningRate: 0.1, steps: 2 },
      report: ["inputGradients"],
    },
  },
  "relu hidden layer with a shared bias and a neuron at exactly z = 0, sum reduction, 2 steps": {
    problem: {
      network: {
        inputs: 2,
        layers: [
          {
            units: 2,
            activation: "relu",
            weights: [
              [1, -1],
              [0.5, 0.25],
            ],
            sharedBias: 0,
          },
          {
            units: 2,
            activation: "relu",
            weights: [
              [0.5, -0.5],
              [1, 1],
            ],
            bias: 0.1,
          },
          { units: 1, activation: "identity", weights: [[2, -1]], bias: -0.5 },
        ],
      },
      loss: { type: "half_squared_error", reduction: "sum" },
      // The first sample puts neuron 1 of layer 1 at z = 0 exactly, where ReLU′ = 0.
      data: {
        inputs: [
          [1, 1],
          [2, -1],
        ],
        targets: [[1], [-0.5]],
      },
      training: { optimizer: "sgd", learningRate: 0.05, steps: 2 },
      report: ["inputGradients"],
    },
  },
  "softmax with cross-entropy: one-hot, probability and non-normalised targets, mean over a batch of 3": {
    problem: {
      network: {
        inputs: 2,
        layers: [
          {
            units: 2,
            activation: "sigmoid",
            weights: [
              [0.2, -0.4],
              [0.7, 0.1],
            ],
            sharedBias: 0.3,
          },
          {
            units: 3,
            activation: "softmax",
            weights: [
              [1, -1],
              [0.5, 0.5],
              [-0.3, 2],
            ],
            bias: [0, 0.1, -0.1],
          },
        ],
      },
      loss: { type: "cross_entropy", reduction: "mean" },
      // One-hot, a distribution, and targets summing to 1.5 (∂L/∂z = a·Σt − t).
      data: {
        inputs: [
          [1, 0],
          [0.5, -2],
          [-1, 1],
        ],
        targets: [
          [0, 1, 0],
          [0.2, 0.5, 0.3],
          [0.5, 0, 1],
        ],
      },
      training: { optimizer: "sgd", learningRate: 0.5, steps: 1 },
      report: ["inputGradients"],
    },
  },
  "softmax with cross-entropy at logits of ±1000": {
    problem: {
      network: { inputs: 1, layers: [{ units: 3, activation: "softmax", weights: [[1000], [-1000], [0]], bias: false }] },
      loss: { type: "cross_entropy", reduction: "mean" },
      // Each target sits on the largest logit. A target on an output whose softmax underflows to 0
      // would print its loss as −1·log(0) = 2000 and its ∂L/∂a as −1/0: the trace is right (the
      // loss is computed from the logits) but that printed arithmetic does not compute it.
      data: {
        inputs: [[1], [-1]],
        targets: [
          [1, 0, 0],
          [0, 1, 0],
        ],
      },
      training: { optimizer: "sgd", learningRate: 0.001, steps: 1 },
    },
    // The softmax of every neuron of every sample, before and after the step: 3 · 2 · 2.
    overflowing: 12,
  },
  "sigmoid with binary cross-entropy: targets 0, 1 and in between, a saturated hidden neuron": {
    problem: {
      network: {
        inputs: 2,
        layers: [
          // The second hidden neuron's z is −35: its σ(z) ≈ 6e−16 prints in e-notation.
          {
            units: 2,
            activation: "sigmoid",
            weights: [
              [0.5, -0.5],
              [-20, -15],
            ],
            bias: [0, 0],
          },
          {
            units: 2,
            activation: "sigmoid",
            weights: [
              [1.5, -2],
              [0.25, 3],
            ],
            sharedBias: -0.1,
          },
        ],
      },
      loss: { type: "binary_cross_entropy", reduction: "mean" },
      data: {
        inputs: [
          [1, 1],
          [0.2, -0.4],
        ],
        targets: [
          [1, 0],
          [0.3, 0.7],
        ],
      },
      training: { optimizer: "sgd", learningRate: 0.2, steps: 1 },
      report: ["inputGradients"],
    },
  },
  "one sample, no update (steps 0), identity everywhere, sum reduction": {
    problem: {
      network: { inputs: 1, layers: [{ units: 1, activation: "identity", weights: 2, bias: false }] },
      loss: { type: "mse", reduction: "sum" },
      data: { inputs: [[3]], targets: [[1]] },
      training: { optimizer: "sgd", steps: 0 },
      report: ["inputGradients"],
    },
  },
};

describe("extra problems: every derivation's numbers compute its value", () => {
  for (const [name, { problem, overflowing = 0 }] of Object.entries(EXTRA)) {
    test(name, () => {
      const solution = solutionOf(parseProblem(problem));
      const result = checkSolution(solution);
      expect(result.problems).toEqual([]);
      expect(result.overflowing).toBe(overflowing);
      expect(result.checked).toBeGreaterThan(0);
      expect(result.checked + result.overflowing).toBe(derivationCount(solution));
    });
  }

  test("the extra problems print every kind of formula", () => {
    const text = Object.values(EXTRA)
      .map(({ problem }) => renderSolutionText(solutionOf(parseProblem(problem)), { color: false, width: 10_000, decimals: DECIMALS }))
      .join("\n");
    for (const piece of ["tanh(", "σ(", "ReLU(", "ReLU′(", "log(", "e^", "²", "½", "/3", "·(1 − ", "1 − ", "e−", "←", "∂L/∂x"]) {
      expect(text, piece).toContain(piece);
    }
  });
});
