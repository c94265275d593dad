import ExcelJS from "exceljs";
import { HyperFormula } from "hyperformula";
import { describe, expect, test } from "vitest";
import { Deriver } from "../src/explain/derive.js";
import { computedQuantities, givenQuantities } from "../src/explain/order.js";
import { pathOf, Values } from "../src/explain/quantity.js";
import { formatPath, lookup, parsePath, parseProblem, solve, withinTolerance, type Problem, type Trace } from "../src/index.js";
import { XLSX_COLUMNS, renderXlsx } from "../src/render/xlsx.js";
import { spreadsheetFormula } from "../src/render/spreadsheet-formula.js";
import { div, fn, mul, neg, num, pow, ref, slope, sub, sum, type Expr } from "../src/explain/expr.js";
import { EXAMPLES_DIR, readCases } from "./cases.js";

/**
 * The spreadsheet is checked by an independent engine: the .xlsx is read
 * back with exceljs, its value column loaded into HyperFormula, and what
 * HyperFormula computes from the formulas is compared with gradstep's trace.
 */

/** A row of the sheet that holds a quantity: its trace path, and its value cell as stored in the file. */
interface ValueRow {
  readonly path: string;
  /** 0-based, as HyperFormula counts. */
  readonly row: number;
  readonly formula?: string;
  readonly cached?: unknown;
  readonly constant?: number;
}

async function readSheet(buffer: Uint8Array): Promise<ValueRow[]> {
  const workbook = new ExcelJS.Workbook();
  // exceljs types its input as an ArrayBuffer; a copy of the bytes is one.
  await workbook.xlsx.load(new Uint8Array(buffer).buffer);
  const sheet = workbook.worksheets[0]!;
  const rows: ValueRow[] = [];
  sheet.eachRow((line, n) => {
    const path = line.getCell(XLSX_COLUMNS.path).value;
    // Rows without a path are titles, notes and headings; the column header row names the columns.
    if (typeof path !== "string" || line.getCell(1).value === "name") return;
    const cell = line.getCell(XLSX_COLUMNS.value);
    const value = cell.value;
    if (typeof value === "number") rows.push({ path, row: n - 1, constant: value });
    // cell.result, not value.result: exceljs's value getter drops a cached result of 0.
    else if (cell.type === ExcelJS.ValueType.Formula) rows.push({ path, row: n - 1, formula: cell.formula, cached: cell.result });
    else throw new TypeError(`row ${n} (${path}) holds neither a number nor a formula: ${JSON.stringify(value)}`);
  });
  return rows;
}

const VALUE_COL = XLSX_COLUMNS.value - 1;

/** HyperFormula over the value column only, computing in plain float64 (no display rounding, no snapping to 0). */
function engineOf(rows: readonly ValueRow[]): HyperFormula {
  const height = Math.max(...rows.map((r) => r.row)) + 1;
  const cells: (string | number | null)[][] = Array.from({ length: height }, () => Array.from({ length: VALUE_COL + 1 }, () => null));
  for (const r of rows) cells[r.row]![VALUE_COL] = r.formula === undefined ? r.constant! : `=${r.formula}`;
  return HyperFormula.buildFromArray(cells, { licenseKey: "gpl-v3", smartRounding: false });
}

const valueAt = (hf: HyperFormula, row: number): unknown => hf.getCellValue({ sheet: 0, row, col: VALUE_COL });
const isTracePath = (path: string) => /^(steps|final)\b/.test(path);

function traceValue(trace: Trace, path: string): number {
  const { found, value } = lookup(trace, parsePath(path)!);
  if (!found || typeof value !== "number") throw new RangeError(`trace has no number at ${path}`);
  return value;
}

/** Every computed cell whose HyperFormula value is not the trace's value, one message each. */
function disagreements(hf: HyperFormula, rows: readonly ValueRow[], trace: Trace): string[] {
  return rows
    .filter((r) => isTracePath(r.path))
    .flatMap((r) => {
      const got = valueAt(hf, r.row), want = traceValue(trace, r.path);
      return typeof got === "number" && withinTolerance(got, want) ? [] : [`${r.path}: sheet ${String(got)} (=${r.formula ?? ""}), trace ${want}`];
    });
}

/** The loss of the last forward pass: the final one, or step 0's when there is no update. */
const lastLossPath = (trace: Trace) => (trace.final ? "final.loss" : `steps[${trace.steps.length - 1}].loss`);

async function checkSheet(problem: Problem) {
  const trace = solve(problem);
  const rows = await readSheet(await renderXlsx(problem, trace));
  const paths = (qs: ReturnType<typeof givenQuantities>) => qs.map((q) => formatPath(pathOf(problem, q)));

  // Exactly the given quantities as numbers, exactly the computed ones as formulas over other cells.
  const givenQs = givenQuantities(problem), computedQs = computedQuantities(problem);
  const given = rows.filter((r) => !isTracePath(r.path)), computed = rows.filter((r) => isTracePath(r.path));
  expect(given.map((r) => r.path)).toEqual(paths(givenQs));
  expect(computed.map((r) => r.path)).toEqual(paths(computedQs));
  const values = new Values(problem, trace);
  givenQs.forEach((q, i) => expect(given[i]!.constant, given[i]!.path).toBe(values.of(q)));
  const deriver = new Deriver(problem, trace);
  const notLive = computed.flatMap((r, i) => {
    // A formula over other cells, except where the derivation itself is a constant (∂L/∂a = 0 where a cross-entropy target is 0).
    const constant = !JSON.stringify(deriver.derive(computedQs[i]!)!.formula).includes('"kind":"ref"');
    const live = r.formula !== undefined && /\bB\d+\b/.test(r.formula) !== constant;
    // The cached result, for viewers that do not recalculate, is the traced value (-0 is written as 0).
    const cached = r.cached === traceValue(trace, r.path);
    return live && cached ? [] : [`${r.path}: formula ${r.formula ?? "(none)"}, cached ${String(r.cached)}`];
  });
  expect(notLive).toEqual([]);

  const hf = engineOf(rows);
  expect(disagreements(hf, rows, trace)).toEqual([]);
  return { trace, rows, hf };
}

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
        { units: 2, activation: "tanh", weights: [[3, -0.5], [0.8, 4]], bias: [0.1, -0.1] },
        { units: 3, activation: "softmax", weights: [[1000, 0], [-1000, 0], [0, 1]], bias: false },
      ],
    },
    loss: { type: "cross_entropy", reduction: "mean" },
    data: { inputs: [[1, 0.5], [-1, 0.2]], targets: [[1, 0, 0], [0, 1, 0]] },
    training: { optimizer: "sgd", learningRate: 0.001, steps: 2 },
    report: ["inputGradients"],
  },
  "saturated sigmoids into binary cross-entropy, summed": {
    network: {
      inputs: 1,
      layers: [
        { units: 2, activation: "sigmoid", weights: [[900], [-900]], sharedBias: 0 },
        { units: 2, activation: "sigmoid", weights: [[0.5, -0.25], [-1, 0.75]], bias: [0.1, 0.2] },
      ],
    },
    loss: { type: "binary_cross_entropy", reduction: "sum" },
    data: { inputs: [[1], [-1]], targets: [[1, 0.3], [0, 1]] },
    training: { optimizer: "sgd", learningRate: 0.1, steps: 2 },
  },
  "ReLU at exactly 0 into mean squared error": {
    network: {
      inputs: 2,
      layers: [
        { units: 2, activation: "relu", weights: [[1, -1], [0.5, 0.5]], bias: 0 },
        { units: 2, activation: "identity", weights: [[1, 2], [-1, 0.5]], sharedBias: 0.25 },
      ],
    },
    loss: { type: "mse", reduction: "mean" },
    data: { inputs: [[1, 1], [2, -1]], targets: [[0.5, -0.5], [1, 2]] },
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
  const x = { kind: "x", sample: 0, i: 0 } as const, t = { kind: "t", sample: 0, j: 0 } as const, eta = { kind: "eta" } as const;
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
    const hf = HyperFormula.buildFromArray([[null, -3], [null, -2], [null, 0.1], ...cases.map(([e]) => [`=${write(e)}`])], { licenseKey: "gpl-v3", smartRounding: false });
    cases.forEach(([e, want], i) => expect(hf.getCellValue({ sheet: 0, row: 3 + i, col: 0 }), write(e)).toBe(want));
  });
});
