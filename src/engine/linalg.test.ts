import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ACTIVATIONS, activate, deltaOf, type ElementwiseName } from "./activations.js";
import { matmul, matmulTransB } from "./linalg.js";
import { fromRows, zeros, type DType, type Matrix } from "./matrix.js";

const ELEMENTWISE: readonly ElementwiseName[] = ["identity", "relu", "sigmoid", "tanh"];
const DTYPES: readonly DType[] = ["float64", "float32"];

/** Entries as they are, −0 and NaN told apart from 0. */
function entries(m: Matrix): string[] {
  return Array.from(m.data, (v) => (Object.is(v, -0) ? "-0" : String(v)));
}

/** A rows×cols matrix of values from -3 to 3, with exact zeros and −0 among them. */
const matrixOf = (dtype: DType, rows: number, cols: number) =>
  fc
    .array(fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(0, -0)), { minLength: rows * cols, maxLength: rows * cols })
    .map((values) => fromRows(dtype, Array.from({ length: rows }, (_, i) => values.slice(i * cols, (i + 1) * cols)), cols));

const product = fc.record({
  m: fc.integer({ min: 1, max: 4 }),
  k: fc.integer({ min: 0, max: 5 }),
  n: fc.integer({ min: 1, max: 4 }),
  dtype: fc.constantFrom(...DTYPES),
  activation: fc.constantFrom(...ELEMENTWISE),
});

describe("a product's activation epilogue is the separate pass, bit for bit", () => {
  test("forward: z = A·Bᵀ + b and a = f(z) in one pass", () => {
    fc.assert(
      fc.property(
        product.chain(({ m, k, n, dtype, activation }) =>
          fc.record({ activation: fc.constant(activation), a: matrixOf(dtype, m, k), b: matrixOf(dtype, n, k), bias: matrixOf(dtype, 1, n) }),
        ),
        ({ activation, a, b, bias }) => {
          const dtype = a.data instanceof Float64Array ? "float64" : "float32";
          const zFused = zeros(dtype, a.rows, b.rows), aFused = zeros(dtype, a.rows, b.rows);
          matmulTransB(a, b, zFused, bias, aFused, activation);
          const z = zeros(dtype, a.rows, b.rows), out = zeros(dtype, a.rows, b.rows);
          matmulTransB(a, b, z, bias);
          ACTIVATIONS[activation].forward(z, out);
          expect(entries(zFused)).toEqual(entries(z));
          // In float32, f must see z as stored (rounded), as the separate pass does.
          expect(entries(aFused)).toEqual(entries(out));
        },
      ),
      { numRuns: 400 },
    );
  });

  test("backward: da = dZ·W and the layer below's dz = da ⊙ f′(z) in one pass", () => {
    fc.assert(
      fc.property(
        product.chain(({ m, k, n, dtype, activation }) =>
          fc.record({
            activation: fc.constant(activation),
            dz: matrixOf(dtype, m, k),
            w: matrixOf(dtype, k, n),
            zBelow: matrixOf(dtype, m, n),
          }),
        ),
        ({ activation, dz, w, zBelow }) => {
          const dtype = dz.data instanceof Float64Array ? "float64" : "float32";
          const aBelow = zeros(dtype, zBelow.rows, zBelow.cols);
          ACTIVATIONS[activation].forward(zBelow, aBelow);
          const daFused = zeros(dtype, dz.rows, w.cols), dzFused = zeros(dtype, dz.rows, w.cols);
          matmul(dz, w, daFused, { z: zBelow, a: aBelow, dz: dzFused, activation: ACTIVATIONS[activation] });
          const da = zeros(dtype, dz.rows, w.cols), dzBelow = zeros(dtype, dz.rows, w.cols);
          matmul(dz, w, da);
          ACTIVATIONS[activation].backward(zBelow, aBelow, da, dzBelow);
          expect(entries(daFused)).toEqual(entries(da));
          expect(entries(dzFused)).toEqual(entries(dzBelow));
        },
      ),
      { numRuns: 400 },
    );
  });

  test("an epilogue matrix of the wrong shape is refused by name", () => {
    const a = fromRows("float64", [[1, 2]]), b = fromRows("float64", [[1, 1], [2, 2]]);
    expect(() => matmulTransB(a, b, zeros("float64", 1, 2), undefined, zeros("float64", 2, 1), "relu")).toThrow("activated is 2x1, expected 1x2");
    expect(() =>
      matmul(a, b, zeros("float64", 1, 2), { z: zeros("float64", 1, 2), a: zeros("float64", 1, 2), dz: zeros("float64", 1, 3), activation: ACTIVATIONS.relu }),
    ).toThrow("dz below is 1x3, expected 1x2");
  });
});

describe("the scalar rules", () => {
  test("each activation is its textbook function", () => {
    for (const z of [-2.5, -1e-300, 0, 1e-300, 0.75, 40]) {
      expect(activate("identity", z)).toBe(z);
      expect(activate("relu", z)).toBe(Math.max(0, z));
      expect(Math.abs(activate("sigmoid", z) - 1 / (1 + Math.exp(-z)))).toBeLessThanOrEqual(1e-16);
      expect(activate("tanh", z)).toBe(Math.tanh(z));
    }
  });

  test("ReLU blocks a negative or infinite da to 0, as written by hand, not to −0 or NaN", () => {
    expect(Object.is(deltaOf("relu", -1, 0, -2), 0)).toBe(true);
    expect(Object.is(deltaOf("relu", 0, 0, -Infinity), 0)).toBe(true);
    expect(deltaOf("relu", 2, 2, -2)).toBe(-2);
    expect(Number.isNaN(deltaOf("identity", 1, 1, NaN))).toBe(true);
  });
});
