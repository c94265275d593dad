import { describe, expect, test } from "vitest";
import { matchTrace, parseProblem, solve } from "../src/index.js";
import { EXAMPLES_DIR, readCases, SHARED_CASES_DIR } from "./cases.js";

const builtIn = readCases(EXAMPLES_DIR);
const shared = readCases(SHARED_CASES_DIR);

describe("golden traces", () => {
  test("the project ships every shared case as a built-in example", () => {
    expect(builtIn.length).toBeGreaterThanOrEqual(5);
    const names = new Set(builtIn.map((c) => c.name));
    for (const c of shared) expect(names, `${c.name} is not built in`).toContain(c.name);
  });

  for (const [origin, cases] of [
    ["examples", builtIn],
    ["shared/cases", shared],
  ] as const) {
    for (const c of cases) {
      test(`${origin}/${c.name} matches its expect`, () => {
        const trace = solve(parseProblem(c.json, { file: c.path }));
        // Round-trip through JSON: what is compared is what the CLI prints.
        expect(matchTrace(JSON.parse(JSON.stringify(trace)), c.json.expect)).toEqual([]);
      });
    }
  }
});

describe("the matcher can fail", () => {
  const c = builtIn[0]!;
  const trace = JSON.parse(JSON.stringify(solve(parseProblem(c.json)))) as { steps: { loss: number; updated?: unknown }[] };

  test("a number off by more than the tolerance", () => {
    const wrong = structuredClone(trace);
    wrong.steps[0]!.loss *= 1 + 1e-8;
    expect(matchTrace(wrong, c.json.expect)).toEqual([expect.objectContaining({ path: "steps[0].loss" })]);
  });

  test("a missing key and a key the expectation does not have", () => {
    const { final: _final, ...withoutFinal } = trace as { final?: unknown; steps: unknown };
    const changed = { ...withoutFinal, inputGradients: [[0]] };
    expect(matchTrace(changed, c.json.expect)).toEqual([
      { path: "final", detail: "missing" },
      { path: "inputGradients", detail: "present, but expected absent" },
    ]);
  });

  test("an array of the wrong length", () => {
    const short = structuredClone(trace);
    short.steps.pop();
    expect(matchTrace(short, c.json.expect)[0]?.path).toBe("steps");
  });
});
