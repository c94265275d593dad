import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { EXAMPLES_DIR } from "./cases.js";
import { gradstep } from "./cli.js";

const dir = mkdtempSync(join(tmpdir(), "gradstep-errors-"));
type Problem = Record<string, any>;

function base(): Problem {
  const { expect: _e, claims: _c, source: _s, ...problem } = JSON.parse(readFileSync(join(EXAMPLES_DIR, "seed-000-relu-2-2-1.json"), "utf8")) as Problem;
  return problem;
}

/** Each kind of bad input: how to break a good file, and what the message must say. */
const MUTATIONS: readonly [string, (p: Problem) => void, RegExp][] = [
  ["missing field", (p) => delete p.network.layers[0].units, /network\.layers\[0\]\.units: missing/],
  ["missing section", (p) => delete p.loss, /loss: missing; expected an object/],
  [
    "unknown field in network",
    (p) => (p.network.layer = []),
    /network\.layer: unknown field "layer" \(did you mean "layers"\?\); network allows only inputs, layers/,
  ],
  [
    "unknown field in a layer",
    (p) => (p.network.layers[0].activaton = "relu"),
    /network\.layers\[0\]\.activaton: unknown field "activaton" \(did you mean "activation"\?\)/,
  ],
  ["unknown field in loss", (p) => (p.loss.reductoin = "sum"), /loss\.reductoin: unknown field "reductoin" \(did you mean "reduction"\?\)/],
  ["unknown field in data", (p) => (p.data.target = [[1]]), /data\.target: unknown field "target" \(did you mean "targets"\?\)/],
  ["unknown field in training", (p) => (p.training.lr = 1), /training\.lr: unknown field "lr"/],
  [
    "too many weight rows",
    (p) =>
      (p.network.layers[1].weights = [
        [1, -1],
        [1, 1],
      ]),
    /network\.layers\[1\]\.weights: has 2 rows; expected 1, one per unit of layer 1/,
  ],
  ["too many weight columns", (p) => (p.network.layers[1].weights = [[1, -1, 2]]), /network\.layers\[1\]\.weights\[0\]: has 3 numbers; expected 2/],
  ["bias of the wrong length", (p) => (p.network.layers[0].bias = [1]), /network\.layers\[0\]\.bias: has 1 number; expected 2/],
  ["input row of the wrong width", (p) => (p.data.inputs = [[1, 2, 3]]), /data\.inputs\[0\]: has 3 numbers; expected 2/],
  ["targets of the wrong batch", (p) => (p.data.targets = [[2], [3]]), /data\.targets: has 2 rows; expected 1/],
  ["target row of the wrong width", (p) => (p.data.targets = [[2, 3]]), /data\.targets\[0\]: has 2 numbers; expected 1/],
  [
    "a text where a number belongs",
    (p) => (p.network.layers[0].weights[0][1] = "x"),
    /network\.layers\[0\]\.weights\[0\]\[1\]: expected a number, found the text "x"/,
  ],
  ["null where a number belongs", (p) => (p.data.inputs[0][0] = null), /data\.inputs\[0\]\[0\]: expected a number, found null/],
  ["a non-finite number", (p) => (p.network.layers[1].bias = ["__INFINITY__"]), /network\.layers\[1\]\.bias\[0\]: expected a finite number, found Infinity/],
  [
    "unknown activation",
    (p) => (p.network.layers[0].activation = "sigmoidd"),
    /network\.layers\[0\]\.activation: expected one of .*found the text "sigmoidd" \(did you mean "sigmoid"\?\)/,
  ],
  ["unknown loss", (p) => (p.loss.type = "l1"), /loss\.type: expected one of "half_squared_error"/],
  ["unknown reduction", (p) => (p.loss.reduction = "avg"), /loss\.reduction: expected one of "mean", "sum"/],
  [
    "softmax with another loss",
    (p) => (p.network.layers[1].activation = "softmax"),
    /network\.layers\[1\]\.activation: is "softmax" with the loss "half_squared_error"/,
  ],
  ["softmax in a hidden layer", (p) => (p.network.layers[0].activation = "softmax"), /network\.layers\[0\]\.activation: is "softmax" in a hidden layer/],
  ["cross-entropy without softmax", (p) => (p.loss.type = "cross_entropy"), /loss\.type: is "cross_entropy", which requires a softmax last layer/],
  [
    "binary cross-entropy without sigmoid",
    (p) => (p.loss.type = "binary_cross_entropy"),
    /loss\.type: is "binary_cross_entropy", which requires a sigmoid last layer/,
  ],
  ["both bias and sharedBias", (p) => (p.network.layers[0].sharedBias = 1), /network\.layers\[0\]: has both "bias" and "sharedBias"/],
  ["neither bias nor sharedBias", (p) => delete p.network.layers[0].bias, /network\.layers\[0\]: has neither "bias" nor "sharedBias"/],
  ["bias: true", (p) => (p.network.layers[0].bias = true), /network\.layers\[0\]\.bias: expected false, a number or an array, found true/],
  ["negative steps", (p) => (p.training.steps = -1), /training\.steps: expected a number ≥ 0, found -1/],
  ["fractional steps", (p) => (p.training.steps = 1.5), /training\.steps: expected a whole number, found 1\.5/],
  ["negative learning rate", (p) => (p.training.learningRate = -0.01), /training\.learningRate: expected a number ≥ 0, found -0\.01/],
  ["learning rate missing with steps", (p) => delete p.training.learningRate, /training\.learningRate: missing; expected a number ≥ 0 here because steps is 1/],
  ["unknown optimizer", (p) => (p.training.optimizer = "adam"), /training\.optimizer: expected "sgd", found the text "adam"/],
  [
    "unknown report",
    (p) => (p.report = ["inputGradient"]),
    /report\[0\]: expected "inputGradients", found the text "inputGradient" \(did you mean "inputGradients"\?\)/,
  ],
  ["empty network", (p) => (p.network.layers = []), /network\.layers: expected at least 1 entry, found an empty array/],
  ["empty batch", (p) => (p.data.inputs = []), /data\.inputs: expected at least 1 entry, found an empty array/],
  ["zero units", (p) => (p.network.layers[0].units = 0), /network\.layers\[0\]\.units: expected a number ≥ 1, found 0/],
  ["not an object", (p) => Object.assign(p, { network: [] }), /network: expected an object, found an empty array/],
  ["notation: too few input names", (p) => (p.notation = { inputs: ["x1"] }), /notation\.inputs: has 1 name; expected 2, one per network input/],
  ["notation: a layer too many", (p) => (p.notation = { layers: [{}, {}, {}] }), /notation\.layers: has 3 entries; expected 2, one per layer of the network/],
  [
    "notation: weight names of the wrong shape",
    (p) => (p.notation = { layers: [{ weights: [["w1", "w2"]] }, {}] }),
    /notation\.layers\[0\]\.weights: has 1 row; expected 2/,
  ],
  [
    "notation: a bias name for a layer without bias",
    (p) => {
      p.network.layers[1].bias = false;
      p.notation = { layers: [{}, { bias: ["b"] }] };
    },
    /notation\.layers\[1\]\.bias: names a bias, but layer 1 has none/,
  ],
  ["notation: an unknown field", (p) => (p.notation = { lose: "E" }), /notation\.lose: unknown field "lose" \(did you mean "loss"\?\)/],
  ["notation: an empty name", (p) => (p.notation = { loss: "" }), /notation\.loss: /],
];

function expectInputError(file: string, message: RegExp): void {
  const run = gradstep(["solve", file, "--format", "json"]);
  expect(run.status).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(run.stderr.trim().split("\n")).toHaveLength(1);
}

describe("bad problem files: exit code 2, one message with the file, line and JSON path", () => {
  MUTATIONS.forEach(([name, mutate, message], i) => {
    test(name, () => {
      const problem = base();
      mutate(problem);
      const file = join(dir, `bad-${i}.json`);
      writeFileSync(file, JSON.stringify(problem, null, 2).replace('"__INFINITY__"', "1e999"));
      expectInputError(file, new RegExp(`^gradstep: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: ${message.source}`));
    });
  });

  test("the position points at the offending field", () => {
    const file = join(dir, "typo.json");
    writeFileSync(
      file,
      `{"network": {"inputs": 1, "layers": [\n  {"units": 1, "activaton": "relu", "weights": 1, "bias": 0}]},\n "loss": {"type": "mse"}, "data": {"inputs": [[1]], "targets": [[1]]}, "training": {"steps": 0}}`,
    );
    expectInputError(file, /typo\.json:2:16: network\.layers\[0\]\.activaton: unknown field "activaton"/);
  });

  test("JSON syntax error with line and column", () => {
    const file = join(dir, "syntax.json");
    writeFileSync(file, '{\n  "network": {\n    "inputs": 2\n    "layers": []\n  }\n}\n');
    expectInputError(file, /syntax\.json:4:5: invalid JSON: expected a comma, found "\\"layers\\""/);
  });

  test("YAML syntax error with line and column", () => {
    const file = join(dir, "syntax.yaml");
    writeFileSync(file, "network:\n  inputs: 2\n  layers: [\n");
    expectInputError(file, /syntax\.yaml:\d+:\d+: invalid YAML: /);
  });

  test("a YAML semantic error is placed too", () => {
    const file = join(dir, "shape.yaml");
    writeFileSync(
      file,
      "network:\n  inputs: 1\n  layers:\n    - units: 2\n      activation: tanh\n      weights: [[1], [2], [3]]\n      bias: 0\nloss: {type: mse}\ndata: {inputs: [[1]], targets: [[1, 2]]}\ntraining: {steps: 0}\n",
    );
    expectInputError(file, /shape\.yaml:6:7: network\.layers\[0\]\.weights: has 3 rows; expected 2/);
  });

  test("a missing file", () => {
    expectInputError(join(dir, "nope.json"), /nope\.json: expected a problem file \(JSON or YAML\), found no such file/);
  });

  test("unknown top-level keys are ignored, as the format says", () => {
    const file = join(dir, "extra.json");
    writeFileSync(file, JSON.stringify({ ...base(), author: "someone", notes: [1, 2] }));
    expect(gradstep(["solve", file, "--format", "json"]).status).toBe(0);
  });
});

describe("bad command lines exit with 2", () => {
  test("an unknown option", () => expect(gradstep(["solve", "--bogus"]).status).toBe(2));
  test("an unknown format", () => expect(gradstep(["solve", "--example", "seed-000-relu-2-2-1", "--format", "docx"]).status).toBe(2));
  test("an unknown example", () => {
    const run = gradstep(["solve", "--example", "nope"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/no built-in example "nope"; expected one of: seed-000-relu-2-2-1/);
  });
  test("neither file nor example", () => expect(gradstep(["solve"]).stderr).toMatch(/expected a problem FILE or --example NAME, found neither/));
});

describe("a diverging exercise stops with the place of the first non-finite value", () => {
  test("exit code 3 and the path, step, layer, sample and neuron", () => {
    const problem = base();
    problem.network.layers[0].weights = 1e200;
    problem.data.inputs = [[1e200, 1e200]];
    const file = join(dir, "diverge.json");
    writeFileSync(file, JSON.stringify(problem));
    const run = gradstep(["solve", file, "--format", "json"]);
    expect(run.status).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^gradstep: steps\[0\]\.forward\[0\]\.z\[0\]\[0\] is Infinity at step 0 \(layer 0, sample 0, neuron 0\)/);
  });
});
