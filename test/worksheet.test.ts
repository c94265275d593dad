import { existsSync, readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { agrees, readPrinted } from "../src/check/printed.js";
import { loadWorksheetChecker, type WorksheetChecker, type WorksheetCheck } from "../src/check/worksheet/index.js";
import { loadExample, parseProblem, solve } from "../src/index.js";
import { deepProblem } from "./worksheets/deep.js";
import { LANGUAGES, writeWorksheet, type KeyEntry, type Language, type Style } from "./worksheets/generate.js";

let check: WorksheetChecker;
beforeAll(async () => {
  check = await loadWorksheetChecker();
});

function claimsOf(result: WorksheetCheck) {
  return result.items.flatMap((i) => (i.kind === "claim" ? [i.claim] : []));
}

/** Every key value found with the key's verdict; no value the key calls right marked wrong. */
function score(result: WorksheetCheck, key: readonly KeyEntry[]) {
  const claims = claimsOf(result);
  const found = key.filter((k) => claims.some((c) => c.path === k.path && c.printed === k.printed));
  const wrongVerdict = key.filter((k) => claims.some((c) => c.path === k.path && c.printed === k.printed && c.verdict !== k.verdict));
  const falseAlarms = claims.filter(
    (c) => c.verdict === "disagrees" && !key.some((k) => k.path === c.path && k.printed === c.printed && k.verdict === "disagrees"),
  );
  const missedWrong = key.filter(
    (k) => k.verdict === "disagrees" && !claims.some((c) => c.path === k.path && c.printed === k.printed && c.verdict === "disagrees"),
  );
  return { found: found.length / key.length, wrongVerdict, falseAlarms, missedWrong };
}

const layer = (units: number, activation: string, weights: number[][], bias: unknown) => ({
  units,
  activation,
  weights,
  ...(typeof bias === "object" && bias !== null && "shared" in bias ? { sharedBias: (bias as { shared: number }).shared } : { bias }),
});
const grid = (rows: number, columns: number, seed: number) =>
  Array.from({ length: rows }, (_, j) => Array.from({ length: columns }, (_, i) => Math.round(100 * Math.sin(seed + 3 * j + 1.7 * i)) / 100));

/** Exercises over every activation, loss, reduction, bias mode, batch size and step count the format has. */
const EXERCISES: { name: string; problem: object }[] = [
  ["sigmoid", "half_squared_error", "mean", 1, 1, [0.1, 0.2]],
  ["tanh", "mse", "sum", 2, 2, { shared: 0.3 }],
  ["relu", "half_squared_error", "sum", 3, 0, false],
  ["identity", "mse", "mean", 2, 1, [0.5, -0.5]],
  ["tanh", "cross_entropy", "mean", 2, 1, 0.1],
  ["relu", "binary_cross_entropy", "sum", 1, 2, { shared: -0.2 }],
  ["sigmoid", "binary_cross_entropy", "mean", 3, 1, false],
  ["gelu", "mae", "mean", 2, 1, [0.1, 0.2]],
  ["silu", "huber", "sum", 3, 1, { shared: 0.1 }],
  ["leaky_relu", "mse", "mean", 2, 2, [0.1, -0.1]],
  ["elu", "half_squared_error", "mean", 1, 1, 0.1],
  ["softplus", "mse", "sum", 2, 1, false],
  ["gelu_tanh", "mse", "mean", 1, 1, [0.2, 0.1]],
].map(([hidden, loss, reduction, batch, steps, bias], k) => {
  const outputs = loss === "cross_entropy" ? 2 : 1;
  const last = loss === "cross_entropy" ? "softmax" : loss === "binary_cross_entropy" ? "sigmoid" : "identity";
  const inputs = grid(batch as number, 2, k + 10).map((row) => row.map((v) => Math.round(v * 10) / 10 + 1));
  const targets = Array.from({ length: batch as number }, (_, s) =>
    outputs === 2 ? (s % 2 === 0 ? [1, 0] : [0, 1]) : [loss === "binary_cross_entropy" ? s % 2 : 0.5],
  );
  return {
    name: `${hidden as string} + ${loss as string} (${reduction as string}), batch ${batch as number}, ${steps as number} steps, bias ${JSON.stringify(bias)}`,
    problem: {
      title: `Exercise ${k + 1}`,
      network: {
        inputs: 2,
        layers: [layer(2, hidden as string, grid(2, 2, k), bias), layer(outputs, last, grid(outputs, 2, k + 5), outputs === 2 ? [0.1, -0.1] : [0.1])],
      },
      loss: { type: loss, reduction },
      data: { inputs, targets },
      training: { optimizer: "sgd", learningRate: 0.1, steps },
    },
  };
});

const STYLES: Style[] = (Object.keys(LANGUAGES) as Language[]).map((language, k) => ({
  language,
  times: (["\\cdot", "\\times", "×", "*"] as const)[k]!,
  update: ([":=", "\\leftarrow", "prime", ":="] as const)[k]!,
  every: 5 + k,
  noise: k % 2 === 1,
}));

describe("worksheets written out in four languages, for every kind of exercise", () => {
  for (const exercise of EXERCISES) {
    for (const style of STYLES) {
      test(`${exercise.name}, ${style.language}`, () => {
        const problem = parseProblem(exercise.problem);
        const trace = solve(problem);
        const { text, key } = writeWorksheet(problem, trace, style);
        const started = performance.now();
        const result = check(problem, trace, text);
        expect(performance.now() - started).toBeLessThan(2000);
        const { found, wrongVerdict, falseAlarms, missedWrong } = score(result, key);
        expect({ wrongVerdict, falseAlarms, missedWrong }).toEqual({ wrongVerdict: [], falseAlarms: [], missedWrong: [] });
        expect(found).toBe(1);
      });
    }
  }
});

/** Hand-written worksheets, each with its answer key: the value at each path as written (verdicts come from the exact solution). */
interface HandKey {
  readonly problem: string;
  readonly values: readonly (readonly [string, string])[];
  /** Hand values that cannot be matched, with the reason expected: [reason, number as written]. */
  readonly unmatched: readonly (readonly [string, string])[];
  /** Results of `= arithmetic =` links that are wrong. */
  readonly arithmeticSlips: readonly string[];
}

const DIR = new URL("./worksheets/", import.meta.url);

describe("hand-written worksheets against their answer keys", () => {
  const files = readdirSync(DIR).filter((f) => /\.(md|tex|txt)$/.test(f) && existsSync(new URL(f.replace(/\.\w+$/, ".key.json"), DIR)));
  const totals = { values: 0, found: 0 };
  for (const file of files) {
    test(file, () => {
      const key = JSON.parse(readFileSync(new URL(file.replace(/\.\w+$/, ".key.json"), DIR), "utf8")) as HandKey;
      const problem = key.problem.endsWith(".json") ? parseProblem(readFileSync(new URL(key.problem, DIR), "utf8")) : loadExample(key.problem);
      const trace = solve(problem);
      const started = performance.now();
      const result = check(problem, trace, readFileSync(new URL(file, DIR), "utf8"), { format: file.endsWith(".tex") ? "latex" : "markdown" });
      expect(performance.now() - started).toBeLessThan(2000);
      const claims = claimsOf(result);
      const truth = (path: string, printed: string) => {
        const exact = result.result.solution.deriver.values.of(claims.find((c) => c.path === path)?.quantity ?? { kind: "eta" });
        return agrees(readPrinted(printed)!, exact) ? "agrees" : "disagrees";
      };
      const missing = key.values.filter(([path, printed]) => !claims.some((c) => c.path === path && c.printed === printed));
      const extra = claims.filter((c) => !key.values.some(([path, printed]) => c.path === path && c.printed === printed));
      expect({ missing, extra: extra.map((c) => [c.path, c.printed]) }).toEqual({ missing: [], extra: [] });
      for (const [path, printed] of key.values) {
        const claim = claims.find((c) => c.path === path && c.printed === printed)!;
        expect([path, printed, claim.verdict]).toEqual([path, printed, truth(path, printed)]);
      }
      const notUnderstood = result.items.flatMap((i) => (i.kind === "not-understood" ? [i] : []));
      for (const [reason, printed] of key.unmatched) expect(notUnderstood.some((i) => i.reason === reason && i.source.text.includes(printed))).toBe(true);
      const slips = result.items.flatMap((i) => (i.kind === "arithmetic" && i.verdict === "disagrees" ? [i.printed] : []));
      expect(slips.sort()).toEqual([...key.arithmeticSlips].sort());
      totals.values += key.values.length + key.unmatched.length;
      totals.found += key.values.length;
    });
  }
  test("at least 80% of all hand values found and checked", () => {
    expect(totals.values).toBeGreaterThan(0);
    expect(totals.found / totals.values).toBeGreaterThanOrEqual(0.8);
  });
});

describe("a worksheet of the largest exercise the format allows (5 layers of 8, batch 6, 4 steps)", () => {
  test("its first 400 lines: every value found, every wrong one caught, no false alarm", () => {
    const problem = parseProblem(deepProblem());
    const trace = solve(problem);
    const { text, key } = writeWorksheet(problem, trace, { language: "en", times: "\\cdot", update: ":=", every: 23, noise: true });
    const lines = text.split("\n").slice(0, 400).join("\n");
    const started = performance.now();
    const result = check(problem, trace, lines);
    // Generous: about half a second on a busy 2-core machine.
    expect(performance.now() - started).toBeLessThan(10_000);
    const claims = claimsOf(result);
    const inKey = key.filter((k) => claims.some((c) => c.path === k.path && c.printed === k.printed));
    // Each of the (about 380) equations is one value, found at the key's path.
    expect(claims.length).toBeGreaterThan(350);
    expect(inKey.length).toBe(claims.length);
    expect(result.items.filter((i) => i.kind === "not-understood")).toEqual([]);
    const { falseAlarms } = score(result, key);
    expect(falseAlarms).toEqual([]);
    const wrong = inKey.filter((k) => k.verdict === "disagrees");
    expect(wrong.length).toBeGreaterThan(5);
    for (const k of wrong) expect(claims.find((c) => c.path === k.path && c.printed === k.printed)!.verdict).toBe("disagrees");
  });
});
