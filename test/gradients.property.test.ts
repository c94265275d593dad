import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  ACTIVATION_NAMES,
  backward,
  buildNetwork,
  createWorkspace,
  forward,
  fromRows,
  LOSS_NAMES,
  LOSSES,
  reduceLosses,
  REDUCTIONS,
  sampleLosses,
  sgdStep,
  type ActivationName,
  type BiasSpec,
  type LossName,
  type Matrix,
  type Network,
  type NetworkSpec,
  type Objective,
  type Reduction,
  parseProblem,
  solve,
  withinTolerance,
} from "../src/index.js";
import { Deriver } from "../src/explain/derive.js";
import { ACTIVATION_RULES, ELEMENTWISE_NAMES, isElementwiseRule } from "../src/rules/activations.js";
import { LOSS_RULES } from "../src/rules/losses.js";
import { computedQuantities } from "../src/explain/order.js";
import { buildSolution } from "../src/explain/solution.js";
import { renderSolutionText } from "../src/render/solution-text.js";

/** One random exercise: a small network, a batch, a loss. */
interface Case {
  spec: NetworkSpec;
  inputs: number[][];
  targets: number[][];
  loss: LossName;
  reduction: Reduction;
}

const weight = fc.double({ min: -2, max: 2, noNaN: true });
const HIDDEN: readonly ActivationName[] = ELEMENTWISE_NAMES;

function outputActivation(loss: LossName): fc.Arbitrary<ActivationName> {
  const required = LOSSES[loss].requires;
  return required ? fc.constant(required) : fc.constantFrom(...HIDDEN);
}

function biasOf(units: number): fc.Arbitrary<BiasSpec> {
  return fc.oneof(
    fc.array(weight, { minLength: units, maxLength: units }).map((values): BiasSpec => ({ mode: "perNeuron", values })),
    weight.map((value): BiasSpec => ({ mode: "shared", value })),
    fc.constant<BiasSpec>({ mode: "none" }),
  );
}

function target(loss: LossName, units: number): fc.Arbitrary<number[]> {
  const row = (min: number, max: number) => fc.array(fc.double({ min, max, noNaN: true }), { minLength: units, maxLength: units });
  if (loss === "binary_cross_entropy") return row(0, 1);
  if (loss === "cross_entropy") {
    // Probability vectors, one-hot among them.
    return fc.oneof(
      fc.nat({ max: units - 1 }).map((hot) => Array.from({ length: units }, (_, j) => (j === hot ? 1 : 0))),
      row(0.01, 1).map((r) => r.map((v) => v / r.reduce((s, x) => s + x, 0))),
    );
  }
  return row(-1.5, 1.5);
}

const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    loss: fc.constantFrom(...LOSS_NAMES),
    reduction: fc.constantFrom(...REDUCTIONS),
    inputs: fc.integer({ min: 1, max: 3 }),
    units: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
    batch: fc.integer({ min: 1, max: 3 }),
  })
  .chain(({ loss, reduction, inputs, units, batch }) => {
    const last = units.length - 1;
    // Softmax over one unit is constant; give cross-entropy at least two classes.
    if (loss === "cross_entropy") units[last] = Math.max(units[last]!, 2);
    const layers = units.map((n, k) =>
      fc.record({
        units: fc.constant(n),
        activation: k === last ? outputActivation(loss) : fc.constantFrom(...HIDDEN),
        weights: fc.array(fc.array(weight, { minLength: k === 0 ? inputs : units[k - 1]!, maxLength: k === 0 ? inputs : units[k - 1]! }), {
          minLength: n,
          maxLength: n,
        }),
        bias: biasOf(n),
      }),
    );
    return fc.record({
      spec: fc.tuple(...layers).map((ls): NetworkSpec => ({ inputs, layers: ls })),
      inputs: fc.array(fc.array(weight, { minLength: inputs, maxLength: inputs }), { minLength: batch, maxLength: batch }),
      targets: fc.array(target(loss, units[last]!), { minLength: batch, maxLength: batch }),
      loss: fc.constant(loss),
      reduction: fc.constant(reduction),
    });
  });

function reducedLoss(net: Network, x: Matrix, t: Matrix, objective: Objective): number {
  const values = forward(net, x);
  return reduceLosses(sampleLosses(objective, values.at(-1)!, t), objective.reduction);
}

/** Central difference of `f` with respect to `cell[index]`, restoring the value afterwards. */
function centralDifference(cell: Float64Array | Float32Array, index: number, f: () => number): number {
  const h = 1e-6;
  const saved = cell[index]!;
  cell[index] = saved + h;
  const up = f();
  cell[index] = saved - h;
  const down = f();
  cell[index] = saved;
  return (up - down) / (2 * h);
}

function close(analytic: number, numeric: number): boolean {
  return Math.abs(analytic - numeric) <= 1e-6 + 1e-6 * Math.abs(numeric);
}

/** A kink of an activation (ReLU at z = 0) or of the loss (MAE at a = t): a finite difference straddling it measures neither one-sided slope. */
function nearKink(net: Network, x: Matrix, t: Matrix, loss: LossName): boolean {
  const values = forward(net, x);
  const activationKink = values.some(({ z }, k) => {
    const kink = ruleKink(net.layers[k]!.activation.name);
    return kink !== undefined && z.data.some((v) => Math.abs(v - kink) < 1e-4);
  });
  const lossKink = LOSS_RULES[loss].kink;
  const output = values.at(-1)!.a.data;
  return activationKink || (lossKink !== undefined && output.some((a, i) => Math.abs(a - t.data[i]! - lossKink) < 1e-4));
}

function ruleKink(name: ActivationName): number | undefined {
  const rule = ACTIVATION_RULES[name];
  return isElementwiseRule(rule) ? rule.kink : undefined;
}

describe("gradients agree with central finite differences in float64", () => {
  const seen = { activations: new Set<string>(), losses: new Set<string>(), reductions: new Set<string>(), biases: new Set<string>() };
  let checked = 0;

  test("on random networks of every activation, loss, reduction and bias mode", () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const net = buildNetwork(c.spec, "float64");
        const x = fromRows("float64", c.inputs);
        const t = fromRows("float64", c.targets);
        fc.pre(!nearKink(net, x, t, c.loss));
        const objective: Objective = { loss: LOSSES[c.loss], reduction: c.reduction };
        const grads = backward(net, x, forward(net, x), t, objective, { inputGradient: true });
        const L = () => reducedLoss(net, x, t, objective);
        const failures: string[] = [];
        const compare = (label: string, analytic: ArrayLike<number>, cell: Float64Array | Float32Array) => {
          for (let i = 0; i < cell.length; i++) {
            const numeric = centralDifference(cell, i, L);
            if (!close(analytic[i]!, numeric)) failures.push(`${label}[${i}]: backprop ${analytic[i]}, finite difference ${numeric}`);
          }
        };
        net.layers.forEach((layer, k) => {
          compare(`layer ${k} weights`, grads.layers[k]!.weights.data, layer.weights.data);
          compare(`layer ${k} bias (${layer.biasMode})`, grads.layers[k]!.bias.data, layer.bias.data);
          seen.activations.add(layer.activation.name);
          seen.biases.add(layer.biasMode);
        });
        compare("input", grads.input!.data, x.data);
        seen.losses.add(c.loss);
        seen.reductions.add(c.reduction);
        checked++;
        expect(failures).toEqual([]);
      }),
      { numRuns: 300, seed: 20261123 },
    );
    expect(checked).toBeGreaterThanOrEqual(200);
    expect([...seen.activations].sort()).toEqual([...ACTIVATION_NAMES].sort());
    expect([...seen.losses].sort()).toEqual([...LOSS_NAMES].sort());
    expect([...seen.reductions].sort()).toEqual([...REDUCTIONS].sort());
    expect([...seen.biases].sort()).toEqual(["none", "perNeuron", "shared"]);
  });
});

describe("gradient descent over the flat parameter block", () => {
  test("updates every weight and bias as a loop per matrix does, bit for bit, through the layers' views", () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const flat = buildNetwork(c.spec, "float64"),
          apart = buildNetwork(c.spec, "float64");
        // The layers are views into the block, in the order weights then bias, bottom layer first.
        expect(Array.from(flat.parameters!)).toEqual(flat.layers.flatMap((l) => [...l.weights.data, ...l.bias.data]));
        const x = fromRows("float64", c.inputs),
          t = fromRows("float64", c.targets);
        const objective: Objective = { loss: LOSSES[c.loss], reduction: c.reduction };
        const gradients = backward(flat, x, forward(flat, x), t, objective);
        expect(gradients.parameters).toBeDefined();
        sgdStep(flat, gradients, 0.1);
        // Without the blocks (as on the WebAssembly backend), the same update runs matrix by matrix.
        sgdStep({ ...apart, parameters: undefined }, { layers: gradients.layers }, 0.1);
        expect(flat.layers.map((l) => [Array.from(l.weights.data), Array.from(l.bias.data)])).toEqual(
          apart.layers.map((l) => [Array.from(l.weights.data), Array.from(l.bias.data)]),
        );
      }),
      { numRuns: 100, seed: 5 },
    );
  });
});

describe("a workspace, reused step after step", () => {
  test("gives, bit for bit, the values and gradients of fresh buffers on random networks", () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const fresh = buildNetwork(c.spec, "float64"),
          reused = buildNetwork(c.spec, "float64");
        const x = fromRows("float64", c.inputs),
          t = fromRows("float64", c.targets);
        const objective: Objective = { loss: LOSSES[c.loss], reduction: c.reduction };
        const workspace = createWorkspace(reused, x.rows, { inputGradient: true });
        for (let step = 0; step < 3; step++) {
          const want = forward(fresh, x),
            got = forward(reused, x, workspace);
          const wantGrads = backward(fresh, x, want, t, objective, { inputGradient: true });
          const gotGrads = backward(reused, x, got, t, objective, { workspace });
          // toEqual tells 0 from −0, so this is every bit that could differ but NaN payloads.
          expect(got.map((v) => [Array.from(v.z.data), Array.from(v.a.data)])).toEqual(want.map((v) => [Array.from(v.z.data), Array.from(v.a.data)]));
          const flat = (g: typeof wantGrads) => [
            ...g.layers.flatMap((l) => [l.da, l.dz, l.weights, l.bias].map((m) => Array.from(m.data))),
            Array.from(g.input!.data),
          ];
          expect(flat(gotGrads)).toEqual(flat(wantGrads));
          sgdStep(fresh, wantGrads, 0.1);
          sgdStep(reused, gotGrads, 0.1);
        }
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  test("refuses another network's workspace, another batch size, and an input gradient it has no room for", () => {
    const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: "relu", weights: [[1]], bias: { mode: "perNeuron", values: [0] } }] };
    const net = buildNetwork(spec, "float64"),
      other = buildNetwork(spec, "float64");
    const x = fromRows("float64", [[1], [2]]),
      t = fromRows("float64", [[0], [1]]);
    const objective: Objective = { loss: LOSSES.half_squared_error, reduction: "mean" };
    expect(() => forward(net, x, createWorkspace(other, 2))).toThrow("the workspace was created for another network");
    expect(() => forward(net, x, createWorkspace(net, 3))).toThrow("the workspace holds batches of 3 rows, got 2");
    const workspace = createWorkspace(net, 2);
    const values = forward(net, x, workspace);
    expect(() => backward(net, x, values, t, objective, { workspace, inputGradient: true })).toThrow("created without room for the input gradient");
    expect(backward(net, x, values, t, objective, { workspace }).input).toBeUndefined();
    const roomy = createWorkspace(net, 2, { inputGradient: true });
    expect(() => backward(net, x, forward(net, x, roomy), t, objective, { workspace: roomy, inputGradient: false })).toThrow("created with room");
  });

  test("refuses, by name, an input, targets or values whose shapes the layers would read past", () => {
    const spec: NetworkSpec = {
      inputs: 2,
      layers: [
        {
          units: 2,
          activation: "relu",
          weights: [
            [1, 1],
            [1, -1],
          ],
          bias: { mode: "perNeuron", values: [0, 0] },
        },
        { units: 1, activation: "identity", weights: [[1, 1]], bias: { mode: "perNeuron", values: [0] } },
      ],
    };
    const net = buildNetwork(spec, "float64");
    const objective: Objective = { loss: LOSSES.half_squared_error, reduction: "mean" };
    const x = fromRows("float64", [[1, 2]]),
      t = fromRows("float64", [[1]]);
    expect(() => forward(net, fromRows("float64", [[1, 2, 3]]))).toThrow("x is 1x3, expected 2 columns (the network's inputs)");
    const values = forward(net, x);
    expect(() => backward(net, fromRows("float64", [[1]]), values, t, objective)).toThrow("x is 1x1, expected 2 columns");
    expect(() => backward(net, x, values, fromRows("float64", [[1, 0]]), objective)).toThrow("the targets are 1x2, expected 1x1");
    expect(() => backward(net, x, values, fromRows("float64", [[1], [0]]), objective)).toThrow("the targets are 2x1, expected 1x1");
    // Values of a pass over two samples, differentiated as if over one.
    const two = forward(
      net,
      fromRows("float64", [
        [1, 2],
        [3, 4],
      ]),
    );
    expect(() => backward(net, x, two, t, objective)).toThrow("layer 1's z is 2x2, expected 1x2");
    expect(() => backward(net, x, values.slice(1), t, objective)).toThrow("expected the values of 2 layers, found 1");
  });

  test("writes into the workspace from values that are not its own, and differentiates those values", () => {
    const spec: NetworkSpec = {
      inputs: 1,
      layers: [
        { units: 1, activation: "relu", weights: [[1]], bias: { mode: "perNeuron", values: [0] } },
        { units: 1, activation: "identity", weights: [[1]], bias: { mode: "perNeuron", values: [0] } },
      ],
    };
    const net = buildNetwork(spec, "float64");
    const objective: Objective = { loss: LOSSES.half_squared_error, reduction: "mean" };
    const workspace = createWorkspace(net, 2);
    forward(net, fromRows("float64", [[1], [2]]), workspace);
    // Other inputs, forward on fresh buffers: the workspace's own values are now stale.
    const x = fromRows("float64", [[3], [5]]),
      t = fromRows("float64", [[0], [1]]);
    const values = forward(net, x);
    const got = backward(net, x, values, t, objective, { workspace });
    expect(got).toBe(workspace.gradients);
    // Every a equals x here: dL/dw₂ = mean((a₂ − t)·a₁) = ((3 − 0)·3 + (5 − 1)·5) / 2 = 14.5, and the stale a₁ = (1, 2) would give 5.5.
    expect(Array.from(got.layers[1]!.weights.data)).toEqual([14.5]);
  });
});

/** The random case as a problem file, as a user would write it. */
function problemFile(c: Case, steps: number) {
  return {
    network: {
      inputs: c.spec.inputs,
      layers: c.spec.layers.map((l) => ({
        units: l.units,
        activation: l.activation,
        weights: l.weights,
        ...(l.bias.mode === "perNeuron" ? { bias: l.bias.values } : l.bias.mode === "shared" ? { sharedBias: l.bias.value } : { bias: false }),
      })),
    },
    loss: { type: c.loss, reduction: c.reduction },
    data: { inputs: c.inputs, targets: c.targets },
    training: { learningRate: 0.1, steps },
    report: ["inputGradients"],
  };
}

describe("derivations on random networks", () => {
  test("every formula of every step evaluates to the traced value, and the solution renders", () => {
    let checked = 0;
    fc.assert(
      fc.property(caseArbitrary, fc.integer({ min: 0, max: 2 }), (c, steps) => {
        const problem = parseProblem(problemFile(c, steps));
        const trace = solve(problem);
        const deriver = new Deriver(problem, trace);
        const wrong = computedQuantities(problem).flatMap((q) => {
          const d = deriver.derive(q)!;
          const got = deriver.evaluate(d);
          return withinTolerance(got, d.value) ? [] : [`${JSON.stringify(q)}: ${got} ≠ ${d.value}`];
        });
        expect(wrong).toEqual([]);
        expect(renderSolutionText(buildSolution(problem, trace)).length).toBeGreaterThan(100);
        expect(renderSolutionText(buildSolution(problem, trace, { form: "matrix" })).length).toBeGreaterThan(100);
        checked++;
      }),
      { numRuns: 120, seed: 7 },
    );
    expect(checked).toBe(120);
  });
});
