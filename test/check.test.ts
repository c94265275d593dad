import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkClaims, type CheckedClaim } from "../src/check/check.js";
import { readClaims } from "../src/check/claims.js";
import { parseProblemDocument } from "../src/problem/parse.js";
import { loadExample, solve } from "../src/index.js";
import { EXAMPLES_DIR, readCases, SHARED_CASES_DIR } from "./cases.js";
import { gradstep } from "./cli.js";

const dir = mkdtempSync(join(tmpdir(), "gradstep-check-"));

function check(name: string, claims?: unknown[]): readonly CheckedClaim[] {
  const c = readCases(EXAMPLES_DIR).find((x) => x.name === name)!;
  const { problem, document } = parseProblemDocument(c.json);
  return checkClaims(problem, solve(problem), readClaims(claims ?? document)).claims;
}

describe("the checker's verdicts equal every case's answer key", () => {
  for (const c of [...readCases(EXAMPLES_DIR), ...readCases(SHARED_CASES_DIR)]) {
    test(`${c.path.includes("shared") ? "shared" : "built-in"} ${c.name}`, () => {
      const { problem, document } = parseProblemDocument(c.json);
      const result = checkClaims(problem, solve(problem), readClaims(document));
      const key = (c.json.claims as { verdict: string; path: string }[]).map((claim) => `${claim.path} ${claim.verdict}`);
      expect(result.claims.map((claim) => `${claim.path} ${claim.verdict}`)).toEqual(key);
    });
  }
});

describe("likely slips in the cases' wrong hand values", () => {
  const slipAt = (name: string, path: string, printed: string) => check(name).find((c) => c.path === path && c.printed === printed)?.slip;

  test("a sign error", () => {
    expect(slipAt("seed-004-relu-input-gradient", "steps[0].inputGradients[2][1]", "2")).toMatchObject({ kind: "sign" });
  });
  test("a shared bias summed over only some of its paths", () => {
    expect(slipAt("seed-004-sigmoid-3-2-2-shared-bias", "steps[0].backward[0].bias", "0.0008")).toMatchObject({
      kind: "missing-term",
      message: expect.stringContaining("2 of its 4 terms"),
    });
  });
  test("two digits swapped", () => {
    expect(slipAt("seed-003-relu-1-2-2-1-two-steps", "steps[1].backward[0].bias[0]", "2.5436")).toMatchObject({ kind: "transposed-digits" });
  });
  test("a digit dropped", () => {
    expect(slipAt("seed-001-sigmoid-batch2-shared-bias", "steps[0].forward[0].z[0][0]", "0.375")).toMatchObject({ kind: "dropped-digit" });
  });
  test("a rounded value carried forward (y − t written as 1.47)", () => {
    for (const [path, printed] of [
      ["steps[1].backward[0].weights[0][0]", "5.084"],
      ["steps[1].backward[0].bias[0]", "2.542"],
    ]) {
      expect(slipAt("seed-003-relu-1-2-2-1-two-steps", path!, printed!)).toMatchObject({
        kind: "carried-forward",
        message: expect.stringContaining("rounded to 1.47"),
      });
    }
  });
  test("the author's own wrong values carried forward", () => {
    expect(slipAt("seed-001-sigmoid-batch2-shared-bias", "steps[0].loss", "0.150875")).toMatchObject({
      kind: "carried-forward",
      message: expect.stringContaining("E[1] = 0.27483"),
    });
  });
  test("no invented explanation for a last-digit difference", () => {
    expect(slipAt("seed-003-relu-1-2-2-1-two-steps", "steps[1].updated[2].bias[0]", "-0.5499")).toBeNull();
  });
});

describe("claims by name, as students write them", () => {
  const solved = (claims: unknown[]) => check("seed-004-sigmoid-3-2-2-shared-bias", claims);

  test("names in the exercise's notation, in any spelling", () => {
    const result = solved([
      { name: "dE/dw7", value: 0.0765 },
      { name: "∂E/∂w₇", printed: "0.0765" },
      { name: "o1", value: 0.8896 },
      { name: "w7", value: 0.6992 },
      { name: "dE/db2", printed: "0.1975" },
    ]);
    expect(result.map((c) => [c.path, c.verdict])).toEqual([
      ["steps[0].backward[1].weights[0][0]", "agrees"],
      ["steps[0].backward[1].weights[0][0]", "agrees"],
      ["steps[0].forward[1].a[0][0]", "agrees"],
      ["steps[0].updated[1].weights[0][0]", "agrees"],
      ["steps[0].backward[1].bias", "agrees"],
    ]);
  });

  test("a value copied from another quantity", () => {
    const [claim] = solved([{ name: "dE/dw7", value: 0.0772 }]);
    expect(claim).toMatchObject({ verdict: "disagrees", slip: { kind: "other-quantity", message: "this is the value of ∂E/∂w₉" } });
  });

  test("transposed digits in a student's value", () => {
    expect(solved([{ name: "dE/dw7", printed: "0.0756" }])[0]!.slip).toMatchObject({ kind: "transposed-digits" });
  });

  test("a value from the other sample of a batch, and a missing batch average", () => {
    const result = check("seed-001-sigmoid-batch2-shared-bias", [
      { path: "steps[0].forward[1].a[0][0]", value: 0.758 },
      { name: "dE/dw5", value: 0.05557 },
    ]);
    expect(result.map((c) => c.slip?.kind)).toEqual(["other-sample", "batch-average"]);
  });
});

describe("gradstep check", () => {
  test("exit code 1 and the table when a claim is wrong", () => {
    const run = gradstep(["check", "--example", "seed-004-sigmoid-3-2-2-shared-bias"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^quantity\s+claimed\s+correct\s+verdict/);
    expect(run.stdout).toContain("35 of 36 agree; 1 disagree.");
    expect(run.stdout).toMatch(/✗ ∂E\/∂b₁ \(steps\[0\]\.backward\[0\]\.bias\): you wrote 0\.0008, the value is 0\.00239/);
    expect(run.stdout).toContain("Likely slip: the sum over paths misses 2 of its 4 terms");
  });

  test("exit code 0 when every claim agrees", () => {
    const run = gradstep(["check", "--example", "seed-000-relu-2-2-1"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("9 of 9 agree.");
  });

  test("--format json lists the claims in the file's order", () => {
    const c = readCases(EXAMPLES_DIR).find((x) => x.name === "seed-003-relu-1-2-2-1-two-steps")!;
    const run = gradstep(["check", c.path, "--format", "json"]);
    const json = JSON.parse(run.stdout) as { claims: { path: string; name: string; printed: string; solved: number; verdict: string; slip: unknown }[] };
    expect(json.claims.map((x) => [x.path, x.printed, x.verdict])).toEqual(
      (c.json.claims as { path: string; printed: string; verdict: string }[]).map((x) => [x.path, x.printed, x.verdict]),
    );
    expect(Object.keys(json.claims[0]!)).toEqual(["path", "name", "printed", "solved", "verdict", "slip"]);
  });

  test("claims from a separate file, by name", () => {
    const file = join(dir, "mine.json");
    writeFileSync(
      file,
      JSON.stringify([
        { name: "dE/dw7", value: 0.0765 },
        { name: "E", printed: "0.5932" },
      ]),
    );
    const example = readCases(EXAMPLES_DIR).find((x) => x.name === "seed-004-sigmoid-3-2-2-shared-bias")!;
    const run = gradstep(["check", example.path, "--claims", file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("2 of 2 agree.");
  });

  test("an unknown name is an input error at its place", () => {
    const file = join(dir, "unknown.json");
    writeFileSync(
      file,
      JSON.stringify([
        { name: "dE/dw7", value: 1 },
        { name: "dE/dw77", value: 1 },
      ]),
    );
    const run = gradstep(["check", "--example", "seed-004-sigmoid-3-2-2-shared-bias", "--claims", file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown\.json: \[1\]\.name: no quantity is called "dE\/dw77"; similar names: ∂E\/∂w₇/);
  });

  test("a path that names no value is an input error", () => {
    const file = join(dir, "path.json");
    writeFileSync(file, JSON.stringify({ claims: [{ path: "steps[0].backward[7].weights[0][0]", value: 1 }] }));
    const run = gradstep(["check", "--example", "seed-000-relu-2-2-1", "--claims", file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("claims[0].path: expected a path to one number of the trace");
  });
});

describe("gradstep explain", () => {
  test("by trace path", () => {
    const run = gradstep(["explain", "--example", "seed-004-sigmoid-3-2-2-shared-bias", "steps[0].backward[1].weights[0][0]"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("∂E/∂w₇ = ∂E/∂o₁·∂o₁/∂zₒ₁·∂zₒ₁/∂w₇");
    expect(run.stdout).toContain("= (0.8896 − 0.1)·0.8896·(1 − 0.8896)·0.9866");
  });

  test("by name, after a given step", () => {
    const run = gradstep(["explain", "--example", "seed-003-relu-1-2-2-1-two-steps", "w7", "--step", "2"]);
    expect(run.stdout).toMatch(/w₇ ← w₇ − η·∂L\/∂w₇\n\s+= 0\.9125 − 0\.01·2\.4101\n\s+= 0\.8884/);
  });

  test("in LaTeX", () => {
    const run = gradstep(["explain", "--example", "seed-004-sigmoid-3-2-2-shared-bias", "dE/dw7", "--format", "latex"]);
    expect(run.stdout).toContain("\\frac{\\partial E}{\\partial w_{7}} &= \\frac{\\partial E}{\\partial o_{1}}");
  });

  test("a given value has no derivation; an unknown name is an input error", () => {
    expect(gradstep(["explain", "--example", "seed-004-sigmoid-3-2-2-shared-bias", "x1"]).stderr).toMatch(/given by the problem/);
    const run = gradstep(["explain", "--example", "seed-004-sigmoid-3-2-2-shared-bias", "dE/dw77"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/similar names: ∂E\/∂w₇/);
  });
});

test("the built-in notation names the values as the sources do", () => {
  const names = check("seed-004-sigmoid-3-2-2-shared-bias").map((c) => c.name);
  expect(names).toEqual(expect.arrayContaining(["zₕ₁", "h₁", "o₁", "∂E/∂w₇", "w₁₀", "∂E/∂b₁"]));
  expect(loadExample("seed-000-relu-2-2-1").notation?.loss).toBe("J");
});
