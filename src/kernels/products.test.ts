import { beforeAll, describe, expect, test } from "vitest";
import { matmul, matmulTransA, matmulTransB } from "../engine/linalg.js";
import type { Matrix } from "../engine/matrix.js";
import { Rng } from "../engine/rng.js";
import { createKernels, type Kernels } from "./index.js";
import { MIN_THREADED_WORK } from "./wasm-kernels.js";
import type { KernelMatrix } from "./kernels.js";
import { ROUTE_CASES, expectClose, expectSameBits, float64, load, randomFloats, worstExcess } from "./test-fixtures.js";

/**
 * Each product on each route against engine/linalg.ts in float64, on shapes
 * that hit every edge of the blocking: 1×1, sizes off the 3×12 and 4×8
 * tiles, k cut into two slices of 392 and into three uneven ones (334, 334,
 * 333), m past one row block (128 or 129 rows), n past one column block
 * (1024 or 1032), k = 0, and a block of 129 rows by a slice of 400 that
 * fills packed A to its last float (the 3-row packing writes one past it).
 */
const SHAPES: readonly (readonly [m: number, k: number, n: number])[] = [
  [1, 1, 1],
  [7, 13, 5],
  [4, 16, 8],
  [3, 0, 2],
  [9, 300, 17],
  [130, 20, 1040],
  [128, 784, 256],
  [5, 1001, 9],
  [129, 800, 13],
];

type Product = "matmulTransB" | "matmulTransA" | "matmul";
type Oracle = (a: Matrix, b: Matrix, out: Matrix) => Matrix;

/** Each product, with its operands' shapes for out m×n and inner size k, and its oracle. */
const PRODUCTS: readonly { name: Product; a: (m: number, k: number) => [number, number]; b: (k: number, n: number) => [number, number]; oracle: Oracle }[] = [
  { name: "matmulTransB", a: (m, k) => [m, k], b: (k, n) => [n, k], oracle: matmulTransB },
  { name: "matmulTransA", a: (m, k) => [k, m], b: (k, n) => [k, n], oracle: matmulTransA },
  { name: "matmul", a: (m, k) => [m, k], b: (k, n) => [k, n], oracle: matmul },
];

/** One seeded case: float32 operands and the float64 product of exactly those numbers. */
function makeCase(product: (typeof PRODUCTS)[number], [m, k, n]: readonly [number, number, number], seed: number) {
  const rng = new Rng(seed);
  const [aRows, aCols] = product.a(m, k),
    [bRows, bCols] = product.b(k, n);
  const a = randomFloats(rng, aRows * aCols),
    b = randomFloats(rng, bRows * bCols);
  const want = product.oracle(float64(aRows, aCols, a), float64(bRows, bCols, b), float64(m, n, new Float64Array(m * n)));
  return { aShape: [aRows, aCols] as const, bShape: [bRows, bCols] as const, a, b, want: want.data };
}

const CASES = PRODUCTS.flatMap((product, p) => SHAPES.map((shape, s) => ({ product, shape, ...makeCase(product, shape, 1000 * p + s) })));

/** Every route on one thread, and the WebAssembly routes on two, where products past MIN_THREADED_WORK are split. */
const RUNS = ROUTE_CASES.flatMap((c) => (c.route === "js" ? [{ ...c, threads: 1 }] : [1, 2].map((threads) => ({ ...c, threads }))));

describe.each(RUNS)("$route route on $threads thread(s)", ({ route, available, threads }) => {
  let kernels: Kernels;
  beforeAll(async () => {
    kernels = await createKernels({ route, threads });
    return () => kernels.close();
  });

  test.skipIf(!available)(`runs on ${route} with ${threads} thread(s)`, () => {
    expect(kernels.route).toBe(route);
    expect(kernels.threads).toBe(threads);
  });

  test.skipIf(!available).each(CASES)("$product.name m×k×n = $shape", ({ product, shape: [m, k, n], aShape, bShape, a, b, want }) => {
    const A = load(kernels, ...aShape, a),
      B = load(kernels, ...bShape, b);
    // NaN everywhere first: the product must write every entry, not add to it.
    const out = load(kernels, m, n, new Float32Array(m * n).fill(NaN));
    expect(kernels[product.name](A, B, out)).toBe(out);
    expectClose(out.data, want, k);
    for (const matrix of [A, B, out]) kernels.free(matrix);
  });
});

describe("splitting a product between threads", () => {
  /** Split by columns (n ≥ m), by rows, with ragged last blocks, and with k cut into two slices and into three. */
  const SPLIT_SHAPES: readonly (readonly [m: number, k: number, n: number])[] = [
    [128, 784, 256],
    [261, 300, 77],
    [37, 129, 1030],
    [256, 128, 784],
    [64, 1001, 96],
  ];

  test.each(ROUTE_CASES.filter((c) => c.route !== "js" && c.available))("changes no bit of any product on $route", async ({ route }) => {
    const one = await createKernels({ route, threads: 1 }),
      two = await createKernels({ route, threads: 2 });
    expect(SPLIT_SHAPES.every(([m, k, n]) => m * n * k >= MIN_THREADED_WORK)).toBe(true);
    for (const product of PRODUCTS) {
      for (const shape of SPLIT_SHAPES) {
        const [m, , n] = shape;
        const { aShape, bShape, a, b } = makeCase(product, shape, 7);
        const [single, split] = [one, two].map((kernels) => {
          const out = kernels.matrix(m, n);
          kernels[product.name](load(kernels, ...aShape, a), load(kernels, ...bShape, b), out);
          return out.data.slice();
        });
        expectSameBits(split!, single!, `${product.name} ${shape.join("×")}`);
      }
    }
    await two.close();
  });
});

describe("the comparison itself", () => {
  const { want, shape } = CASES.find((c) => c.shape[0] === 7)!;
  const k = shape[1];

  test("passes float32 rounding of the exact product", () => {
    expect(worstExcess(Float32Array.from(want), want, k).excess).toBeLessThan(0.01);
  });

  test("fails one entry off by a thousandth, and any NaN", () => {
    const wrong = Float32Array.from(want);
    wrong[3]! += 1e-3 * (1 + Math.abs(want[3]!));
    expect(worstExcess(wrong, want, k)).toEqual({ excess: expect.any(Number), index: 3 });
    expect(worstExcess(wrong, want, k).excess).toBeGreaterThan(1);
    wrong[3] = NaN;
    expect(worstExcess(wrong, want, k).excess).toBe(Infinity);
  });
});

describe("shape checks, the same on every route", () => {
  test.each(ROUTE_CASES.filter((c) => c.available))("$route rejects mismatched or aliased operands", async ({ route }) => {
    const kernels = await createKernels({ route });
    const m = (rows: number, cols: number): KernelMatrix => kernels.matrix(rows, cols);
    expect(() => kernels.matmulTransB(m(2, 3), m(4, 5), m(2, 4))).toThrow("B has inner dimension 5, expected 3");
    expect(() => kernels.matmul(m(2, 3), m(3, 4), m(4, 2))).toThrow("out is 4x2, expected 2x4");
    const square = m(3, 3);
    expect(() => kernels.matmulTransA(square, m(3, 3), square)).toThrow("out must be a matrix other than A and B");
    expect(() => m(2.5, 3)).toThrow("got 2.5x3");
    expect(() => m(2, -1)).toThrow("got 2x-1");
  });
});
