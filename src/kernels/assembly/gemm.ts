import { MR, NR, microKernel } from "./micro";
import { packA, packB } from "./pack";

/**
 * C = A·B for strided A (m×k) and B (k×n) into C (m×n, rows ldc apart), blocked for the
 * caches as in GotoBLAS: a KC×NC slice of B is packed once and reused by
 * every row block; an MC×KC block of A stays in L2 while one KC×NR panel of
 * B stays in L1 across the MR-row micro-kernel calls.
 */

/**
 * The longest slice of k. k is cut into slices of equal length up to this,
 * not into full slices and a remainder: every slice after the first reads
 * and writes all of C again, and a short last one (784 = 3·256 + 16 cut
 * W2's first layer that way) pays that for few multiply-adds. At 400, a
 * slice's B panel and A panel (15 floats a step with the 3×12 tile, 24 KB;
 * 12 and 19 KB with 4×8) still fit the 32 KB L1 and its packed A block
 * (about 200 KB) the 512 KB L2 of the machine this was tuned on; 784 is two
 * slices of 392.
 */
const KC: i32 = 400;
/**
 * Rows of A packed at once: 128 rounded up to whole micro-panels, since
 * packA writes whole panels (129 rows with 3-row panels, which a 128-row
 * buffer would overflow), and so only an operand's last panel is ragged.
 */
const MC: i32 = (128 + MR - 1) / MR * MR;
/** Columns of B packed at once: 1024 rounded up to whole micro-panels, for the same reasons. */
const NC: i32 = (1024 + NR - 1) / NR * NR;
/**
 * A 3-row panel packed from rows along k spills one zero float past its end
 * (see packPanel), so packed A keeps 16 bytes of slack.
 */
const PACKED_A_BYTES: usize = (<usize>(MC * KC) << 2) + 16;
const PACKED_B_BYTES: usize = <usize>(KC * NC) << 2;
const TILE_BYTES: usize = <usize>(MR * NR) << 2;

/** The micro-tile's rows: a cut between threads on multiples of it computes no extra ragged tile. */
export function tileRows(): i32 {
  return MR;
}

/** The micro-tile's columns. */
export function tileColumns(): i32 {
  return NR;
}

/** The scratch space `gemm` needs: packed A, packed B and one edge tile. */
export function scratchBytes(): usize {
  return PACKED_A_BYTES + PACKED_B_BYTES + TILE_BYTES;
}

/** Writes (or adds) the `rows`×`cols` corner of a full tile at an edge of C. */
function mergeTile(tile: usize, c: usize, ldc: i32, rows: i32, cols: i32, accumulate: bool): void {
  for (let i = 0; i < rows; i++) {
    const src = tile + (<usize>(i * NR) << 2), dst = c + (<usize>(i * ldc) << 2);
    for (let j = 0; j < cols; j++) {
      const offset = <usize>j << 2;
      const value = load<f32>(src + offset);
      store<f32>(dst + offset, accumulate ? load<f32>(dst + offset) + value : value);
    }
  }
}

/**
 * C = A·B where A(i, p) is at a + 4·(i·aRow + p·aCol), B(p, j) at
 * b + 4·(p·bRow + j·bCol) and C(i, j) at c + 4·(i·ldc + j), so a thread can
 * compute a block of rows or columns of a larger C. C must not overlap A or
 * B: it is written while later slices of A and B are still being read.
 * Each C(i, j) sums its k products in the same order whatever block it is
 * computed in, so splitting C between threads changes no bit of it.
 */
export function gemm(
  m: i32, n: i32, k: i32,
  a: usize, aRow: i32, aCol: i32,
  b: usize, bRow: i32, bCol: i32,
  c: usize, ldc: i32, scratch: usize,
): void {
  if (k == 0) {
    for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * ldc) << 2), 0, <usize>n << 2);
    return;
  }
  const packedA = scratch, packedB = scratch + PACKED_A_BYTES, tile = packedB + PACKED_B_BYTES;
  const slices = (k + KC - 1) / KC, sliceLength = (k + slices - 1) / slices;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += sliceLength) {
      const kc = min(sliceLength, k - pc);
      // The first slice of k writes C; later slices add to it.
      const accumulate = pc > 0;
      packB(packedB, b, bRow, bCol, pc, kc, jc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(packedA, a, aRow, aCol, ic, mc, pc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr), pb = packedB + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir), pa = packedA + (<usize>(ir * kc) << 2);
            const cij = c + (<usize>((ic + ir) * ldc + jc + jr) << 2);
            if (rows == MR && cols == NR) {
              microKernel(pa, pb, kc, cij, ldc, accumulate);
            } else {
              microKernel(pa, pb, kc, tile, NR, false);
              mergeTile(tile, cij, ldc, rows, cols, accumulate);
            }
          }
        }
      }
    }
  }
}
