/**
 * Shared by the kernel tests (and left out of the build): the routes under
 * test, seeded operands, and the float32-against-float64 comparison.
 */
import { readdirSync, statSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { expect } from "vitest";
import type { Matrix } from "../engine/matrix.js";
import type { Rng } from "../engine/rng.js";
import type { KernelMatrix, Kernels } from "./kernels.js";
import { ROUTES, supports } from "./routes.js";
import { wasmUrl } from "./wasm-bytes.js";

// Node 20 validates relaxed SIMD only under this V8 flag; wasm features are
// read when a module is compiled, so setting it here lets these tests run
// the relaxed build. Newer runtimes have it on already.
setFlagsFromString("--experimental-wasm-relaxed-simd");

/** Fails loudly when the tests would run an old or missing build of assembly/. */
function expectFreshWasm(): void {
  const assembly = new URL("./assembly/", import.meta.url);
  const sources = [...readdirSync(assembly).map((name) => new URL(name, assembly)), new URL("./asconfig.json", import.meta.url)];
  const newestSource = Math.max(...sources.map((url) => statSync(url).mtimeMs));
  for (const [route, shared] of [
    ["simd", false],
    ["relaxed", false],
    ["simd", true],
    ["relaxed", true],
  ] as const) {
    const url = wasmUrl(route, shared);
    const built = statSync(url, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    if (built < newestSource) throw new Error(`${url.pathname} is missing or older than src/kernels/assembly/: run npm run build:wasm`);
  }
  // Worker threads run the built JavaScript even when the tests run the sources: both sides must speak the same protocol.
  for (const name of ["product-worker", "thread-control", "wasm-api"]) {
    const source = statSync(new URL(`./${name}.ts`, import.meta.url)).mtimeMs;
    const built = new URL(`../../dist/kernels/${name}.js`, import.meta.url);
    if ((statSync(built, { throwIfNoEntry: false })?.mtimeMs ?? 0) < source)
      throw new Error(`${built.pathname} is missing or older than its source: run npm run build`);
  }
}
expectFreshWasm();

/** Every route, and whether this process can run it (relaxed needs the flag above). */
export const ROUTE_CASES = ROUTES.map((route) => ({ route, available: supports(route) }));

/** Seeded values uniform in [−1, 1), rounded to float32 once so every route and the oracle see the same numbers. */
export function randomFloats(rng: Rng, length: number, low = -1, high = 1): Float32Array {
  return Float32Array.from({ length }, () => rng.uniform(low, high));
}

/** A kernel matrix holding `values`. */
export function load(kernels: Kernels, rows: number, cols: number, values: ArrayLike<number>): KernelMatrix {
  const m = kernels.matrix(rows, cols);
  m.data.set(values);
  return m;
}

/** The same numbers in float64, for the engine as oracle. */
export function float64(rows: number, cols: number, values: ArrayLike<number>): Matrix<Float64Array> {
  return { rows, cols, data: Float64Array.from(values) };
}

/**
 * How far `got` strays past float32 accuracy, in units of the tolerance
 * |got − want| ≤ scale·(1 + |want|)·√terms, where `terms` is how many
 * products each value sums: below 1 passes. Also names the worst index.
 */
export function worstExcess(got: ArrayLike<number>, want: ArrayLike<number>, terms: number, scale = 1e-4): { excess: number; index: number } {
  expect(got.length).toBe(want.length);
  let worst = { excess: 0, index: -1 };
  for (let i = 0; i < want.length; i++) {
    const diff = Math.abs(got[i]! - want[i]!);
    // A NaN is as wrong as a value can be; 0/0 (k = 0, exact) passes.
    const excess = Number.isNaN(diff) ? Infinity : diff === 0 ? 0 : diff / (scale * (1 + Math.abs(want[i]!)) * Math.sqrt(terms));
    if (excess > worst.excess) worst = { excess, index: i };
  }
  return worst;
}

/** Asserts `got` matches `want` within the tolerance of worstExcess. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, terms: number, scale?: number): void {
  const { excess, index } = worstExcess(got, want, terms, scale);
  const where = index < 0 ? "" : ` at ${index}: got ${got[index]}, want ${want[index]}`;
  expect(excess, `beyond tolerance${where}`).toBeLessThanOrEqual(1);
}

/**
 * Asserts `got` holds `want`'s floats bit for bit (NaN matching NaN, 0 told
 * apart from −0) and names the first that differs: a deep equality over
 * arrays this long spends minutes printing its diff when it fails.
 */
export function expectSameBits(got: ArrayLike<number>, want: ArrayLike<number>, what?: string): void {
  expect(got.length, what).toBe(want.length);
  let i = 0;
  while (i < want.length && Object.is(got[i], want[i])) i++;
  expect(i < want.length ? `entry ${i} is ${got[i]}, expected ${want[i]}` : "the same bits", what).toBe("the same bits");
}
