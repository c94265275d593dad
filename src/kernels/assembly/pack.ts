import { MR, NR } from "./micro";

/**
 * Copies a block of an operand into the order the micro-kernel reads it:
 * contiguous, one panel of MR rows (or NR columns) after another, padded with
 * zeros past the edge so the micro-kernel never needs a shape test. Any
 * transpose is absorbed here as a swap of strides, as in engine/linalg.ts.
 *
 * A full panel is copied with vectors: directly where the operand already
 * runs along the panel, through 4×4 transposes where it runs along k.
 * Ragged panels, k's last steps short of four, and 3-wide panels that run
 * along the panel take the element-by-element path.
 */

/** An operand read through strides: element (i, p) is at base + 4·(i·row + p·col). */
@inline function at(base: usize, row: i32, col: i32, i: i32, p: i32): f32 {
  return load<f32>(base + ((<usize>i * row + <usize>p * col) << 2));
}

/** The address of element (i, p). */
@inline function address(base: usize, row: i32, col: i32, i: i32, p: i32): usize {
  return base + ((<usize>i * row + <usize>p * col) << 2);
}

/**
 * Writes the transpose of four rows of four floats (r0..r3, each four
 * consecutive k) as four groups of four: group q (k = q) goes to dst + q·stride.
 */
@inline function storeTransposed(dst: usize, stride: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/**
 * One panel of `width` lines of an operand (MR or NR: 3 or 12 in the
 * relaxed build, 4 or 8 in the plain one), kc steps long, where line l,
 * step p is at base + 4·(l·line + p·step): written as kc groups of `width`
 * floats. `lines` ≤ width are real; the rest are zero.
 */
@inline function packPanel(dst: usize, base: usize, line: i32, step: i32, lines: i32, kc: i32, width: i32): void {
  const group = <usize>width << 2;
  if (lines == width && line == 1) {
    // The panel's lines are adjacent floats: each step is `width` contiguous values.
    for (let p = 0; p < kc; p++) {
      const src = address(base, line, step, 0, p), out = dst + <usize>p * group;
      if (width % 4 == 0) {
        for (let l = 0; l < width; l += 4) v128.store(out + (<usize>l << 2), v128.load(src + (<usize>l << 2)));
      } else {
        // A vector load would read past the panel's last line, perhaps past the end of memory.
        for (let l = 0; l < width; l++) store<f32>(out + (<usize>l << 2), load<f32>(src + (<usize>l << 2)));
      }
    }
    return;
  }
  if (lines == width && step == 1) {
    // Each line runs along k: transpose 4 lines × 4 steps at a time. A
    // 3-line panel transposes a zero fourth line, and each group's store
    // spills that zero onto the next group's first float, which the next
    // store (or the next panel, or the scratch's slack) then overwrites.
    let p = 0;
    for (; p + 4 <= kc; p += 4) {
      for (let l = 0; l < width; l += 4) {
        storeTransposed(
          dst + <usize>p * group + (<usize>l << 2), group,
          v128.load(address(base, line, step, l, p)), v128.load(address(base, line, step, l + 1, p)),
          v128.load(address(base, line, step, l + 2, p)),
          l + 3 < width ? v128.load(address(base, line, step, l + 3, p)) : f32x4.splat(0),
        );
      }
    }
    for (; p < kc; p++) for (let l = 0; l < width; l++) store<f32>(dst + <usize>p * group + (<usize>l << 2), at(base, line, step, l, p));
    return;
  }
  for (let p = 0; p < kc; p++) {
    for (let l = 0; l < width; l++) store<f32>(dst + <usize>p * group + (<usize>l << 2), l < lines ? at(base, line, step, l, p) : 0);
  }
}

/** Packs rows i0..i0+mc, columns p0..p0+kc of A into panels of MR rows. */
export function packA(dst: usize, a: usize, aRow: i32, aCol: i32, i0: i32, mc: i32, p0: i32, kc: i32): void {
  for (let ir = 0; ir < mc; ir += MR) {
    packPanel(dst + (<usize>(ir * kc) << 2), address(a, aRow, aCol, i0 + ir, p0), aRow, aCol, min(MR, mc - ir), kc, MR);
  }
}

/** Packs rows p0..p0+kc, columns j0..j0+nc of B into panels of NR columns. */
export function packB(dst: usize, b: usize, bRow: i32, bCol: i32, p0: i32, kc: i32, j0: i32, nc: i32): void {
  for (let jr = 0; jr < nc; jr += NR) {
    packPanel(dst + (<usize>(jr * kc) << 2), address(b, bCol, bRow, j0 + jr, p0), bCol, bRow, min(NR, nc - jr), kc, NR);
  }
}
