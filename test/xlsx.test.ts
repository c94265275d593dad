import { HyperFormula } from "hyperformula";
import { describe, expect, test } from "vitest";
import { lookup, parsePath, parseProblem, solve, type Problem } from "../src/index.js";
import { spreadsheetFormula } from "../src/render/spreadsheet-formula.js";
import { div, fn, mul, neg, num, pow, ref, slope, sub, sum, type Expr } from "../src/explain/expr.js";
import { checkSheet, disagreements, lastLossPath, traceValue, valueAt, VALUE_COL } from "./xlsx-oracle.js";
import { EXAMPLES_DIR, readCases } from "./cases.js";

/**
 * The spreadsheet is checked by an independent engine: the .xlsx is read
 * back with exceljs, its value column loaded into HyperFormula, and what
 * HyperFormula computes from the formulas is compared with gradstep's trace.
 */

describe("every computed cell is a formula that HyperFormula evaluates to the trace", () => {
  for (const c of readCases(EXAMPLES_DIR)) {
    test(c.name, async () => {
      await checkSheet(parseProblem(c.json));
    });
  }
});

/**
 * The problem file with the given value at `path` changed, parsed again, so
 * the expected values come from solve() and not from the sheet. A weight
 * matrix the file writes as one number is written out in full first.
 */
function modified(file: Record<string, unknown>, problem: Problem, path: string, value: number): Problem {
  const copy = structuredClone(file) as { network: { layers: Record<string, unknown>[] } };
  const layers = problem.network.layers;
  layers.forEach((layer, k) => (copy.network.layers[k]!.weights = layer.weights.map((r) => [...r])));
  const segments = parsePath(path)!;
  const parent = lookup(copy, segments.slice(0, -1)).value as Record<string | number, unknown>;
  parent[segments.at(-1)!] = value;
  return parseProblem(copy);
}

/** Given cells a student might edit, and the new value of each. */
const EDITS: readonly { readonly path: string; readonly change: (old: number) => number }[] = [
  { path: "network.layers[0].weights[0][0]", change: (w) => w + 0.25 },
  { path: "training.learningRate", change: (eta) => eta * 3 },
  { path: "data.targets[0][0]", change: (t) => t - 0.5 },
  { path: "data.inputs[0][0]", change: (x) => x + 0.5 },
];

describe("editing a given cell recomputes every later value, step after step", () => {
  for (const c of readCases(EXAMPLES_DIR)) {
    for (const edit of EDITS) {
      // An exercise of 0 steps has no learning rate to edit.
      const hasRate = parseProblem(c.json).training.learningRate !== undefined;
      if (edit.path === "training.learningRate" && !hasRate) continue;
      test(`${c.name}: ${edit.path}`, async () => {
        const problem = parseProblem(c.json);
        const { trace, rows, hf } = await checkSheet(problem);
        const cell = rows.find((r) => r.path === edit.path)!;
        const changed = edit.change(cell.constant!);
        hf.setCellContents({ sheet: 0, row: cell.row, col: VALUE_COL }, changed);

        const expected = solve(modified(c.json, problem, edit.path, changed));
        expect(disagreements(hf, rows, expected)).toEqual([]);
        // The edit must reach the last loss, or the comparison above proves nothing.
        const loss = rows.find((r) => r.path === lastLossPath(trace))!;
        expect(valueAt(hf, loss.row)).not.toBe(traceValue(trace, loss.path));
      });
    }
  }
});

/** Activations, losses and numerics no built-in example covers. */
const COVERAGE: Record<string, Record<string, unknown>> = {
  "tanh into softmax with cross-entropy, logits near ±1000": {
    network: {
      inputs: 2,
      layers: [
        {
          units: 2,
          activation: "tanh",
          weights: [
            [3, -0.5],
            [0.8, 4],
          ],
          bias: [0.1, -0.1],
        },
        {
          units: 3,
          activation: "softmax",
          weights: [
            [1000, 0],
            [-1000, 0],
            [0, 1],
          ],
          bias: false,
        },
      ],
    },
    loss: { type: "cross_entropy", reduction: "mean" },
    data: {
      inputs: [
        [1, 0.5],
        [-1, 0.2],
      ],
      targets: [
        [1, 0, 0],
        [0, 1, 0],
      ],
    },
    training: { optimizer: "sgd", learningRate: 0.001, steps: 2 },
    report: ["inputGradients"],
  },
  "saturated sigmoids into binary cross-entropy, summed": {
    network: {
      inputs: 1,
      layers: [
        { units: 2, activation: "sigmoid", weights: [[900], [-900]], sharedBias: 0 },
        {
          units: 2,
          activation: "sigmoid",
          weights: [
            [0.5, -0.25],
            [-1, 0.75],
          ],
          bias: [0.1, 0.2],
        },
      ],
    },
    loss: { type: "binary_cross_entropy", reduction: "sum" },
    data: {
      inputs: [[1], [-1]],
      targets: [
        [1, 0.3],
        [0, 1],
      ],
    },
    training: { optimizer: "sgd", learningRate: 0.1, steps: 2 },
  },
  "ReLU at exactly 0 into mean squared error": {
    network: {
      inputs: 2,
      layers: [
        {
          units: 2,
          activation: "relu",
          weights: [
            [1, -1],
            [0.5, 0.5],
          ],
          bias: 0,
        },
        {
          units: 2,
          activation: "identity",
          weights: [
            [1, 2],
            [-1, 0.5],
          ],
          sharedBias: 0.25,
        },
      ],
    },
    loss: { type: "mse", reduction: "mean" },
    data: {
      inputs: [
        [1, 1],
        [2, -1],
      ],
      targets: [
        [0.5, -0.5],
        [1, 2],
      ],
    },
    training: { optimizer: "sgd", learningRate: 0.05, steps: 3 },
  },
};

describe("formulas for the activations and losses beyond the examples", () => {
  for (const [name, file] of Object.entries(COVERAGE)) {
    test(name, async () => {
      await checkSheet(parseProblem(file));
    });
  }
});

describe("spreadsheetFormula", () => {
  const x = { kind: "x", sample: 0, i: 0 } as const,
    t = { kind: "t", sample: 0, j: 0 } as const,
    eta = { kind: "eta" } as const;
  const cell = (q: { kind: string }) => ({ x: "B1", t: "B2", eta: "B3" })[q.kind as "x" | "t" | "eta"];
  const write = (e: Expr) => spreadsheetFormula(e, cell);

  test("keeps the tree's grouping, and parenthesizes negation where a spreadsheet would misread it", () => {
    expect(write(sub(ref(x), sub(ref(t), ref(eta))))).toBe("B1-(B2-B3)");
    expect(write(sum([ref(x), neg(mul(ref(t), ref(eta)))]))).toBe("B1-B2*B3");
    expect(write(mul(ref(x), div(ref(t), ref(eta))))).toBe("B1*(B2/B3)");
    expect(write(div(ref(x), mul(ref(t), ref(eta))))).toBe("B1/(B2*B3)");
    expect(write(pow(neg(ref(x)), 2))).toBe("(-B1)^2");
    expect(write(neg(pow(ref(x), 2)))).toBe("-(B1^2)");
    expect(write(mul(num(0.5), pow(sub(ref(x), ref(t)), 2)))).toBe("0.5*(B1-B2)^2");
    expect(write(mul(num(-2), num(1e-7), ref(x)))).toBe("(-2)*1E-7*B1");
    expect(write(fn("log", sub(num(1), ref(x))))).toBe("LN(1-B1)");
  });

  test("evaluates in HyperFormula as evaluate() does, signs and overflow included", () => {
    // x = B1 = −3, t = B2 = −2.
    const cases: [Expr, number][] = [
      [neg(pow(ref(x), 2)), -9],
      [pow(neg(ref(x)), 2), 9],
      [sub(ref(x), neg(ref(t))), -5],
      [fn("sigmoid", mul(num(1000), ref(x))), 0],
      [fn("sigmoid", neg(mul(num(1000), ref(x)))), 1],
      [slope("relu", num(0)), 0],
      [fn("relu", ref(x)), 0],
      [{ kind: "softmax", j: 0, logits: [num(1000), mul(num(1000), ref(x)), num(-1000)] }, 1],
      [{ kind: "softmax", j: 1, logits: [num(-1000), num(-1000), mul(num(1000), ref(x))] }, 0.5],
    ];
    const hf = HyperFormula.buildFromArray([[null, -3], [null, -2], [null, 0.1], ...cases.map(([e]) => [`=${write(e)}`])], {
      licenseKey: "gpl-v3",
      smartRounding: false,
    });
    cases.forEach(([e, want], i) => expect(hf.getCellValue({ sheet: 0, row: 3 + i, col: 0 }), write(e)).toBe(want));
  });
});
