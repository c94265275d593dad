import { ACTIVATIONS, type ActivationName } from "./activations.js";
import { matmul, matmulTransA, matmulTransB } from "./linalg.js";
import { allocate, type DType, type Matrix } from "./matrix.js";
import { adamArrays, scaleAddArrays, type AdamRule } from "./updates.js";

/** The activations a backend applies element by element; softmax couples a row and stays in propagate.ts. */
export type ElementwiseActivation = Exclude<ActivationName, "softmax">;

/**
 * Where the matrix work of a forward and backward pass runs. The exercise
 * solver uses the TypeScript backend in float64; the trainer plugs in
 * WebAssembly kernels in float32. propagate.ts is the same for both.
 */
export interface Backend {
  readonly dtype: DType;
  /** A zero-filled rows×cols matrix in this backend's memory. */
  matrix(rows: number, cols: number): Matrix;
  /** out = A · Bᵀ: the forward product Z = A_prev · Wᵀ. */
  matmulTransB(a: Matrix, b: Matrix, out: Matrix): Matrix;
  /** out = Aᵀ · B: the weight gradient dW = dZᵀ · A_prev. */
  matmulTransA(a: Matrix, b: Matrix, out: Matrix): Matrix;
  /** out = A · B: the backward product dA_prev = dZ · W. */
  matmul(a: Matrix, b: Matrix, out: Matrix): Matrix;
  /** z += bias on every row (bias: 1 × z.cols) when given, then a = f(z); `a` may be `z`. */
  biasActivate(z: Matrix, bias: Matrix | undefined, a: Matrix, activation: ElementwiseActivation): void;
  /** dz = da ⊙ f′(z); `dz` may be `da`. */
  activationBackward(z: Matrix, a: Matrix, da: Matrix, dz: Matrix, activation: ElementwiseActivation): void;
  /** out[j] = Σ_i x[i, j] (out: 1 × x.cols): a bias gradient from dz. */
  columnSums(x: Matrix, out: Matrix): void;
  /** y = a·y + b·x element-wise: the SGD and momentum updates. */
  scaleAdd(y: Matrix, a: number, x: Matrix, b: number): void;
  /** One Adam update of w from its gradient g and moments m, v. */
  adam(w: Matrix, g: Matrix, m: Matrix, v: Matrix, rule: AdamRule): void;
}

/** A rows×cols matrix in `backend`'s memory holding `values` (row-major). */
export function matrixWith(backend: Backend, rows: number, cols: number, values: ArrayLike<number>): Matrix {
  const m = backend.matrix(rows, cols);
  m.data.set(values);
  return m;
}

/** The engine's own backend: plain TypeScript over Float64Array (exact) or Float32Array. */
export function typedBackend(dtype: DType): Backend {
  return {
    dtype,
    matrix: (rows, cols) => ({ rows, cols, data: allocate(dtype, rows * cols) }),
    matmulTransB,
    matmulTransA,
    matmul,
    biasActivate(z, bias, a, activation) {
      if (bias) {
        const Z = z.data, b = bias.data;
        for (let i = 0; i < z.rows; i++) for (let j = 0; j < z.cols; j++) Z[i * z.cols + j]! += b[j]!;
      }
      ACTIVATIONS[activation].forward(z, a);
    },
    activationBackward(z, a, da, dz, activation) {
      ACTIVATIONS[activation].backward(z, a, da, dz);
    },
    columnSums(x, out) {
      const X = x.data, sums = out.data;
      for (let j = 0; j < x.cols; j++) {
        let sum = 0;
        for (let i = 0; i < x.rows; i++) sum += X[i * x.cols + j]!;
        sums[j] = sum;
      }
    },
    scaleAdd: (y, a, x, b) => {
      scaleAddArrays(y.data, a, x.data, b);
    },
    adam: (w, g, m, v, rule) => {
      adamArrays(w.data, g.data, m.data, v.data, rule);
    },
  };
}
