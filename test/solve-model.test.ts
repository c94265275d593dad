import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { matchTrace } from "../src/index.js";
import { EXAMPLES_DIR, readCases } from "./cases.js";
import { gradstep } from "./cli.js";

const dir = mkdtempSync(join(tmpdir(), "gradstep-solve-model-"));
const c = readCases(EXAMPLES_DIR).find((x) => x.name === "seed-001-sigmoid-batch2-shared-bias")!;

describe("gradstep solve --model", () => {
  test("a problem's network through a model file solves to the same trace, shared biases kept", () => {
    const model = join(dir, "exercise.json");
    expect(gradstep(["export", c.path, "--model", model]).status).toBe(0);
    const run = gradstep(["solve", c.path, "--model", model, "--format", "json"]);
    expect(run.stderr).toBe("");
    expect(matchTrace(JSON.parse(run.stdout), c.json.expect)).toEqual([]);
  });

  test("and through ONNX (which has per-neuron biases only) for a network without shared biases", () => {
    const other = readCases(EXAMPLES_DIR).find((x) => x.name === "seed-003-relu-1-2-2-1-two-steps")!;
    const model = join(dir, "three.json"),
      onnx = join(dir, "three.onnx");
    gradstep(["export", other.path, "--model", model]);
    expect(gradstep(["export", model, "--onnx", onnx]).status).toBe(0);
    const run = gradstep(["solve", other.path, "--model", onnx, "--format", "json"]);
    expect(matchTrace(JSON.parse(run.stdout), other.json.expect)).toEqual([]);
  });

  test("the model's notation comes with it", () => {
    const model = join(dir, "named.json");
    gradstep(["export", c.path, "--model", model]);
    expect(gradstep(["solve", c.path, "--model", model]).stdout).toContain("∂E/∂w₅");
  });

  test("a model that does not fit the data is an input error naming both", () => {
    const model = join(dir, "other.json");
    gradstep(["export", join(EXAMPLES_DIR, "seed-003-relu-1-2-2-1-two-steps.json"), "--model", model]);
    const run = gradstep(["solve", c.path, "--model", model]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/other\.json: the model does not fit this problem: data\.inputs\[0\]: has 2 numbers; expected 1/);
  });
});
