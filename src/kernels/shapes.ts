import type { KernelMatrix } from "./kernels.js";

/**
 * Shape checks shared by every route, so that a slip fails the same way, with
 * a message naming the operand, whichever route runs.
 */

export type ProductKind = "transB" | "transA" | "plain";

/** The sizes of out (m×n) = op(A) (m×k) · op(B) (k×n). */
export interface ProductShape {
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

const shapeOf = (m: KernelMatrix): string => `${m.rows}x${m.cols}`;

function expect(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

export function productShape(kind: ProductKind, a: KernelMatrix, b: KernelMatrix, out: KernelMatrix): ProductShape {
  const shape =
    kind === "transB"
      ? { m: a.rows, k: a.cols, n: b.rows, bInner: b.cols }
      : kind === "transA"
        ? { m: a.cols, k: a.rows, n: b.cols, bInner: b.rows }
        : { m: a.rows, k: a.cols, n: b.cols, bInner: b.rows };
  expect(shape.bInner === shape.k, `B has inner dimension ${shape.bInner}, expected ${shape.k}`);
  expect(out.rows === shape.m && out.cols === shape.n, `out is ${shapeOf(out)}, expected ${shape.m}x${shape.n}`);
  // A product writes out while it still reads its inputs.
  expect(out !== a && out !== b, "out must be a matrix other than A and B");
  return { m: shape.m, k: shape.k, n: shape.n };
}

export function sameShape(names: string, first: KernelMatrix, ...rest: KernelMatrix[]): void {
  for (const m of rest) {
    expect(m.rows === first.rows && m.cols === first.cols, `${names} must have one shape; got ${shapeOf(first)} and ${shapeOf(m)}`);
  }
}

export function entries(name: string, m: KernelMatrix, want: number): void {
  expect(m.rows * m.cols === want, `${name} has ${m.rows * m.cols} entries (${shapeOf(m)}), expected ${want}`);
}

export function dimensions(rows: number, cols: number): void {
  const count = (n: number) => Number.isInteger(n) && n >= 0;
  expect(count(rows) && count(cols), `a matrix is rows×cols with whole numbers of rows and columns; got ${rows}x${cols}`);
}
