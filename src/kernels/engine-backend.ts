import type { Backend } from "../engine/backend.js";
import type { Matrix } from "../engine/matrix.js";
import { createKernels, type KernelMatrix, type KernelOptions, type Kernels } from "./index.js";

/** The kernels compute in float32 only; every matrix they see was made by them. */
function own(m: Matrix): KernelMatrix {
  if (!(m.data instanceof Float32Array)) throw new TypeError("the WebAssembly backend computes on float32 matrices it allocated");
  return m as KernelMatrix;
}

/** The WebAssembly kernels as the engine's float32 backend: the same propagate.ts, faster products. */
export function kernelBackend(kernels: Kernels): Backend & Pick<Kernels, "route" | "threads" | "close"> {
  return {
    dtype: "float32",
    route: kernels.route,
    threads: kernels.threads,
    close: () => kernels.close(),
    matrix: (rows, cols) => kernels.matrix(rows, cols),
    // Each kernel matrix is an allocation of its own in WebAssembly memory; the optimizer updates them one by one there.
    matrices: (shapes) => ({ matrices: shapes.map(([rows, cols]) => kernels.matrix(rows, cols)), flat: undefined }),
    dense: (input, weights, bias, z, a, activation) => {
      kernels.matmulTransB(own(input), own(weights), own(z));
      kernels.biasActivate(own(z), bias && own(bias), own(a), activation.name);
    },
    denseBackward: (dz, input, weights, dW, db, dInput, below) => {
      kernels.matmulTransA(own(dz), own(input), own(dW));
      if (db) kernels.columnSums(own(dz), own(db));
      if (!dInput) return;
      kernels.matmul(own(dz), own(weights), own(dInput));
      if (below) kernels.activationBackward(own(below.z), own(below.a), own(dInput), own(below.dz), below.activation.name);
    },
    softmax: (z, a) => {
      kernels.softmax(own(z), own(a));
    },
    scaleAdd: (y, a, x, b) => {
      kernels.scaleAdd(own(y), a, own(x), b);
    },
    adam: (w, g, m, v, rule) => {
      kernels.adam(own(w), own(g), own(m), own(v), rule);
    },
  };
}

/** The fastest backend this runtime supports (relaxed SIMD, SIMD, or TypeScript in float32), on `options.threads` threads. */
export async function fastBackend(options: KernelOptions = {}): Promise<ReturnType<typeof kernelBackend>> {
  return kernelBackend(await createKernels(options));
}
