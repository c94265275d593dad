import { afterAll, beforeAll, expect, test } from "vitest";
import { Rng } from "../engine/rng.js";
import { createKernels } from "./index.js";
import type { KernelMatrix, Kernels } from "./kernels.js";
import { startProductWorkers, type ProductWorkers } from "./product-threads.js";
import { cutProduct } from "./split.js";
import { expectSameBits, load, randomFloats } from "./test-fixtures.js";
import { wasmApi } from "./wasm-api.js";
import { loadBytes, wasmUrl } from "./wasm-bytes.js";
import { MIN_THREADED_UPDATE, wasmKernels, type KernelExports } from "./wasm-kernels.js";

/** The threaded kernels built by hand, as createKernels does, keeping hold of the workers to look inside. */
let workers: ProductWorkers, kernels: Kernels, exports: KernelExports;
beforeAll(async () => {
  const api = wasmApi()!;
  const bytes = await loadBytes(wasmUrl("simd", true));
  const memory = new api.Memory({ initial: 1, maximum: 65536, shared: true });
  exports = (await api.instantiate(bytes, { env: { memory } })).instance.exports as KernelExports;
  workers = await startProductWorkers(bytes, memory, 1);
  kernels = wasmKernels(exports, "simd", workers);
});
afterAll(() => kernels.close());

test("the worker computes blocks of the products it shares, on pages the memory grew after it started", () => {
  const a = load(kernels, 128, 128, new Float32Array(128 * 128).fill(0.5)),
    b = load(kernels, 128, 256, new Float32Array(128 * 256).fill(2));
  const out = kernels.matrix(128, 256);
  // The memory started with one 64 KiB page; these were allocated past it.
  expect(out.data.byteOffset).toBeGreaterThan(65536);
  // The main thread may claim every block of a few products; over many, a worker that runs takes some.
  const before = workers.blocksDone()[0]!;
  for (let i = 0; i < 200 && workers.blocksDone()[0] === before; i++) kernels.matmul(a, b, out);
  expect(workers.blocksDone()[0]).toBeGreaterThan(before);
  expect(new Set(out.data)).toEqual(new Set([128]));
});

test("an update past MIN_THREADED_UPDATE is split with the worker and changes no bit of SGD's or Adam's results", async () => {
  const one = await createKernels({ route: "simd", threads: 1 });
  // 7 × 14,287 = 100,009 floats: spans of whole 16-float groups and a ragged last one.
  const [rows, cols] = [7, 14_287];
  expect(rows * cols).toBeGreaterThan(MIN_THREADED_UPDATE);
  const rng = new Rng(11);
  const start = [randomFloats(rng, rows * cols), randomFloats(rng, rows * cols), randomFloats(rng, rows * cols), randomFloats(rng, rows * cols, 0, 1)];
  const on = (k: Kernels): KernelMatrix[] => start.map((values) => load(k, rows, cols, values));
  const [split, whole] = [on(kernels), on(one)];
  const rule = { beta1: 0.9, beta2: 0.999, step: 0.01, correction2: 0.3, epsilon: 1e-8, keep: 0.999 };
  const before = workers.blocksDone()[0]!;
  // The main thread may claim every span of a few updates; over many, a worker that runs takes some.
  for (let i = 0; i < 200 && workers.blocksDone()[0] === before; i++) {
    for (const [k, [w, g, m, v]] of [
      [kernels, split],
      [one, whole],
    ] as const) {
      k.scaleAdd(w!, 0.999, g!, -0.05);
      k.adam(w!, g!, m!, v!, rule);
    }
  }
  expect(workers.blocksDone()[0]).toBeGreaterThan(before);
  split.forEach((matrix, i) => expectSameBits(matrix.data, whole[i]!.data, ["w", "g", "m", "v"][i]));
  expect(split[0]!.data.some((w, i) => w !== start[0]![i])).toBe(true);
  await one.close();
});

test("a product that fails is an error, not a hang, and leaves the threads unusable", () => {
  // Operands far past the end of memory: every thread's gemm traps.
  const outside = 2 ** 31;
  const product = [64, 64, 64, outside, 64, 1, outside, 64, 1, outside, 64] as const;
  expect(() => {
    workers.compute(product, cutProduct(64, 64, 4, 4, 8), exports, 0);
  }).toThrow();
  expect(() => {
    workers.compute(product, cutProduct(64, 64, 4, 4, 8), exports, 0);
  }).toThrow("cannot be used: a task failed");
});
