import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { CLI, gradstep } from "./cli.js";

const worksheet = (name: string) => fileURLToPath(new URL(`./worksheets/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "gradstep-worksheet-"));

describe("gradstep check --worksheet", () => {
  test("text: the worksheet's lines with a mark under each number, exit 1 for a wrong value", () => {
    const run = gradstep(["check", "--example", "seed-004-sigmoid-3-2-2-shared-bias", "--worksheet", worksheet("seed-004-zh.md")]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("│ $$\\frac{\\partial E}{\\partial b_2} = 0.0776 + 0.1199 = 0.1795$$");
    expect(run.stdout).toMatch(/✗ ∂E\/∂b₂ = 0\.1795: the value is 0\.19746; likely slip: two digits swapped/);
    expect(run.stdout).toMatch(/✗ b₂ = 0\.4982: the value is 0\.49803; likely slip: follows from earlier values carried forward: ∂E\/∂b₂ = 0\.1795/);
    expect(run.stdout).toContain("✗ arithmetic: the arithmetic gives 5.30, not 5.2");
    expect(run.stdout).toContain("? not checked (not a value of the exercise)");
    expect(run.stdout).toMatch(/24 values checked: 21 right, 3 wrong; \d+ arithmetic steps: 2 slips; 1 equation not understood\./);
  });

  test("json: each claim with path, name, printed, solved, verdict, slip and source", () => {
    const run = gradstep(["check", "--example", "seed-004-sigmoid-3-2-2-shared-bias", "--worksheet", worksheet("seed-004-zh.md"), "--format", "json"]);
    const json = JSON.parse(run.stdout) as { claims: Record<string, unknown>[]; notUnderstood: { reason: string; source: { line: number } }[] };
    expect(Object.keys(json.claims[0]!)).toEqual(["path", "name", "printed", "solved", "verdict", "slip", "source"]);
    expect(json.claims.find((c) => c.path === "steps[0].backward[1].bias")).toMatchObject({
      printed: "0.1795",
      verdict: "disagrees",
      source: { line: 31, column: 55, text: "\\frac{\\partial E}{\\partial b_2} = 0.0776 + 0.1199 = 0.1795" },
    });
    expect(json.notUnderstood).toEqual([expect.objectContaining({ reason: "local-derivative", source: expect.objectContaining({ line: 25 }) })]);
  });

  test("markdown and html: the student's worksheet with marks and fold-out derivations", () => {
    const md = gradstep(["check", "--example", "seed-003-relu-1-2-2-1-two-steps", "--worksheet", worksheet("seed-003-ja.md"), "--format", "markdown"]);
    expect(md.stdout).toContain("## 2回目の更新");
    expect(md.stdout).toMatch(/> <span style="color:#c00">✗ ∂L\/∂b₅ = 1\.4568: the value is 1\.46576; likely slip: two digits swapped/);
    expect(md.stdout).toContain("<details><summary>How 1.46576 arises</summary>");
    const html = gradstep(["check", "--example", "seed-003-relu-1-2-2-1-two-steps", "--worksheet", worksheet("seed-003-ja.md"), "--format", "html"]);
    expect(html.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(html.stdout).toContain("<math");
    expect(html.stdout).toContain('class="mark bad" data-path="steps[1].backward[2].bias[0]"');
    expect(html.stdout).not.toMatch(/<script|<link/);
  });

  test("standard input, and a LaTeX file by its extension", () => {
    const run = spawnSync(process.execPath, [CLI, "check", "--example", "seed-004-sigmoid-3-2-2-shared-bias", "--worksheet", "-"], {
      input: "$$h_1 = 0.9866$$\n",
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("✓ h₁ = 0.9866");
    const tex = gradstep(["check", "--example", "seed-001-sigmoid-batch2-shared-bias", "--worksheet", worksheet("seed-001-en.tex")]);
    expect(tex.stdout).toContain("? not checked (one sample's gradient)");
    expect(tex.stdout).toContain("? not checked (another exercise)");
  });

  test("--notation: a student's own names", () => {
    const notation = join(dir, "mine.yaml");
    writeFileSync(notation, "notation:\n  loss: C\n  layers:\n    - { a: [u_1, u_2] }\n    - { a: [v_1, v_2] }\n");
    const sheet = join(dir, "mine.md");
    writeFileSync(sheet, "$$u_1 = 0.9866$$\n$$v_2 = 0.8104$$\n$$C = 0.5932$$\n");
    const run = gradstep(["check", "--example", "seed-004-sigmoid-3-2-2-shared-bias", "--worksheet", sheet, "--notation", notation]);
    expect(run.stdout).toContain("✓ u₁ = 0.9866");
    expect(run.stdout).toMatch(/✗ v₂ = 0\.8104: the value is 0\.8004/);
    expect(run.stdout).toContain("✓ C = 0.5932");
    expect(run.status).toBe(1);
  });

  test("bad input: a missing worksheet, and a notation that is not one", () => {
    const missing = gradstep(["check", "--example", "seed-000-relu-2-2-1", "--worksheet", join(dir, "nope.md")]);
    expect(missing.status).toBe(2);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "[1, 2]");
    const run = gradstep(["check", "--example", "seed-000-relu-2-2-1", "--worksheet", worksheet("seed-000-de.md"), "--notation", bad]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("expected a notation block");
    expect(gradstep(["check", "--example", "seed-000-relu-2-2-1", "--format", "html"]).status).toBe(2);
  });

  test("the worksheet reader is not loaded for other checks", () => {
    const source = readFileSync(fileURLToPath(new URL("../dist/cli/check.js", import.meta.url)), "utf8");
    expect(source).not.toMatch(/^import .*worksheet/m);
    expect(source).not.toMatch(/^import .*katex/m);
  });
});
