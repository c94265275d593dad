import { MR, NR } from "./micro";

/**
 * Copies a block of an operand into the order the micro-kernel reads it:
 * contiguous, one panel of MR rows (or NR columns) after another, padded with
 * zeros past the edge so the micro-kernel never needs a shape test. Any
 * transpose is absorbed here as a swap of strides, as in engine/linalg.ts.
 */

/** An operand read through strides: element (i, p) is at base + 4·(i·row + p·col). */
@inline function at(base: usize, row: i32, col: i32, i: i32, p: i32): f32 {
  return load<f32>(base + ((<usize>i * row + <usize>p * col) << 2));
}

/** Packs rows i0..i0+mc, columns p0..p0+kc of A into panels of MR rows. */
export function packA(dst: usize, a: usize, aRow: i32, aCol: i32, i0: i32, mc: i32, p0: i32, kc: i32): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    for (let p = 0; p < kc; p++) {
      for (let i = 0; i < MR; i++) {
        store<f32>(dst, i < rows ? at(a, aRow, aCol, i0 + ir + i, p0 + p) : 0);
        dst += 4;
      }
    }
  }
}

/** Packs rows p0..p0+kc, columns j0..j0+nc of B into panels of NR columns. */
export function packB(dst: usize, b: usize, bRow: i32, bCol: i32, p0: i32, kc: i32, j0: i32, nc: i32): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    for (let p = 0; p < kc; p++) {
      for (let j = 0; j < NR; j++) {
        store<f32>(dst, j < cols ? at(b, bRow, bCol, p0 + p, j0 + jr + j) : 0);
        dst += 4;
      }
    }
  }
}
