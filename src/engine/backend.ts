import type { ElementwiseActivation } from "./activations.js";
import { matmul, matmulTransA, matmulTransB, type LayerBelow } from "./linalg.js";
import { allocate, type DType, type Matrix } from "./matrix.js";
import { adamArrays, scaleAddArrays, type AdamRule } from "./updates.js";

/**
 * Where the matrix work of a forward and backward pass runs, one dense layer
 * per call. The exercise solver uses the TypeScript backend in float64; the
 * trainer plugs in WebAssembly kernels in float32. propagate.ts is the same
 * for both.
 */
export interface Backend {
  readonly dtype: DType;
  /** A zero-filled rows×cols matrix in this backend's memory. */
  matrix(rows: number, cols: number): Matrix;
  /**
   * A dense layer forward: z = input · Wᵀ, plus `bias` (1 × units) on every
   * row when given, then a = f(z). `a` may be `z`.
   */
  dense(input: Matrix, weights: Matrix, bias: Matrix | undefined, z: Matrix, a: Matrix, activation: ElementwiseActivation): void;
  /** dz = da ⊙ f′(z); `dz` may be `da`. */
  activationBackward(z: Matrix, a: Matrix, da: Matrix, dz: Matrix, activation: ElementwiseActivation): void;
  /**
   * A dense layer backward from its dz: dW = dzᵀ · input; db[j] = Σ_i dz[i, j]
   * when `db` is given; dInput = dz · W (the layer below's da, or dL/dx) when
   * `dInput` is given; and, when `below` is given, the layer below's
   * dz = dInput ⊙ f′(z) from its z and a.
   */
  denseBackward(
    dz: Matrix,
    input: Matrix,
    weights: Matrix,
    dW: Matrix,
    db: Matrix | undefined,
    dInput: Matrix | undefined,
    below?: LayerBelow,
  ): void;
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

/** out[j] = Σ_i x[i, j] (out: 1 × x.cols): a bias gradient from dz. */
function columnSums(x: Matrix, out: Matrix): void {
  const X = x.data, sums = out.data;
  for (let j = 0; j < x.cols; j++) {
    let sum = 0;
    for (let i = 0; i < x.rows; i++) sum += X[i * x.cols + j]!;
    sums[j] = sum;
  }
}

/** The engine's own backend: plain TypeScript over Float64Array (exact) or Float32Array. */
export function typedBackend(dtype: DType): Backend {
  return {
    dtype,
    matrix: (rows, cols) => ({ rows, cols, data: allocate(dtype, rows * cols) }),
    dense(input, weights, bias, z, a, activation) {
      // The product applies f as it writes z: on an exercise-sized layer a second pass costs more than the arithmetic.
      matmulTransB(input, weights, z, bias, a === z && activation.name === "identity" ? undefined : a, activation.name);
    },
    activationBackward(z, a, da, dz, activation) {
      activation.backward(z, a, da, dz);
    },
    denseBackward(dz, input, weights, dW, db, dInput, below) {
      matmulTransA(dz, input, dW);
      if (db) columnSums(dz, db);
      if (dInput) matmul(dz, weights, dInput, below);
    },
    scaleAdd: (y, a, x, b) => {
      scaleAddArrays(y.data, a, x.data, b);
    },
    adam: (w, g, m, v, rule) => {
      adamArrays(w.data, g.data, m.data, v.data, rule);
    },
  };
}
