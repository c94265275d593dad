import { describe, expect, test } from "vitest";
import { Deriver } from "../src/explain/derive.js";
import { computedQuantities } from "../src/explain/order.js";
import { formatPath } from "../src/json-path.js";
import { pathOf, quantityAt } from "../src/explain/quantity.js";
import { parseProblem, solve, withinTolerance } from "../src/index.js";
import { EXAMPLES_DIR, readCases } from "./cases.js";

describe("every derivation evaluates to the traced value", () => {
  for (const c of readCases(EXAMPLES_DIR)) {
    test(c.name, () => {
      const problem = parseProblem(c.json);
      const deriver = new Deriver(problem, solve(problem));
      const quantities = computedQuantities(problem);
      expect(quantities.length).toBeGreaterThan(10);
      const wrong = quantities.flatMap((q) => {
        const d = deriver.derive(q)!;
        const got = deriver.evaluate(d);
        return withinTolerance(got, d.value) ? [] : [`${formatPath(pathOf(problem, q))}: formula gives ${got}, trace has ${d.value}`];
      });
      expect(wrong).toEqual([]);
    });
  }
});

describe("trace paths and quantities map one to one", () => {
  for (const c of readCases(EXAMPLES_DIR)) {
    test(c.name, () => {
      const problem = parseProblem(c.json);
      const deriver = new Deriver(problem, solve(problem));
      for (const q of computedQuantities(problem)) {
        const path = formatPath(pathOf(problem, q));
        expect(quantityAt(deriver.values, path), path).toEqual(q);
      }
      expect(quantityAt(deriver.values, "steps[0].backward[9].weights[0][0]")).toBeUndefined();
      expect(quantityAt(deriver.values, "steps[0].forward[0]")).toBeUndefined();
    });
  }
});
