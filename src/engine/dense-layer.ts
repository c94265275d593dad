import { activate, deltaOf, type ElementwiseActivation, type ElementwiseName } from "./activations.js";
import type { Backend } from "./backend.js";
import type { Matrix } from "./matrix.js";

/**
 * A dense layer's forward and backward pass on the TypeScript backend, each
 * one loop nest that writes every value the layer owns as it goes. A step of
 * an exercise-sized network is a few dozen multiplications, so a pass of its
 * own for the activation or the bias gradient, or a product that decides per
 * entry which epilogue it runs, costs more than the arithmetic does. Every sum
 * runs in the order linalg.ts's products use, so each value is the one the
 * separate products and activation passes give, bit for bit.
 *
 * For the same reason the loops trust the shapes they are given: the engine
 * calls them only through plans (workspace.ts) bound to buffers made to the
 * network's shapes, and checks an input, targets or values from elsewhere as
 * a pass starts (propagate.ts), not once per layer and product.
 */

/**
 * The layer under a dense layer in the backward pass: the backward product
 * writes that layer's da, and its dz = da ⊙ f′(z) follows from its z and
 * a = f(z) in the same pass.
 */
export interface LayerBelow {
  readonly z: Matrix;
  readonly a: Matrix;
  readonly dz: Matrix;
  readonly activation: ElementwiseActivation;
}

/**
 * z = input · Wᵀ (+ bias on every row) and a = f(z). `a` may be `z` when f
 * is the identity (a layer the engine finishes itself).
 */
export function denseForward(input: Matrix, weights: Matrix, bias: Matrix | undefined, z: Matrix, a: Matrix, activation: ElementwiseName): void {
  const m = input.rows,
    k = input.cols,
    n = weights.rows;
  const X = input.data,
    W = weights.data,
    B = bias?.data,
    Z = z.data,
    A = a.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += X[i * k + p]! * W[j * k + p]!;
      // The bias comes last and the sum is rounded once, on storing, as in linalg's matmulTransB.
      Z[i * n + j] = B === undefined ? sum : sum + B[j]!;
      // f reads z as stored, so float32 rounds z before f sees it, as a separate pass would.
      A[i * n + j] = activate(activation, Z[i * n + j]!);
    }
  }
}

/**
 * From the layer's dz: dW = dzᵀ · input and db[j] = Σ_i dz[i, j] (when `db`
 * is given) row by row of W; then dInput = dz · W (when given) and, when
 * `below` is given, the layer below's dz from each entry of dInput.
 */
export const denseBackward: Backend["denseBackward"] = (dz, input, weights, dW, db, dInput, below) => {
  const m = dz.rows,
    n = dz.cols,
    k = input.cols;
  const D = dz.data,
    X = input.data,
    G = dW.data,
    Gb = db?.data;
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < k; p++) {
      let sum = 0;
      for (let i = 0; i < m; i++) sum += D[i * n + j]! * X[i * k + p]!;
      G[j * k + p] = sum;
    }
    if (Gb === undefined) continue;
    let sum = 0;
    for (let i = 0; i < m; i++) sum += D[i * n + j]!;
    Gb[j] = sum;
  }
  if (!dInput) return;
  const W = weights.data,
    dA = dInput.data,
    Zb = below?.z.data,
    Ab = below?.a.data,
    dZb = below?.dz.data,
    f = below?.activation.name ?? "identity";
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += D[i * n + j]! * W[j * k + p]!;
      dA[i * k + p] = sum;
      if (dZb !== undefined) dZb[i * k + p] = deltaOf(f, Zb![i * k + p]!, Ab![i * k + p]!, dA[i * k + p]!);
    }
  }
};
