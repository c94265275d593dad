import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { buildNetwork, forward, fromRows } from "../src/index.js";
import { modelFromOnnx, modelFromText, problemOfModel } from "../src/io/model-problem.js";
import { readExercise, readOnnxExercise } from "../web/src/exercise.js";
import { EXAMPLES_DIR } from "./cases.js";
import { gradstep } from "./cli.js";

const dir = mkdtempSync(join(tmpdir(), "gradstep-model-problem-"));

describe("a model opened as an exercise (how the page reads model files)", () => {
  test("a gradstep model with inline weights keeps its network and notation", () => {
    const model = join(dir, "exercise.json");
    expect(gradstep(["export", join(EXAMPLES_DIR, "seed-004-sigmoid-3-2-2-shared-bias.json"), "--model", model]).status).toBe(0);
    const exercise = readExercise(readFileSync(model, "utf8"), "exercise.json");
    expect(exercise.problem.network.layers[1]!.weights).toEqual([
      [0.7, 0.9],
      [0.8, 0.1],
    ]);
    expect(exercise.problem.notation?.layers?.[1]?.a).toEqual(["o1", "o2"]);
    expect(exercise.problem.training.steps).toBe(0);
    // One sample of zeros: the output is what the network gives for x = 0.
    const net = buildNetwork(exercise.problem.network, "float64");
    const expected = forward(net, fromRows("float64", [[0, 0, 0]])).at(-1)!.a.data[0];
    expect(exercise.trace.steps[0]!.forward[1]!.a[0]![0]).toBe(expected);
  });

  test("an ONNX model opens with a loss its output pairs with", () => {
    const model = join(dir, "three.json"),
      onnx = join(dir, "three.onnx");
    gradstep(["export", join(EXAMPLES_DIR, "seed-003-relu-1-2-2-1-two-steps.json"), "--model", model]);
    expect(gradstep(["export", model, "--onnx", onnx]).status).toBe(0);
    const exercise = readOnnxExercise(readFileSync(onnx), "three.onnx");
    expect(exercise.problem.network.layers.map((l) => l.units)).toEqual([2, 2, 1]);
    expect(exercise.problem.loss.type).toBe("half_squared_error");
    expect(problemOfModel(modelFromOnnx(readFileSync(onnx))).network).toEqual(exercise.problem.network);
  });

  test("a model whose weights are in a file beside it says how to open it", () => {
    const trained = join(dir, "trained.json");
    gradstep(["train", "--epochs", "1", "--hidden", "8", "--out", trained, "--json"]);
    expect(() => modelFromText(readFileSync(trained, "utf8"), "trained.json")).toThrow(
      /expected the weights inline, found them in trained\.safetensors beside the model/,
    );
  });
});
