import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkClaims } from "../src/check/check.js";
import { readClaims } from "../src/check/claims.js";
import { computedQuantities } from "../src/explain/order.js";
import { evaluate } from "../src/explain/expr.js";
import { Deriver } from "../src/explain/derive.js";
import { pathOf, quantityKey, Values, type Quantity } from "../src/explain/quantity.js";
import { formatPath } from "../src/json-path.js";
import { parseProblem } from "../src/problem/parse.js";
import { solve } from "../src/solve/solve.js";
import { deepClaims, deepProblem } from "./worksheets/deep.js";

describe("a wrong upstream value carried forward is diagnosed", () => {
  const exercise = fc.record({
    inputs: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 3 }),
    hidden: fc.integer({ min: 1, max: 3 }),
    outputs: fc.integer({ min: 1, max: 2 }),
    activation: fc.constantFrom("sigmoid", "tanh"),
    seed: fc.integer({ min: 1, max: 1000 }),
    neuron: fc.nat(),
    input: fc.nat(),
    error: fc.double({ min: 0.05, max: 0.5, noNaN: true }),
    sign: fc.constantFrom(-1, 1),
  });

  test("∂E/∂h written wrong, then ∂E/∂w computed from it: carried forward", () => {
    fc.assert(
      fc.property(exercise, (e) => {
        const wave = (k: number) => Math.round(1000 * Math.sin(e.seed * 0.37 + 1.3 * k)) / 1000;
        const problem = parseProblem({
          network: {
            inputs: e.inputs.length,
            layers: [
              {
                units: e.hidden,
                activation: e.activation,
                weights: Array.from({ length: e.hidden }, (_, j) => e.inputs.map((_, i) => wave(j * 7 + i))),
                bias: wave(99),
              },
              {
                units: e.outputs,
                activation: "sigmoid",
                weights: Array.from({ length: e.outputs }, (_, j) => Array.from({ length: e.hidden }, (_, i) => wave(50 + j * 5 + i))),
                bias: 0.1,
              },
            ],
          },
          loss: { type: "half_squared_error", reduction: "mean" },
          data: { inputs: [e.inputs.map((x) => Math.round(x * 100) / 100)], targets: [Array.from({ length: e.outputs }, (_, j) => (j % 2 === 0 ? 1 : 0))] },
          training: { optimizer: "sgd", learningRate: 0.5, steps: 1 },
        });
        const trace = solve(problem);
        const deriver = new Deriver(problem, trace);
        const j = e.neuron % e.hidden,
          i = e.input % e.inputs.length;
        // Property order as a claim by path builds it, unlike the derivations' { ...neuron, kind }.
        const upstream: Quantity = { kind: "da", step: 0, layer: 0, sample: 0, j };
        const target: Quantity = { kind: "dw", step: 0, layer: 0, j, i };
        const exact = deriver.values.of(upstream);
        const wrote = (exact + e.sign * e.error * Math.max(1, Math.abs(exact))).toFixed(6);
        const carried = evaluate(deriver.derive(target)!.formula, (q) => (quantityKey(q) === quantityKey(upstream) ? Number(wrote) : deriver.values.of(q)));
        fc.pre(Math.abs(carried - deriver.values.of(target)) > 1e-4 && Math.abs(carried + deriver.values.of(target)) > 1e-4);
        const claims = readClaims([
          { path: formatPath(pathOf(problem, upstream)), printed: wrote },
          { path: formatPath(pathOf(problem, target)), printed: carried.toFixed(6) },
        ]);
        const downstream = checkClaims(problem, trace, claims).claims[1];
        expect(downstream!.verdict).toBe("disagrees");
        expect(downstream!.slip).toMatchObject({ kind: "carried-forward" });
      }),
      { numRuns: 60 },
    );
  });

  test("quantity keys do not depend on property order", () => {
    expect(quantityKey({ kind: "da", step: 0, layer: 1, sample: 2, j: 3 })).toBe(quantityKey({ step: 0, layer: 1, sample: 2, j: 3, kind: "da" }));
  });
});

describe("the checker's speed on the largest exercise", () => {
  test("16 wrong values in a 5-layer exercise: each derivation built at most once, well within a generous bound", () => {
    const problem = parseProblem(deepProblem());
    const trace = solve(problem);
    const values = new Values(problem, trace);
    const claims = readClaims(deepClaims(problem, (q) => values.of(q)));
    const started = performance.now();
    const result = checkClaims(problem, trace, claims);
    const elapsed = performance.now() - started;
    expect(result.claims.filter((c) => c.verdict === "disagrees")).toHaveLength(16);
    // Derivations are cached and replays stay within the target's step: before, the same 16 values re-derived
    // expanded expressions for up to a minute. Every computed quantity derived at most once:
    expect(result.solution.deriver.built).toBeLessThanOrEqual(computedQuantities(problem).length);
    // A bound 20 times what it takes on a busy 2-core machine, so that only a bad regression trips it.
    expect(elapsed).toBeLessThan(20_000);
  });
});
