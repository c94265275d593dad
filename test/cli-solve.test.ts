import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { describe, expect, test } from "vitest";
import { matchTrace } from "../src/index.js";
import { EXAMPLES_DIR, readCases, SHARED_CASES_DIR } from "./cases.js";
import { gradstep } from "./cli.js";

const dir = mkdtempSync(join(tmpdir(), "gradstep-cli-"));
const cases = [...readCases(EXAMPLES_DIR), ...readCases(SHARED_CASES_DIR)];

describe("gradstep solve --format json", () => {
  for (const c of cases) {
    test(`${c.path.includes("shared") ? "shared" : "built-in"} ${c.name}: the printed trace matches expect`, () => {
      const run = gradstep(["solve", c.path, "--format", "json"]);
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(matchTrace(JSON.parse(run.stdout), c.json.expect)).toEqual([]);
    });
  }

  test("a YAML problem gives the same trace as its JSON", () => {
    const c = cases.find((x) => x.name === "seed-001-sigmoid-batch2-shared-bias")!;
    const file = join(dir, "problem.yaml");
    writeFileSync(file, stringify(c.json));
    const run = gradstep(["solve", file, "--format", "json"]);
    expect(run.status).toBe(0);
    expect(matchTrace(JSON.parse(run.stdout), c.json.expect)).toEqual([]);
  });

  test("--example solves a built-in exercise by name", () => {
    const run = gradstep(["solve", "--example", "seed-003-relu-1-2-2-1-two-steps", "--format", "json"]);
    const trace = JSON.parse(run.stdout) as { final: { loss: number } };
    expect(trace.final.loss).toBeCloseTo(0.374501243262599, 15);
  });
});

describe("gradstep solve (text)", () => {
  test("the default is the worked solution: every phase, with numbers substituted", () => {
    const run = gradstep(["solve", "--example", "seed-004-sigmoid-3-2-2-shared-bias"]);
    expect(run.status).toBe(0);
    for (const text of ["Step 1", "Forward pass", "Loss", "Backward pass", "Update", "After 1 step"]) expect(run.stdout).toContain(text);
    // The issue's own example: the chain rule, the formula, the numbers and the value of dE/dw7.
    expect(run.stdout).toMatch(
      /∂E\/∂w₇ = ∂E\/∂o₁·∂o₁\/∂zₒ₁·∂zₒ₁\/∂w₇\n\s+= \(o₁ − t₁\)·o₁·\(1 − o₁\)·h₁\n\s+= \(0\.8896 − 0\.1\)·0\.8896·\(1 − 0\.8896\)·0\.9866\n\s+= 0\.0765\n/,
    );
    expect(run.stdout).toMatch(/w₇ ← w₇ − η·∂E\/∂w₇\n\s+= 0\.7 − 0\.01·0\.0765\n\s+= 0\.6992\n/);
  });

  test("--decimals changes the displayed precision only", () => {
    const run = gradstep(["solve", "--example", "seed-004-sigmoid-3-2-2-shared-bias", "--decimals", "7"]);
    expect(run.stdout).toMatch(/= 0\.0765351\n/);
  });

  test("no colour when the output is not a terminal", () => {
    expect(gradstep(["solve", "--example", "seed-000-relu-2-2-1"]).stdout).not.toContain("\u001b[");
  });
});

describe("gradstep examples", () => {
  test("lists every built-in exercise with its title", () => {
    const run = gradstep(["examples"]);
    expect(run.status).toBe(0);
    for (const c of readCases(EXAMPLES_DIR)) expect(run.stdout).toContain(c.name);
    const json = JSON.parse(gradstep(["examples", "--json"]).stdout) as { name: string; title: string }[];
    expect(json.map((e) => e.name)).toEqual(readCases(EXAMPLES_DIR).map((c) => c.name));
  });
});

describe("--help on every command shows an example", () => {
  for (const args of [["--help"], ["solve", "--help"], ["examples", "--help"]]) {
    test(args.join(" "), () => {
      const run = gradstep(args);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Examples?:\n\s+\$ gradstep /);
    });
  }
});
