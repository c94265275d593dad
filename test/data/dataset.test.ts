import { describe, expect, test } from "vitest";
import { Rng } from "../../src/engine/rng.js";
import { shuffledOrder, splitOff, subset, type Dataset } from "../../src/train/data/index.js";

/** 10 samples of 2 features: sample i is [i, −i], label i mod 3. */
const TEN: Dataset = {
  name: "ten",
  inputs: Float32Array.from({ length: 20 }, (_, k) => (k % 2 === 0 ? k / 2 : -(k - 1) / 2)),
  labels: Int32Array.from({ length: 10 }, (_, i) => i % 3),
  count: 10,
  features: 2,
  classes: 3,
  classNames: ["a", "b", "c"],
};

describe("shuffledOrder", () => {
  test("a permutation, the same for the same seed, different for another", () => {
    const order = shuffledOrder(100, new Rng(7));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(shuffledOrder(100, new Rng(7))).toEqual(order);
    expect(shuffledOrder(100, new Rng(8))).not.toEqual(order);
    expect([...order]).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  test("every order of 3 items about equally often (Fisher–Yates is unbiased)", () => {
    const rng = new Rng(1);
    const seen = new Map<string, number>();
    const trials = 6000;
    for (let t = 0; t < trials; t++) {
      const key = shuffledOrder(3, rng).join("");
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
    // Each count is binomial(6000, 1/6): mean 1000, standard deviation ≈ 29; allow 5 of them.
    for (const times of seen.values()) expect(Math.abs(times - trials / 6)).toBeLessThan(145);
  });

  test("empty and single orders", () => {
    expect(shuffledOrder(0, new Rng(1)).length).toBe(0);
    expect([...shuffledOrder(1, new Rng(1))]).toEqual([0]);
  });
});

describe("subset and splitOff", () => {
  test("subset copies the chosen rows and labels in order", () => {
    const picked = subset(TEN, [4, 0, 4]);
    expect(picked).toMatchObject({ name: "ten", count: 3, features: 2, classes: 3, classNames: ["a", "b", "c"] });
    expect([...picked.inputs]).toEqual([4, -4, 0, -0, 4, -4]);
    expect([...picked.labels]).toEqual([1, 0, 1]);
  });

  test("subset rejects an index outside the data set", () => {
    expect(() => subset(TEN, [10])).toThrow(RangeError);
    expect(() => subset(TEN, [-1])).toThrow(/outside 0…9/);
  });

  test("splitOff holds out round(fraction·count) samples, disjoint from the rest, reproducibly", () => {
    const { rest, held } = splitOff(TEN, 0.3, new Rng(42));
    expect(held.count).toBe(3);
    expect(rest.count).toBe(7);
    const ids = (d: Dataset): number[] => Array.from({ length: d.count }, (_, i) => d.inputs[i * 2]!);
    expect([...ids(held), ...ids(rest)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let i = 0; i < held.count; i++) expect(held.labels[i]).toBe(ids(held)[i]! % 3);
    const again = splitOff(TEN, 0.3, new Rng(42));
    expect(ids(again.held)).toEqual(ids(held));
  });

  test("splitOff rejects a fraction outside [0, 1]", () => {
    expect(() => splitOff(TEN, 1.5, new Rng(1))).toThrow(RangeError);
    expect(() => splitOff(TEN, Number.NaN, new Rng(1))).toThrow(RangeError);
  });
});
