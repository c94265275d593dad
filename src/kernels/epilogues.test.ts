import { beforeAll, describe, expect, test } from "vitest";
import { ACTIVATIONS } from "../engine/activations.js";
import { Rng } from "../engine/rng.js";
import { KERNEL_ACTIVATIONS, createKernels, type Kernels } from "./index.js";
import { ROUTE_CASES, expectClose, expectSameBits, float64, load, randomFloats } from "./test-fixtures.js";

/**
 * The fused element-wise passes on each route against the engine's
 * activations in float64. One evaluation of f or f' in float32 is good to a
 * few units in the last place, hence 1e-6·(1 + |want|); the bias add and the
 * column sums round once per term, hence the products' tolerance.
 */
const ELEMENTWISE = 1e-6;
const SHAPES = [
  [1, 1],
  [7, 13],
  [3, 4],
  [64, 100],
] as const;

/** z in [−8, 8) with exact zeros sprinkled in, where ReLU' is fixed at 0. */
function preActivations(rng: Rng, length: number): Float32Array {
  const z = randomFloats(rng, length, -8, 8);
  for (let i = 0; i < length; i += 5) z[i] = 0;
  return z;
}

/** What the engine computes in float64 for z += b, a = f(z). */
function engineForward(activation: (typeof KERNEL_ACTIVATIONS)[number], rows: number, cols: number, z: Float32Array, bias?: Float32Array) {
  const Z = float64(rows, cols, z),
    A = float64(rows, cols, new Float64Array(rows * cols));
  if (bias) for (let i = 0; i < Z.data.length; i++) Z.data[i]! += bias[i % cols]!;
  ACTIVATIONS[activation].forward(Z, A);
  return { z: Z.data, a: A.data };
}

describe.each(ROUTE_CASES)("$route route", ({ route, available }) => {
  let kernels: Kernels;
  beforeAll(async () => {
    kernels = await createKernels({ route });
  });
  const cases = KERNEL_ACTIVATIONS.flatMap((activation) => SHAPES.map(([rows, cols]) => ({ activation, rows, cols })));

  test.skipIf(!available).each(cases)("$activation forward with and without bias, $rows×$cols", ({ activation, rows, cols }) => {
    const rng = new Rng(rows * 1000 + cols);
    const z = preActivations(rng, rows * cols),
      bias = randomFloats(rng, cols);
    for (const b of [bias, undefined]) {
      const want = engineForward(activation, rows, cols, z, b);
      const Z = load(kernels, rows, cols, z),
        A = kernels.matrix(rows, cols);
      kernels.biasActivate(Z, b && load(kernels, 1, cols, b), A, activation);
      expectClose(Z.data, want.z, 1);
      expectClose(A.data, want.a, 1, ELEMENTWISE);
      // In place: a written over z.
      kernels.biasActivate(Z, undefined, Z, activation);
      expectClose(Z.data, want.a, 1, ELEMENTWISE);
    }
  });

  test.skipIf(!available).each(cases)("$activation backward, $rows×$cols", ({ activation, rows, cols }) => {
    const rng = new Rng(rows * 1000 + cols + 1);
    const z = preActivations(rng, rows * cols),
      da = randomFloats(rng, rows * cols);
    // a = f(z) rounded to float32, so the kernels and the oracle read the same a.
    const a = Float32Array.from(engineForward(activation, rows, cols, z).a);
    const want = float64(rows, cols, new Float64Array(rows * cols));
    ACTIVATIONS[activation].backward(float64(rows, cols, z), float64(rows, cols, a), float64(rows, cols, da), want);
    const Z = load(kernels, rows, cols, z),
      A = load(kernels, rows, cols, a),
      dA = load(kernels, rows, cols, da);
    const dZ = kernels.matrix(rows, cols);
    kernels.activationBackward(Z, A, dA, dZ, activation);
    expectClose(dZ.data, want.data, 1, ELEMENTWISE);
    // In place: dz written over da.
    kernels.activationBackward(Z, A, dA, dA, activation);
    expectClose(dA.data, want.data, 1, ELEMENTWISE);
  });

  test.skipIf(!available).each([
    [1, 1],
    [7, 13],
    [300, 257],
  ])("column sums of %i×%i", (rows, cols) => {
    const x = randomFloats(new Rng(rows + cols), rows * cols);
    const want = new Float64Array(cols);
    x.forEach((value, i) => (want[i % cols]! += value));
    const out = load(kernels, 1, cols, new Float32Array(cols).fill(NaN));
    kernels.columnSums(load(kernels, rows, cols, x), out);
    expectClose(out.data, want, rows);
  });

  /** Logits of every size the engine meets, rows of one repeated value, and rows of ±80, where exp(z − max) underflows float32. */
  const SOFTMAX_CASES = [
    { name: "1×1", rows: 1, cols: 1, z: (rng: Rng) => randomFloats(rng, 1, -8, 8) },
    { name: "7×13", rows: 7, cols: 13, z: (rng: Rng) => randomFloats(rng, 7 * 13, -8, 8) },
    { name: "1024×10", rows: 1024, cols: 10, z: (rng: Rng) => randomFloats(rng, 1024 * 10, -30, 30) },
    { name: "equal logits", rows: 2, cols: 5, z: () => new Float32Array(10).fill(3.5) },
    { name: "±80", rows: 3, cols: 4, z: (rng: Rng) => randomFloats(rng, 12, -80, 80) },
  ];

  test.skipIf(!available).each(SOFTMAX_CASES)("softmax of $name is the engine's float32 softmax, bit for bit", ({ rows, cols, z }) => {
    const logits = z(new Rng(rows * 31 + cols));
    const want = new Float32Array(rows * cols);
    ACTIVATIONS.softmax.forward({ rows, cols, data: logits }, { rows, cols, data: want });
    const Z = load(kernels, rows, cols, logits),
      A = kernels.matrix(rows, cols);
    kernels.softmax(Z, A);
    expectSameBits(A.data, want);
    expectSameBits(Z.data, logits);
    // In place: a written over z.
    kernels.softmax(Z, Z);
    expectSameBits(Z.data, want);
  });

  test.skipIf(!available)("rejects shapes that do not match, and softmax", () => {
    const m = (rows: number, cols: number) => kernels.matrix(rows, cols);
    expect(() => kernels.biasActivate(m(2, 3), m(1, 4), m(2, 3), "relu")).toThrow("bias has 4 entries (1x4), expected 3");
    expect(() => kernels.biasActivate(m(2, 3), undefined, m(3, 2), "relu")).toThrow("z and a must have one shape; got 2x3 and 3x2");
    expect(() => kernels.columnSums(m(2, 3), m(1, 2))).toThrow("out has 2 entries (1x2), expected 3");
    expect(() => kernels.softmax(m(2, 3), m(3, 2))).toThrow("z and a must have one shape; got 2x3 and 3x2");
    expect(() => kernels.biasActivate(m(1, 1), undefined, m(1, 1), "softmax" as never)).toThrow('no activation "softmax"');
  });
});
