import { describe, expect, test } from "vitest";
import { createKernels } from "./index.js";
import { load } from "./test-fixtures.js";

/** Kernel matrices in WebAssembly memory: growth, reuse, and ownership. */
describe("matrices in WebAssembly memory", () => {
  test("keep their values when the memory grows, through a re-derived view", async () => {
    const kernels = await createKernels({ route: "simd", threads: 1 });
    const small = load(kernels, 2, 3, [1, 2, 3, 4, 5, 6]);
    const before = small.data;
    // 64 MiB: far past the initial memory, so it must grow and replace the buffer.
    const big = kernels.matrix(4096, 4096);
    expect(before.byteLength).toBe(0);
    expect(small.data === before).toBe(false);
    expect(Array.from(small.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(big.data.length).toBe(4096 * 4096);
    expect(big.data[big.data.length - 1]).toBe(0);
  });

  test("on shared memory (two threads), growth keeps old views, and a product split over the new pages is right", async () => {
    const kernels = await createKernels({ route: "simd", threads: 2 });
    expect(kernels.threads).toBe(2);
    const small = load(kernels, 2, 3, [1, 2, 3, 4, 5, 6]);
    const before = small.data;
    const big = kernels.matrix(4096, 4096);
    expect(Array.from(before)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(big.data.length).toBe(4096 * 4096);
    // A product large enough to be split, with its operands past the old end of memory.
    const a = load(kernels, 64, 64, new Float32Array(64 * 64).fill(1)),
      b = load(kernels, 64, 256, new Float32Array(64 * 256).fill(2));
    const out = kernels.matrix(64, 256);
    kernels.matmul(a, b, out);
    expect(new Set(out.data)).toEqual(new Set([128]));
    await kernels.close();
  });

  test("are zero-filled when a freed block is reused, and unusable once freed", async () => {
    const kernels = await createKernels({ route: "simd" });
    const first = load(kernels, 3, 5, new Float32Array(15).fill(7));
    const address = first.data.byteOffset;
    kernels.free(first);
    const second = kernels.matrix(5, 3);
    expect(second.data.byteOffset).toBe(address);
    expect(Array.from(second.data)).toEqual(new Array<number>(15).fill(0));
    expect(() => first.data).toThrow("used after free()");
    expect(() => kernels.free(first)).toThrow("used after free()");
  });

  test("belong to the kernels that made them", async () => {
    const [one, other] = await Promise.all([createKernels({ route: "simd" }), createKernels({ route: "simd" })]);
    const a = one.matrix(2, 2),
      out = one.matrix(2, 2);
    expect(() => one.matmul(a, other.matrix(2, 2), out)).toThrow("not made by their matrix()");
    expect(() => one.matmul(a, { rows: 2, cols: 2, data: new Float32Array(4) }, out)).toThrow("not made by their matrix()");
  });
});
