import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ACTIVATIONS, activate, deltaOf, type ElementwiseName } from "./activations.js";
import { denseBackward, denseForward } from "./dense-layer.js";
import { matmul, matmulTransA, matmulTransB } from "./linalg.js";
import { dtypeOf, fromRows, toRows, zeros, type DType, type Matrix } from "./matrix.js";

const ELEMENTWISE: readonly ElementwiseName[] = ["identity", "relu", "sigmoid", "tanh"];
const DTYPES: readonly DType[] = ["float64", "float32"];

/** Entries as they are, −0 and NaN told apart from 0. */
function entries(m: Matrix): string[] {
  return Array.from(m.data, (v) => (Object.is(v, -0) ? "-0" : String(v)));
}

/** A rows×cols matrix of values from -3 to 3, with exact zeros and −0 among them. */
const matrixOf = (dtype: DType, rows: number, cols: number) =>
  fc.array(fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(0, -0)), { minLength: rows * cols, maxLength: rows * cols }).map((values) =>
    fromRows(
      dtype,
      Array.from({ length: rows }, (_, i) => values.slice(i * cols, (i + 1) * cols)),
      cols,
    ),
  );

const layer = fc.record({
  m: fc.integer({ min: 1, max: 4 }),
  k: fc.integer({ min: 0, max: 5 }),
  n: fc.integer({ min: 1, max: 4 }),
  dtype: fc.constantFrom(...DTYPES),
  activation: fc.constantFrom(...ELEMENTWISE),
  withBias: fc.boolean(),
});

/** out[j] = Σ_i x[i, j], summed in row order: the bias gradient as a pass of its own. */
function columnSums(x: Matrix): Matrix {
  const out = zeros(dtypeOf(x.data), 1, x.cols);
  for (let j = 0; j < x.cols; j++) {
    let sum = 0;
    for (let i = 0; i < x.rows; i++) sum += x.data[i * x.cols + j]!;
    out.data[j] = sum;
  }
  return out;
}

describe("a dense layer's single pass equals the separate products and activation passes, bit for bit", () => {
  test("forward: z = x·Wᵀ + b and a = f(z)", () => {
    fc.assert(
      fc.property(
        layer.chain(({ m, k, n, dtype, activation, withBias }) =>
          fc.record({
            activation: fc.constant(activation),
            x: matrixOf(dtype, m, k),
            w: matrixOf(dtype, n, k),
            bias: withBias ? matrixOf(dtype, 1, n) : fc.constant(undefined),
          }),
        ),
        ({ activation, x, w, bias }) => {
          const dtype = dtypeOf(x.data);
          const zOne = zeros(dtype, x.rows, w.rows),
            aOne = zeros(dtype, x.rows, w.rows);
          denseForward(x, w, bias, zOne, aOne, activation);
          const z = zeros(dtype, x.rows, w.rows),
            a = zeros(dtype, x.rows, w.rows);
          matmulTransB(x, w, z, bias);
          ACTIVATIONS[activation].forward(z, a);
          expect(entries(zOne)).toEqual(entries(z));
          // In float32, f must see z as stored (rounded), as the separate pass does.
          expect(entries(aOne)).toEqual(entries(a));
        },
      ),
      { numRuns: 400 },
    );
  });

  test("backward: dW = dzᵀ·x, db = Σ_i dz, da = dz·W and the layer below's dz = da ⊙ f′(z)", () => {
    fc.assert(
      fc.property(
        layer.chain(({ m, k, n, dtype, activation }) =>
          fc.record({
            activation: fc.constant(activation),
            dz: matrixOf(dtype, m, n),
            x: matrixOf(dtype, m, k),
            w: matrixOf(dtype, n, k),
            zBelow: matrixOf(dtype, m, k),
          }),
        ),
        ({ activation, dz, x, w, zBelow }) => {
          const dtype = dtypeOf(dz.data),
            { rows: m, cols: n } = dz,
            k = x.cols;
          const aBelow = zeros(dtype, m, k);
          ACTIVATIONS[activation].forward(zBelow, aBelow);
          const dW = zeros(dtype, n, k),
            db = zeros(dtype, 1, n),
            da = zeros(dtype, m, k),
            dzBelow = zeros(dtype, m, k);
          denseBackward(dz, x, w, dW, db, da, { z: zBelow, a: aBelow, dz: dzBelow, activation: ACTIVATIONS[activation] });
          const dWApart = matmulTransA(dz, x, zeros(dtype, n, k)),
            daApart = matmul(dz, w, zeros(dtype, m, k)),
            dzApart = zeros(dtype, m, k);
          ACTIVATIONS[activation].backward(zBelow, aBelow, daApart, dzApart);
          expect(entries(dW)).toEqual(entries(dWApart));
          expect(entries(db)).toEqual(entries(columnSums(dz)));
          expect(entries(da)).toEqual(entries(daApart));
          expect(entries(dzBelow)).toEqual(entries(dzApart));
        },
      ),
      { numRuns: 400 },
    );
  });

  test("the first layer writes dL/dx with no layer below, and its gradients without dInput", () => {
    const dz = fromRows("float64", [[1, -2]]),
      x = fromRows("float64", [[3]]),
      w = fromRows("float64", [[0.5], [0.25]]);
    const dW = zeros("float64", 2, 1),
      dx = zeros("float64", 1, 1);
    denseBackward(dz, x, w, dW, undefined, dx, undefined);
    expect(toRows(dW)).toEqual([[3], [-6]]);
    expect(toRows(dx)).toEqual([[0]]);
    const untouched = zeros("float64", 2, 1);
    denseBackward(dz, x, w, untouched, undefined, undefined, undefined);
    expect(toRows(untouched)).toEqual([[3], [-6]]);
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
