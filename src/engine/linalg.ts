import type { Matrix } from "./matrix.js";

/**
 * The three products backpropagation needs, as one strided loop: a transpose
 * is only a swap of strides. Shapes are checked because a silent shape slip
 * here would corrupt every later value.
 */

/**
 * C = op(A)·op(B), with element (i, p) of op(A) at i·aRow + p·aCol and
 * element (p, j) of op(B) at p·bRow + j·bCol. Strides are plain numbers so
 * that a tiny network's step allocates nothing.
 */
function product(
  a: Matrix, aRow: number, aCol: number,
  b: Matrix, bRow: number, bCol: number,
  m: number, k: number, n: number, out: Matrix,
): Matrix {
  if (out.rows !== m || out.cols !== n) throw new RangeError(`out is ${out.rows}x${out.cols}, expected ${m}x${n}`);
  const A = a.data, B = b.data, C = out.data;
  for (let i = 0, rowA = 0, c = 0; i < m; i++, rowA += aRow) {
    for (let j = 0, colB = 0; j < n; j++, colB += bCol, c++) {
      // Products summed in input order, as z = w₁x₁ + w₂x₂ + … is written by hand.
      let sum = 0;
      for (let p = 0, ia = rowA, ib = colB; p < k; p++, ia += aCol, ib += bRow) sum += A[ia]! * B[ib]!;
      C[c] = sum;
    }
  }
  return out;
}

function expectInner(name: string, got: number, want: number): void {
  if (got !== want) throw new RangeError(`${name} has inner dimension ${got}, expected ${want}`);
}

/** out = A · Bᵀ, A: m×k, B: n×k. The forward product Z = A_prev · Wᵀ. */
export function matmulTransB(a: Matrix, b: Matrix, out: Matrix): Matrix {
  expectInner("B", b.cols, a.cols);
  return product(a, a.cols, 1, b, 1, b.cols, a.rows, a.cols, b.rows, out);
}

/** out = Aᵀ · B, A: k×m, B: k×n. The weight gradient dW = dZᵀ · A_prev. */
export function matmulTransA(a: Matrix, b: Matrix, out: Matrix): Matrix {
  expectInner("B", b.rows, a.rows);
  return product(a, 1, a.cols, b, b.cols, 1, a.cols, a.rows, b.cols, out);
}

/** out = A · B, A: m×k, B: k×n. The backward product dA_prev = dZ · W. */
export function matmul(a: Matrix, b: Matrix, out: Matrix): Matrix {
  expectInner("B", b.rows, a.cols);
  return product(a, a.cols, 1, b, b.cols, 1, a.rows, a.cols, b.cols, out);
}
