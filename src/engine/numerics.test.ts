import { describe, expect, test } from "vitest";
import { ACTIVATIONS, logSumExp, sigmoid } from "./activations.js";
import { LOSSES } from "./losses.js";
import { fromRows, zeros } from "./matrix.js";

const row = (...values: number[]) => Float64Array.from(values);

describe("softmax and cross-entropy at logits of ±1000", () => {
  const z = fromRows("float64", [[1000, -1000, 999]]);
  const a = zeros("float64", 1, 3);
  ACTIVATIONS.softmax.forward(z, a);

  test("softmax is max-shifted and sums to 1", () => {
    const want = [1 / (1 + Math.exp(-1)), 0, Math.exp(-1) / (1 + Math.exp(-1))];
    want.forEach((w, j) => expect(Math.abs(a.data[j]! - w)).toBeLessThanOrEqual(2e-16 * w));
  });

  test("the loss of a class whose probability underflows to 0 is finite and exact", () => {
    expect(logSumExp(z.data)).toEqual({ max: 1000, logSum: Math.log1p(Math.exp(-1)) });
    expect(LOSSES.cross_entropy.sample(a.data, z.data, row(0, 1, 0))).toBeCloseTo(2000 + Math.log1p(Math.exp(-1)), 9);
  });

  test("a zero target contributes 0 to the loss and to dL/da, even where a_j = 0", () => {
    expect(LOSSES.cross_entropy.sample(a.data, z.data, row(1, 0, 0))).toBeCloseTo(Math.log1p(Math.exp(-1)), 15);
    const da = new Float64Array(3);
    LOSSES.cross_entropy.gradient(a.data, row(1, 0, 0), da);
    expect(da[1]).toBe(0);
    expect(da[0]).toBeCloseTo(-1 / a.data[0]!, 15);
  });

  test("the combined gradient is a − t for one-hot targets", () => {
    const dz = new Float64Array(3);
    LOSSES.cross_entropy.combined!.gradient(a.data, row(0, 1, 0), dz);
    expect(Array.from(dz)).toEqual([a.data[0]!, -1, a.data[2]!]);
  });
});

describe("sigmoid and binary cross-entropy when the sigmoid saturates", () => {
  test("sigmoid is accurate in both tails", () => {
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-40)).toBeCloseTo(Math.exp(-40), 30);
    expect(sigmoid(0)).toBe(0.5);
  });

  test("the loss comes from z, so log(1 − a) never sees a = 1", () => {
    const z = row(40, -40);
    const a = row(sigmoid(40), sigmoid(-40));
    expect(a[0]).toBe(1);
    const loss = LOSSES.binary_cross_entropy.sample(a, z, row(0, 1));
    expect(loss).toBeCloseTo(80, 12);
    expect(Number.isFinite(LOSSES.binary_cross_entropy.sample(a, z, row(1, 0)))).toBe(true);
  });

  test("dL/da skips terms whose coefficient is 0 instead of computing 0/0", () => {
    const da = new Float64Array(1);
    LOSSES.binary_cross_entropy.gradient(row(1), row(1), da);
    expect(da[0]).toBe(-1);
  });
});

describe("activation derivatives", () => {
  test("ReLU's derivative at exactly 0 is 0", () => {
    expect(ACTIVATIONS.relu.slope(0, 0)).toBe(0);
    expect(ACTIVATIONS.relu.slope(1e-300, 1e-300)).toBe(1);
  });

  test("softmax backward is the Jacobian-vector product", () => {
    const z = fromRows("float64", [[0.3, -1.2, 2]]);
    const a = zeros("float64", 1, 3);
    ACTIVATIONS.softmax.forward(z, a);
    const da = fromRows("float64", [[0.5, -1, 2]]);
    const dz = zeros("float64", 1, 3);
    ACTIVATIONS.softmax.backward(z, a, da, dz);
    const A = Array.from(a.data),
      D = Array.from(da.data);
    const expected = A.map((aj, j) => A.reduce((s, ak, k) => s + (j === k ? aj * (1 - aj) : -aj * ak) * D[k]!, 0));
    Array.from(dz.data).forEach((v, j) => expect(v).toBeCloseTo(expected[j]!, 15));
  });
});
