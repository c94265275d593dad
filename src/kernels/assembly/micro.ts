/**
 * The register-tiled heart of the products: an MR×NR block of C held in
 * f32x4 registers while k packed columns stream past. V8 keeps one of
 * x86-64's 16 SIMD registers for itself and issues all of a step's loads
 * before its multiply-adds, so the accumulators, a step's B vectors and its
 * broadcasts of A must fit in 15 at once.
 *
 * The relaxed build's tile is 3×12: nine accumulators, three B vectors and
 * three broadcasts, all 15, where relaxed_madd is one fused multiply-add
 * (a CPU without FMA would need a register more, as the plain build does). Nine independent chains hide the
 * multiply-add's latency where eight did not: alone, in L1, 3×12 ran 49-51
 * GFLOP/s and 4×8 43-46 against 51 for ten bare chains; 5×8 and 2×20 need
 * 17 registers, spill, and ran 20.
 *
 * The plain build multiplies and then adds, so each step needs a register
 * more for the product and 3×12 spills (18 GFLOP/s in the whole gemm); it
 * keeps 4×8: eight accumulators, two B vectors, four broadcasts (30 GFLOP/s).
 */

/** Rows of C one micro-kernel call computes. */
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 3 : 4;
/** Columns of C one micro-kernel call computes (three or two f32x4 vectors). */
export const NR: i32 = ASC_FEATURE_RELAXED_SIMD ? 12 : 8;

/**
 * a·b + c. The relaxed build lets the engine emit one fused multiply-add
 * where the hardware has it; the plain build rounds the product first.
 */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Stores (or adds, when `accumulate`) `vectors` f32x4 values as one row of C at `c`. */
@inline function storeRow(c: usize, accumulate: bool, vectors: i32, v0: v128, v1: v128, v2: v128): void {
  if (accumulate) {
    v0 = f32x4.add(v128.load(c), v0);
    v1 = f32x4.add(v128.load(c, 16), v1);
    if (vectors == 3) v2 = f32x4.add(v128.load(c, 32), v2);
  }
  v128.store(c, v0);
  v128.store(c, v1, 16);
  if (vectors == 3) v128.store(c, v2, 32);
}

/**
 * C[0..MR, 0..NR] = (or +=, when `accumulate`) Ã·B̃ over `kc` steps, where
 * Ã holds MR values of A per step (packed by packA) and B̃ holds NR values
 * of B per step (packed by packB). `ldc` is C's row stride in floats.
 */
export function microKernel(pa: usize, pb: usize, kc: i32, c: usize, ldc: i32, accumulate: bool): void {
  if (ASC_FEATURE_RELAXED_SIMD) fused3x12(pa, pb, kc, c, ldc, accumulate);
  else separate4x8(pa, pb, kc, c, ldc, accumulate);
}

@inline function fused3x12(pa: usize, pb: usize, kc: i32, c: usize, ldc: i32, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c22 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01); c02 = madd(a, b2, c02);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11); c12 = madd(a, b2, c12);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21); c22 = madd(a, b2, c22);
    pa += 12;
    pb += 48;
  }
  const row = <usize>ldc << 2;
  storeRow(c, accumulate, 3, c00, c01, c02);
  storeRow(c + row, accumulate, 3, c10, c11, c12);
  storeRow(c + 2 * row, accumulate, 3, c20, c21, c22);
}

@inline function separate4x8(pa: usize, pb: usize, kc: i32, c: usize, ldc: i32, accumulate: bool): void {
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
    pa += 16;
    pb += 32;
  }
  const row = <usize>ldc << 2, unused = f32x4.splat(0);
  storeRow(c, accumulate, 2, c00, c01, unused);
  storeRow(c + row, accumulate, 2, c10, c11, unused);
  storeRow(c + 2 * row, accumulate, 2, c20, c21, unused);
  storeRow(c + 3 * row, accumulate, 2, c30, c31, unused);
}
