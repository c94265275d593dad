import { activationCode } from "./activation-codes.js";
import { Heap } from "./heap.js";
import type { KernelMatrix, Kernels } from "./kernels.js";
import type { ProductWorkers } from "./product-threads.js";
import type { WasmRoute } from "./routes.js";
import { dimensions, entries, productShape, sameShape, type ProductKind } from "./shapes.js";
import { cutProduct } from "./split.js";
import type { WasmMemory } from "./wasm-api.js";
import { WasmMatrix } from "./wasm-matrix.js";

/** What assembly/index.ts exports; every pointer is a byte address. */
export interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  scratchBytes(): number;
  tileRows(): number;
  tileColumns(): number;
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    aRow: number,
    aCol: number,
    b: number,
    bRow: number,
    bCol: number,
    c: number,
    ldc: number,
    scratch: number,
  ): void;
  biasActivate(z: number, bias: number, a: number, rows: number, cols: number, activation: number): void;
  activationBackward(z: number, a: number, da: number, dz: number, count: number, activation: number): void;
  softmax(z: number, a: number, rows: number, cols: number): void;
  columnSums(x: number, rows: number, cols: number, out: number): void;
  scaleAdd(y: number, a: number, x: number, b: number, count: number): void;
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    count: number,
    beta1: number,
    beta2: number,
    step: number,
    correction2: number,
    epsilon: number,
    keep: number,
  ): void;
}

/**
 * How the strided gemm reads each product's operands: element (i, p) of
 * op(A) is at i·aRow + p·aCol, so a transpose is a swap of strides, as in
 * engine/linalg.ts.
 */
function strides(kind: ProductKind, a: KernelMatrix, b: KernelMatrix): [aRow: number, aCol: number, bRow: number, bCol: number] {
  if (kind === "transB") return [a.cols, 1, 1, b.cols];
  if (kind === "transA") return [1, a.cols, b.cols, 1];
  return [a.cols, 1, b.cols, 1];
}

/**
 * Products with fewer multiply-adds stay on one thread: at ~30 GFLOP/s this
 * is ~30 µs of work, against a few µs to hand a block over and collect it.
 */
export const MIN_THREADED_WORK = 1 << 19;

/**
 * Parameter updates over fewer floats stay on one thread: an SGD step over
 * 32k floats takes ~10 µs and Adam's ~50, against ~1 µs to hand spans to a
 * worker that is still spinning after the backward pass's last product.
 */
export const MIN_THREADED_UPDATE = 1 << 15;

/** Spans of an update are multiples of 16 floats (a 64-byte cache line): threads share at most the line at each boundary. */
const SPAN_ALIGN = 16;

/**
 * More blocks than threads, claimed as each thread comes free: a worker that
 * wakes late or shares its core computes fewer, and the main thread is
 * never left waiting for a whole share. Each block packs the operand it
 * does not cut again, which costs little beside its products.
 */
const BLOCKS_PER_THREAD = 2;

/**
 * Kernels running the compiled module `exports` on `route`; with `workers`,
 * large products are split between the main thread and them.
 */
export function wasmKernels(exports: KernelExports, route: WasmRoute, workers?: ProductWorkers): Kernels {
  const heap = new Heap(exports.memory, exports.heapBase());
  const bytes = exports.scratchBytes();
  const scratch = heap.allocate(bytes);
  const threads = 1 + (workers?.count ?? 0);
  workers?.assignScratch(Array.from({ length: workers.count }, () => heap.allocate(bytes)));
  const run = exports.gemm.bind(exports);
  // Blocks cut on multiples of the micro-tile (which differs between routes) compute no ragged tile the whole product would not.
  const tileRows = exports.tileRows(),
    tileColumns = exports.tileColumns();

  /** C (m×n, at c) = op(A)·op(B); a large one cut into blocks that every thread claims from. */
  const gemm = (m: number, n: number, k: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number): void => {
    const cut = workers && m * n * k >= MIN_THREADED_WORK ? cutProduct(m, n, BLOCKS_PER_THREAD * threads, tileRows, tileColumns) : undefined;
    if (!workers || !cut || cut.count < 2) {
      run(m, n, k, a, aRow, aCol, b, bRow, bCol, c, n, scratch);
      return;
    }
    workers.compute([m, n, k, a, aRow, aCol, b, bRow, bCol, c, n], cut, exports, scratch);
  };

  /** Where an update of `count` floats is split between threads, its cut into spans; undefined where it runs on this one. */
  const spans = (count: number) => (workers && count >= MIN_THREADED_UPDATE ? cutProduct(1, count, BLOCKS_PER_THREAD * threads, 1, SPAN_ALIGN) : undefined);

  /** `m`, checked to be a matrix these kernels made and have not freed. */
  const own = (m: KernelMatrix): WasmMatrix => {
    if (!(m instanceof WasmMatrix) || m.heap !== heap) throw new TypeError("a matrix passed to the kernels was not made by their matrix()");
    m.expectLive();
    return m;
  };
  const at = (m: KernelMatrix): number => own(m).address;

  const product =
    (kind: ProductKind) =>
    (a: KernelMatrix, b: KernelMatrix, out: KernelMatrix): KernelMatrix => {
      const { m, k, n } = productShape(kind, a, b, out);
      const [aRow, aCol, bRow, bCol] = strides(kind, a, b);
      gemm(m, n, k, at(a), aRow, aCol, at(b), bRow, bCol, at(out));
      return out;
    };

  return {
    route,
    threads,
    close: async () => workers?.close(),
    matrix(rows, cols) {
      dimensions(rows, cols);
      return new WasmMatrix(heap, heap.allocate(rows * cols * Float32Array.BYTES_PER_ELEMENT), rows, cols);
    },
    free(m) {
      const matrix = own(m);
      matrix.release();
      heap.free(matrix.address, matrix.bytes);
    },
    matmulTransB: product("transB"),
    matmulTransA: product("transA"),
    matmul: product("plain"),
    biasActivate(z, bias, a, activation) {
      sameShape("z and a", z, a);
      if (bias) entries("bias", bias, z.cols);
      exports.biasActivate(at(z), bias ? at(bias) : 0, at(a), z.rows, z.cols, activationCode(activation));
    },
    activationBackward(z, a, da, dz, activation) {
      sameShape("z, a, da and dz", z, a, da, dz);
      exports.activationBackward(at(z), at(a), at(da), at(dz), z.rows * z.cols, activationCode(activation));
    },
    softmax(z, a) {
      sameShape("z and a", z, a);
      exports.softmax(at(z), at(a), z.rows, z.cols);
    },
    columnSums(x, out) {
      entries("out", out, x.cols);
      exports.columnSums(at(x), x.rows, x.cols, at(out));
    },
    scaleAdd(y, a, x, b) {
      sameShape("y and x", y, x);
      const count = y.rows * y.cols,
        cut = spans(count);
      if (cut) workers!.update({ kind: "scaleAdd", count, y: at(y), a, x: at(x), b }, cut, exports);
      else exports.scaleAdd(at(y), a, at(x), b, count);
    },
    adam(w, g, m, v, rule) {
      sameShape("w, g, m and v", w, g, m, v);
      const count = w.rows * w.cols,
        cut = spans(count);
      if (cut) workers!.update({ kind: "adam", count, w: at(w), g: at(g), m: at(m), v: at(v), rule }, cut, exports);
      else exports.adam(at(w), at(g), at(m), at(v), count, rule.beta1, rule.beta2, rule.step, rule.correction2, rule.epsilon, rule.keep);
    },
  };
}
