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

function expectOut(out: Matrix, rows: number, cols: number): void {
  if (out.rows !== rows || out.cols !== cols) throw new RangeError(`out is ${out.rows}x${out.cols}, expected ${rows}x${cols}`);
}

/**
 * out = A · Bᵀ (+ bias on every row), A: m×k, B: n×k, bias: 1×n. The forward
 * product Z = A_prev · Wᵀ + b.
 */
export function matmulTransB(a: Matrix, b: Matrix, out: Matrix, bias?: Matrix): Matrix {
  expectInner("B", b.cols, a.cols);
  const m = a.rows,
    k = a.cols,
    n = b.rows;
  expectOut(out, m, n);
  if (bias && bias.data.length !== n) throw new RangeError(`bias has ${bias.data.length} entries, expected ${n}`);
  const A = a.data,
    B = b.data,
    C = out.data,
    b0 = bias?.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += A[i * k + p]! * B[j * k + p]!;
      // The bias comes last, as in z = w·x + b; in float32, sum and bias are added in double precision and rounded once, on storing.
      C[i * n + j] = b0 === undefined ? sum : sum + b0[j]!;
    }
  }
  return out;
}

/** out = Aᵀ · B, A: k×m, B: k×n. The weight gradient dW = dZᵀ · A_prev. */
export function matmulTransA(a: Matrix, b: Matrix, out: Matrix): Matrix {
  expectInner("B", b.rows, a.rows);
  const m = a.cols,
    k = a.rows,
    n = b.cols;
  expectOut(out, m, n);
  const A = a.data,
    B = b.data,
    C = out.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += A[p * m + i]! * B[p * n + j]!;
      C[i * n + j] = sum;
    }
  }
  return out;
}

/** out = A · B, A: m×k, B: k×n. The backward product dA_prev = dZ · W. */
export function matmul(a: Matrix, b: Matrix, out: Matrix): Matrix {
  expectInner("B", b.rows, a.cols);
  const m = a.rows,
    k = a.cols,
    n = b.cols;
  expectOut(out, m, n);
  const A = a.data,
    B = b.data,
    C = out.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += A[i * k + p]! * B[p * n + j]!;
      C[i * n + j] = sum;
    }
  }
  return out;
}
