import { activate, deltaOf, type ElementwiseActivation, type ElementwiseName } from "./activations.js";
import type { Matrix } from "./matrix.js";

/**
 * The three products backpropagation needs, each its own loop so that a tiny
 * exercise network pays for nothing it does not use. Every entry sums its
 * products in input order, as z = w₁x₁ + w₂x₂ + … is written by hand. Shapes
 * are checked because a silent shape slip here would corrupt every later
 * value.
 */

function expectInner(name: string, got: number, want: number): void {
  if (got !== want) throw new RangeError(`${name} has inner dimension ${got}, expected ${want}`);
}

function expectOut(out: Matrix, rows: number, cols: number, name = "out"): void {
  if (out.rows !== rows || out.cols !== cols) throw new RangeError(`${name} is ${out.rows}x${out.cols}, expected ${rows}x${cols}`);
}

/**
 * The layer under a dense layer in the backward pass: the backward product
 * dA = dZ · W writes that layer's da, and its dz = da ⊙ f′(z) follows from
 * its z and a = f(z) in the same pass.
 */
export interface LayerBelow {
  readonly z: Matrix;
  readonly a: Matrix;
  readonly dz: Matrix;
  readonly activation: ElementwiseActivation;
}

/**
 * out = A · Bᵀ (+ bias on every row), A: m×k, B: n×k, bias: 1×n, and, when
 * `activated` is given, activated = f(out) in the same pass, so that a tiny
 * layer is one loop. The forward product Z = A_prev · Wᵀ + b and A = f(Z).
 */
export function matmulTransB(a: Matrix, b: Matrix, out: Matrix, bias?: Matrix, activated?: Matrix, activation: ElementwiseName = "identity"): Matrix {
  expectInner("B", b.cols, a.cols);
  const m = a.rows, k = a.cols, n = b.rows;
  expectOut(out, m, n);
  if (bias && bias.data.length !== n) throw new RangeError(`bias has ${bias.data.length} entries, expected ${n}`);
  if (activated) expectOut(activated, m, n, "activated");
  const A = a.data, B = b.data, C = out.data, b0 = bias?.data, F = activated?.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += A[i * k + p]! * B[j * k + p]!;
      // The bias comes last, as in z = w·x + b; in float32, sum and bias are added in double precision and rounded once, on storing.
      C[i * n + j] = b0 === undefined ? sum : sum + b0[j]!;
      // f reads z as stored, so float32 rounds z before f sees it, as a separate pass would.
      if (F !== undefined) F[i * n + j] = activate(activation, C[i * n + j]!);
    }
  }
  return out;
}

/** out = Aᵀ · B, A: k×m, B: k×n. The weight gradient dW = dZᵀ · A_prev. */
export function matmulTransA(a: Matrix, b: Matrix, out: Matrix): Matrix {
  expectInner("B", b.rows, a.rows);
  const m = a.cols, k = a.rows, n = b.cols;
  expectOut(out, m, n);
  const A = a.data, B = b.data, C = out.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += A[p * m + i]! * B[p * n + j]!;
      C[i * n + j] = sum;
    }
  }
  return out;
}

/**
 * out = A · B, A: m×k, B: k×n, and, when `below` is given, that layer's dz
 * from each entry. The backward product dA_prev = dZ · W and
 * dZ_prev = dA_prev ⊙ f′(Z_prev).
 */
export function matmul(a: Matrix, b: Matrix, out: Matrix, below?: LayerBelow): Matrix {
  expectInner("B", b.rows, a.cols);
  const m = a.rows, k = a.cols, n = b.cols;
  expectOut(out, m, n);
  if (below) {
    expectOut(below.z, m, n, "z below");
    expectOut(below.a, m, n, "a below");
    expectOut(below.dz, m, n, "dz below");
  }
  const A = a.data, B = b.data, C = out.data, Z = below?.z.data, F = below?.a.data, D = below?.dz.data, f = below?.activation.name ?? "identity";
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += A[i * k + p]! * B[p * n + j]!;
      C[i * n + j] = sum;
      if (D !== undefined) D[i * n + j] = deltaOf(f, Z![i * n + j]!, F![i * n + j]!, C[i * n + j]!);
    }
  }
  return out;
}
