/**
 * The register-tiled heart of the products: an MR×NR block of C held in eight
 * f32x4 registers while k packed columns stream past. V8 keeps one of
 * x86-64's 16 SIMD registers for itself and issues all of a step's loads
 * before its multiply-adds, so a step holds the eight accumulators, two B
 * vectors and four broadcasts of A at once: 14 of the 15. A 6×8 tile needs
 * 20 and spills (measured 18 GFLOP/s against 4×8's 30 in the same gemm).
 */

/** Rows of C one micro-kernel call computes. */
export const MR: i32 = 4;
/** Columns of C one micro-kernel call computes (two f32x4 vectors). */
export const NR: i32 = 8;

/**
 * a·b + c. The relaxed build lets the engine emit one fused multiply-add
 * where the hardware has it; the plain build rounds the product first.
 */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline function storeRow(c: usize, low: v128, high: v128, accumulate: bool): void {
  if (accumulate) {
    low = f32x4.add(v128.load(c), low);
    high = f32x4.add(v128.load(c, 16), high);
  }
  v128.store(c, low);
  v128.store(c, high, 16);
}

/**
 * C[0..MR, 0..NR] = (or +=, when `accumulate`) Ã·B̃ over `kc` steps, where
 * Ã holds MR values of A per step (packed by packA) and B̃ holds NR values
 * of B per step (packed by packB). `ldc` is C's row stride in floats.
 */
export function microKernel(pa: usize, pb: usize, kc: i32, c: usize, ldc: i32, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += <usize>MR << 2;
    pb += <usize>NR << 2;
  }
  const row = <usize>ldc << 2;
  storeRow(c, c00, c01, accumulate);
  storeRow(c + row, c10, c11, accumulate);
  storeRow(c + 2 * row, c20, c21, accumulate);
  storeRow(c + 3 * row, c30, c31, accumulate);
}
