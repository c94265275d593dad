import { activationCode } from "./activation-codes.js";
import { Heap } from "./heap.js";
import type { KernelMatrix, Kernels } from "./kernels.js";
import type { WasmRoute } from "./routes.js";
import { dimensions, entries, productShape, sameShape, type ProductKind } from "./shapes.js";
import type { WasmMemory } from "./wasm-api.js";
import { WasmMatrix } from "./wasm-matrix.js";

/** What assembly/index.ts exports; every pointer is a byte address. */
export interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  scratchBytes(): number;
  gemm(m: number, n: number, k: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, scratch: number): void;
  biasActivate(z: number, bias: number, a: number, rows: number, cols: number, activation: number): void;
  activationBackward(z: number, a: number, da: number, dz: number, count: number, activation: number): void;
  columnSums(x: number, rows: number, cols: number, out: number): void;
  scaleAdd(y: number, a: number, x: number, b: number, count: number): void;
  adam(w: number, g: number, m: number, v: number, count: number, beta1: number, beta2: number, step: number, correction2: number, epsilon: number, keep: number): void;
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

/** Kernels running the compiled module `exports` on `route`. */
export function wasmKernels(exports: KernelExports, route: WasmRoute): Kernels {
  const heap = new Heap(exports.memory, exports.heapBase());
  const scratch = heap.allocate(exports.scratchBytes());

  /** `m`, checked to be a matrix these kernels made and have not freed. */
  const own = (m: KernelMatrix): WasmMatrix => {
    if (!(m instanceof WasmMatrix) || m.heap !== heap) throw new TypeError("a matrix passed to the kernels was not made by their matrix()");
    m.expectLive();
    return m;
  };
  const at = (m: KernelMatrix): number => own(m).address;

  const product = (kind: ProductKind) => (a: KernelMatrix, b: KernelMatrix, out: KernelMatrix): KernelMatrix => {
    const { m, k, n } = productShape(kind, a, b, out);
    const [aRow, aCol, bRow, bCol] = strides(kind, a, b);
    exports.gemm(m, n, k, at(a), aRow, aCol, at(b), bRow, bCol, at(out), scratch);
    return out;
  };

  return {
    route,
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
    columnSums(x, out) {
      entries("out", out, x.cols);
      exports.columnSums(at(x), x.rows, x.cols, at(out));
    },
    scaleAdd(y, a, x, b) {
      sameShape("y and x", y, x);
      exports.scaleAdd(at(y), a, at(x), b, y.rows * y.cols);
    },
    adam(w, g, m, v, rule) {
      sameShape("w, g, m and v", w, g, m, v);
      exports.adam(at(w), at(g), at(m), at(v), w.rows * w.cols, rule.beta1, rule.beta2, rule.step, rule.correction2, rule.epsilon, rule.keep);
    },
  };
}
