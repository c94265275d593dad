import type { Matrix } from "../engine/matrix.js";
import type { KernelActivation } from "./activation-codes.js";
import type { Route } from "./routes.js";
import type { AdamRule } from "../engine/updates.js";

/**
 * A float32 row-major matrix living where the kernels compute: in WebAssembly
 * memory on the wasm routes, so a product reads and writes it in place.
 * Growing that memory replaces its buffer, so read `data` again after
 * allocating rather than keeping an old view.
 */
export type KernelMatrix = Matrix<Float32Array>;

/**
 * The matrix products and element-wise passes of one training step, over
 * matrices made by `matrix`. Each product writes its whole `out`, which must
 * not be one of its inputs; the element-wise passes may write in place.
 */
export interface Kernels {
  /** The route these kernels run on. */
  readonly route: Route;
  /** How many threads compute a large product: the caller's and threads − 1 workers. */
  readonly threads: number;
  /** Stops the worker threads; the kernels must not be used afterwards. Idle workers never keep a process alive. */
  close(): Promise<void>;
  /** A zero-filled rows×cols matrix owned by these kernels. */
  matrix(rows: number, cols: number): KernelMatrix;
  /** Returns a matrix's memory for reuse; the matrix must not be used again. */
  free(matrix: KernelMatrix): void;
  /** out = A · Bᵀ, A: m×k, B: n×k. The forward product Z = A_prev · Wᵀ. */
  matmulTransB(a: KernelMatrix, b: KernelMatrix, out: KernelMatrix): KernelMatrix;
  /** out = Aᵀ · B, A: k×m, B: k×n. The weight gradient dW = dZᵀ · A_prev. */
  matmulTransA(a: KernelMatrix, b: KernelMatrix, out: KernelMatrix): KernelMatrix;
  /** out = A · B, A: m×k, B: k×n. The backward product dA_prev = dZ · W. */
  matmul(a: KernelMatrix, b: KernelMatrix, out: KernelMatrix): KernelMatrix;
  /**
   * The forward epilogue: z += b on every row (when `bias` is given; it holds
   * one entry per column of z), then a = f(z). `a` may be `z`.
   */
  biasActivate(z: KernelMatrix, bias: KernelMatrix | undefined, a: KernelMatrix, activation: KernelActivation): void;
  /** dz = da ⊙ f'(z), with f' written with z and a as in the engine. `dz` may be `da`. */
  activationBackward(z: KernelMatrix, a: KernelMatrix, da: KernelMatrix, dz: KernelMatrix, activation: KernelActivation): void;
  /** a = softmax of each row of z, computed as the engine computes it in float32 (see assembly/softmax.ts). `a` may be `z`. */
  softmax(z: KernelMatrix, a: KernelMatrix): void;
  /** out[j] = Σ_i x[i, j]: the bias gradient db from dz. `out` holds x.cols entries. */
  columnSums(x: KernelMatrix, out: KernelMatrix): void;
  /** y = a·y + b·x, element-wise: SGD and momentum updates. */
  scaleAdd(y: KernelMatrix, a: number, x: KernelMatrix, b: number): void;
  /** One Adam update of w from its gradient g and moments m, v (see engine/updates.ts). */
  adam(w: KernelMatrix, g: KernelMatrix, m: KernelMatrix, v: KernelMatrix, rule: AdamRule): void;
}
