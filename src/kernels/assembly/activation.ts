/**
 * The element-wise activations of engine/activations.ts in float32: a = f(z)
 * and f'(z), written with z and a exactly as the engine writes them. The codes
 * are the indices of KERNEL_ACTIVATIONS in ../activation-codes.ts.
 */
export const IDENTITY: i32 = 0;
export const RELU: i32 = 1;
export const SIGMOID: i32 = 2;
export const TANH: i32 = 3;

/** Two branches so that exp never overflows, as in the engine. */
@inline function sigmoid(z: f32): f32 {
  if (z >= 0) return 1 / (1 + Mathf.exp(-z));
  const e = Mathf.exp(z);
  return e / (1 + e);
}

/** ReLU as a mask, so that NaN and −0 give 0 exactly as z > 0 ? z : 0 does. */
@inline function relu(z: v128): v128 {
  return v128.and(z, f32x4.gt(z, f32x4.splat(0)));
}

/** a = f(z) for `count` floats; `a` may be `z`. */
export function activate(z: usize, a: usize, count: i32, activation: i32): void {
  const end = <usize>count << 2, vectors = end & ~15;
  let offset: usize = 0;
  if (activation == IDENTITY) {
    if (a != z) memory.copy(a, z, end);
  } else if (activation == RELU) {
    for (; offset < vectors; offset += 16) v128.store(a + offset, relu(v128.load(z + offset)));
    for (; offset < end; offset += 4) store<f32>(a + offset, f32x4.extract_lane(relu(v128.load32_zero(z + offset)), 0));
  } else if (activation == SIGMOID) {
    for (; offset < end; offset += 4) store<f32>(a + offset, sigmoid(load<f32>(z + offset)));
  } else if (activation == TANH) {
    for (; offset < end; offset += 4) store<f32>(a + offset, Mathf.tanh(load<f32>(z + offset)));
  }
}

/** f'(z) from z and a, four lanes at a time. */
@inline function slope(z: v128, a: v128, activation: i32): v128 {
  const one = f32x4.splat(1);
  if (activation == RELU) return v128.and(one, f32x4.gt(z, f32x4.splat(0)));
  if (activation == SIGMOID) return f32x4.mul(a, f32x4.sub(one, a));
  if (activation == TANH) return f32x4.sub(one, f32x4.mul(a, a));
  return one;
}

/** dz = da ⊙ f'(z) for `count` floats; `dz` may be `da`. The tail runs the same vector formula on one lane. */
export function activationBackward(z: usize, a: usize, da: usize, dz: usize, count: i32, activation: i32): void {
  const end = <usize>count << 2, vectors = end & ~15;
  let offset: usize = 0;
  for (; offset < vectors; offset += 16) {
    const s = slope(v128.load(z + offset), v128.load(a + offset), activation);
    v128.store(dz + offset, f32x4.mul(v128.load(da + offset), s));
  }
  for (; offset < end; offset += 4) {
    const s = slope(v128.load32_zero(z + offset), v128.load32_zero(a + offset), activation);
    store<f32>(dz + offset, f32x4.extract_lane(f32x4.mul(v128.load32_zero(da + offset), s), 0));
  }
}
