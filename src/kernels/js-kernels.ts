import { ACTIVATIONS } from "../engine/activations.js";
import { matmul, matmulTransA, matmulTransB } from "../engine/linalg.js";
import { activationCode } from "./activation-codes.js";
import type { Kernels } from "./kernels.js";
import { adamArrays, scaleAddArrays } from "../engine/updates.js";
import { dimensions, entries, productShape, sameShape } from "./shapes.js";

/**
 * The route for runtimes without WebAssembly SIMD: the engine's own products
 * and activations over Float32Array, behind the same checks as the wasm
 * routes so a program behaves the same on either.
 */
export function jsKernels(): Kernels {
  return {
    route: "js",
    threads: 1,
    close: async () => {},
    matrix(rows, cols) {
      dimensions(rows, cols);
      return { rows, cols, data: new Float32Array(rows * cols) };
    },
    free() {
      // Garbage collection reclaims plain arrays.
    },
    matmulTransB(a, b, out) {
      productShape("transB", a, b, out);
      return matmulTransB(a, b, out) as typeof out;
    },
    matmulTransA(a, b, out) {
      productShape("transA", a, b, out);
      return matmulTransA(a, b, out) as typeof out;
    },
    matmul(a, b, out) {
      productShape("plain", a, b, out);
      return matmul(a, b, out) as typeof out;
    },
    biasActivate(z, bias, a, activation) {
      sameShape("z and a", z, a);
      activationCode(activation);
      if (bias) {
        entries("bias", bias, z.cols);
        const Z = z.data,
          b = bias.data;
        for (let i = 0; i < Z.length; i++) Z[i]! += b[i % z.cols]!;
      }
      ACTIVATIONS[activation].forward(z, a);
    },
    activationBackward(z, a, da, dz, activation) {
      sameShape("z, a, da and dz", z, a, da, dz);
      activationCode(activation);
      ACTIVATIONS[activation].backward(z, a, da, dz);
    },
    softmax(z, a) {
      sameShape("z and a", z, a);
      ACTIVATIONS.softmax.forward(z, a);
    },
    columnSums(x, out) {
      entries("out", out, x.cols);
      const X = x.data,
        sums = new Float64Array(x.cols);
      for (let i = 0; i < X.length; i++) sums[i % x.cols]! += X[i]!;
      out.data.set(sums);
    },
    scaleAdd(y, a, x, b) {
      sameShape("y and x", y, x);
      scaleAddArrays(y.data, a, x.data, b);
    },
    adam(w, g, m, v, rule) {
      sameShape("w, g, m and v", w, g, m, v);
      adamArrays(w.data, g.data, m.data, v.data, rule);
    },
  };
}
