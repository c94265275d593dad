import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import katex from "katex";
import { describe, expect, test } from "vitest";
import { buildSolution } from "../src/explain/solution.js";
import { loadExample, solve } from "../src/index.js";
import { renderLatex } from "../src/render/latex.js";
import { renderMarkdown } from "../src/render/markdown.js";
import { gradstep } from "./cli.js";

describe("--form matrix", () => {
  test("the step in matrix form with the actual matrices", () => {
    const run = gradstep(["solve", "--example", "seed-004-relu-input-gradient", "--form", "matrix"]);
    expect(run.status).toBe(0);
    // Z = X·Wᵀ + b with the inputs, the weights and the bias row, then the result.
    expect(run.stdout).toContain(
      "Z⁽¹⁾ = X·W⁽¹⁾ᵀ + b⁽¹⁾\n       = [ 1  0 ]·[ 1  −2 ]ᵀ + [ 0  −1 ]\n         [ 0  1 ] [ 0   2 ]\n         [ 1  1 ]\n       = [  1  −1 ]\n         [ −2   1 ]\n         [ −1   1 ]",
    );
    expect(run.stdout).toContain("dW⁽¹⁾ = dZ⁽¹⁾ᵀ·X");
    expect(run.stdout).toContain("dZ⁽¹⁾ = dA⁽¹⁾ ⊙ ReLU′(Z⁽¹⁾)");
    // The input gradient of the three samples, as the trace has it.
    expect(run.stdout).toMatch(/dX = dZ⁽¹⁾·W⁽¹⁾\n(.*\n){3}\s+= \[ −1 {3}2 \]\n\s+\[ {2}0 {3}2 \]\n\s+\[ {2}0 {2}−2 \]/);
  });

  test("updates and shared biases", () => {
    const run = gradstep(["solve", "--example", "seed-001-sigmoid-batch2-shared-bias", "--form", "matrix"]);
    expect(run.stdout).toContain("W⁽²⁾ ← W⁽²⁾ − η·dW⁽²⁾");
    expect(run.stdout).toContain("db⁽²⁾ = Σ all entries of dZ⁽²⁾");
    expect(run.stdout).toContain("dZ⁽²⁾ = dA⁽²⁾ ⊙ σ′(Z⁽²⁾)");
  });

  test("every formula of the Markdown parses as LaTeX", () => {
    for (const name of ["seed-001-sigmoid-batch2-shared-bias", "seed-003-relu-1-2-2-1-two-steps", "seed-004-relu-input-gradient"]) {
      const problem = loadExample(name);
      const markdown = renderMarkdown(buildSolution(problem, solve(problem), { form: "matrix" }));
      const blocks = [...markdown.matchAll(/\$\$\n([\s\S]*?)\n\$\$/g)].map((m) => m[1]!);
      expect(blocks.length).toBeGreaterThan(10);
      expect(blocks.some((b) => b.includes("\\begin{bmatrix}"))).toBe(true);
      for (const tex of blocks) expect(() => katex.renderToString(tex, { throwOnError: true, displayMode: true })).not.toThrow();
    }
  });

  test("the LaTeX document compiles", () => {
    const problem = loadExample("seed-003-relu-1-2-2-1-two-steps");
    const dir = mkdtempSync(join(tmpdir(), "gradstep-matrix-"));
    writeFileSync(join(dir, "solution.tex"), renderLatex(buildSolution(problem, solve(problem), { form: "matrix" })));
    const run = spawnSync("pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "solution.tex"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    expect(run.error, "pdflatex must be installed (Debian: texlive-latex-base)").toBeUndefined();
    expect(run.status, run.stdout.slice(-2000)).toBe(0);
    expect(existsSync(join(dir, "solution.pdf"))).toBe(true);
  });
});
