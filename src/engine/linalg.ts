import type { Matrix } from "./matrix.js";

/**
 * The three products backpropagation needs, written once for any storage.
 * Shapes are checked because a silent shape slip here would corrupt every
 * later value.
 */

function expectShape(name: string, m: Matrix, rows: number, cols: number): void {
  if (m.rows !== rows || m.cols !== cols) {
    throw new RangeError(`${name} is ${m.rows}x${m.cols}, expected ${rows}x${cols}`);
  }
}

/** out = A · Bᵀ, A: m×k, B: n×k, out: m×n. The forward product Z = A_prev · Wᵀ. */
export function matmulTransB(a: Matrix, b: Matrix, out: Matrix): Matrix {
  const { rows: m, cols: k } = a;
  const n = b.rows;
  expectShape("B", b, n, k);
  expectShape("out", out, m, n);
  const A = a.data, B = b.data, C = out.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += A[i * k + p]! * B[j * k + p]!;
      C[i * n + j] = sum;
    }
  }
  return out;
}

/** out = Aᵀ · B, A: k×m, B: k×n, out: m×n. The weight gradient dW = dZᵀ · A_prev. */
export function matmulTransA(a: Matrix, b: Matrix, out: Matrix): Matrix {
  const { rows: k, cols: m } = a;
  const n = b.cols;
  expectShape("B", b, k, n);
  expectShape("out", out, m, n);
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

/** out = A · B, A: m×k, B: k×n, out: m×n. The backward product dA_prev = dZ · W. */
export function matmul(a: Matrix, b: Matrix, out: Matrix): Matrix {
  const { rows: m, cols: k } = a;
  const n = b.cols;
  expectShape("B", b, k, n);
  expectShape("out", out, m, n);
  const A = a.data, B = b.data, C = out.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += A[i * k + p]! * B[p * n + j]!;
      C[i * n + j] = sum;
    }
  }
  return out;
}
