import type { ElementwiseActivation } from "./activations.js";
import { denseBackward, denseForward, type LayerBelow } from "./dense-layer.js";
import { allocate, type DType, type Floats, type Matrix } from "./matrix.js";
import { adamArrays, scaleAddArrays, type AdamRule } from "./updates.js";

/**
 * Where the matrix work of a forward and backward pass runs, one dense layer
 * per call. The exercise solver uses the TypeScript backend in float64; the
 * trainer plugs in WebAssembly kernels in float32. propagate.ts is the same
 * for both. The engine calls `dense` and `denseBackward` only with matrices
 * whose shapes agree (it makes its buffers to the network's shapes, and
 * checks an input, targets or values from elsewhere before it binds them),
 * so the TypeScript backend does not check them again.
 */
export interface Backend {
  readonly dtype: DType;
  /** A zero-filled rows×cols matrix in this backend's memory. */
  matrix(rows: number, cols: number): Matrix;
  /**
   * Zero-filled matrices of the given shapes. Where the backend can, it lays
   * them end to end in one allocation and gives that as `flat`, so that an
   * update of every parameter of a network is one loop, not one per matrix.
   */
  matrices(shapes: readonly Shape[]): { readonly matrices: Matrix[]; readonly flat: Floats | undefined };
  /**
   * A dense layer forward: z = input · Wᵀ, plus `bias` (1 × units) on every
   * row when given, then a = f(z). `a` may be `z`.
   */
  dense(input: Matrix, weights: Matrix, bias: Matrix | undefined, z: Matrix, a: Matrix, activation: ElementwiseActivation): void;
  /**
   * A dense layer backward from its dz: dW = dzᵀ · input; db[j] = Σ_i dz[i, j]
   * when `db` is given; dInput = dz · W (the layer below's da, or dL/dx) when
   * `dInput` is given; and, when `below` is given, the layer below's
   * dz = dInput ⊙ f′(z) from its z and a.
   */
  denseBackward(dz: Matrix, input: Matrix, weights: Matrix, dW: Matrix, db: Matrix | undefined, dInput: Matrix | undefined, below?: LayerBelow): void;
  /**
   * a = softmax of each row of z, for a backend that computes it itself;
   * without it the engine does, in TypeScript. The kernels have their own
   * because V8's Math.exp made the engine's about 3× slower than theirs on
   * a batch of 1024 rows of 10.
   */
  softmax?(z: Matrix, a: Matrix): void;
  /** y = a·y + b·x element-wise: the SGD and momentum updates. */
  scaleAdd(y: Matrix, a: number, x: Matrix, b: number): void;
  /** One Adam update of w from its gradient g and moments m, v. */
  adam(w: Matrix, g: Matrix, m: Matrix, v: Matrix, rule: AdamRule): void;
}

export type Shape = readonly [rows: number, cols: number];

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
    matrices(shapes) {
      const flat = allocate(
        dtype,
        shapes.reduce((n, [rows, cols]) => n + rows * cols, 0),
      );
      let at = 0;
      const matrices = shapes.map(([rows, cols]) => ({ rows, cols, data: flat.subarray(at, (at += rows * cols)) }));
      return { matrices, flat };
    },
    dense(input, weights, bias, z, a, activation) {
      denseForward(input, weights, bias, z, a, activation.name);
    },
    denseBackward,
    scaleAdd: (y, a, x, b) => {
      scaleAddArrays(y.data, a, x.data, b);
    },
    adam: (w, g, m, v, rule) => {
      adamArrays(w.data, g.data, m.data, v.data, rule);
    },
  };
}
