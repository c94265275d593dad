/**
 * The element-wise activations of engine/activations.ts in float32: a = f(z)
 * and f'(z), written with z and a exactly as the engine writes them. Each
 * code is the `kernel` of the activation's entry in rules/activations.ts
 * (test/rules.test.ts reads these constants and holds the table to them).
 * ReLU, sigmoid and tanh are the fast paths of training; the others compute
 * in float64, as the engine does, and round once.
 */
export const IDENTITY: i32 = 0;
export const RELU: i32 = 1;
export const SIGMOID: i32 = 2;
export const TANH: i32 = 3;
export const LEAKY_RELU: i32 = 4;
export const ELU: i32 = 5;
export const SOFTPLUS: i32 = 6;
export const SILU: i32 = 7;
export const GELU: i32 = 8;
export const GELU_TANH: i32 = 9;

const LEAKY_RELU_SLOPE: f64 = 0.01;
const ELU_ALPHA: f64 = 1;
const GELU_TANH_SCALE: f64 = Math.sqrt(2 / Math.PI);
const GELU_TANH_CUBIC: f64 = 0.044715;

@inline function sigmoid64(z: f64): f64 {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * erfc(x) to a relative 1.2e-7 everywhere (the Chebyshev fit of Numerical
 * Recipes' erfcc): float32's precision, with one exp instead of the engine's
 * series, which would make GELU layers train many times slower.
 */
function erfc64(x: f64): f64 {
  const ax = Math.abs(x), t = 1 / (1 + 0.5 * ax);
  const poly = -ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/** Φ(z) = erfc(−z/√2)/2: accurate in both tails. */
@inline function normalCdf64(z: f64): f64 {
  return 0.5 * erfc64(-z / Math.SQRT2);
}

/** f(z) of the activations computed in float64. */
function smooth64(z: f64, activation: i32): f64 {
  if (activation == LEAKY_RELU) return z > 0 ? z : LEAKY_RELU_SLOPE * z;
  if (activation == ELU) return z > 0 ? z : ELU_ALPHA * Math.expm1(z);
  if (activation == SOFTPLUS) return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
  if (activation == SILU) return z * sigmoid64(z);
  if (activation == GELU) return z * normalCdf64(z);
  // GELU_TANH
  return 0.5 * z * (1 + Math.tanh(GELU_TANH_SCALE * (z + GELU_TANH_CUBIC * z * z * z)));
}

/** f′(z) of the activations computed in float64. */
function smoothSlope64(z: f64, activation: i32): f64 {
  if (activation == LEAKY_RELU) return z > 0 ? 1 : LEAKY_RELU_SLOPE;
  if (activation == ELU) return z > 0 ? 1 : ELU_ALPHA * Math.exp(z);
  if (activation == SOFTPLUS) return sigmoid64(z);
  if (activation == SILU) {
    const s = sigmoid64(z);
    return s * (1 + z * (1 - s));
  }
  if (activation == GELU) return normalCdf64(z) + (z * Math.exp(-(z * z) / 2)) / Math.sqrt(2 * Math.PI);
  // GELU_TANH
  const t = Math.tanh(GELU_TANH_SCALE * (z + GELU_TANH_CUBIC * z * z * z));
  return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * GELU_TANH_SCALE * (1 + 3 * GELU_TANH_CUBIC * z * z);
}

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
  } else {
    for (; offset < end; offset += 4) store<f32>(a + offset, <f32>smooth64(<f64>load<f32>(z + offset), activation));
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
  if (activation >= LEAKY_RELU) {
    // da·f′(z) in float64, rounded once, as the engine computes it.
    for (; offset < end; offset += 4) store<f32>(dz + offset, <f32>(<f64>load<f32>(da + offset) * smoothSlope64(<f64>load<f32>(z + offset), activation)));
    return;
  }
  for (; offset < vectors; offset += 16) {
    const s = slope(v128.load(z + offset), v128.load(a + offset), activation);
    v128.store(dz + offset, f32x4.mul(v128.load(da + offset), s));
  }
  for (; offset < end; offset += 4) {
    const s = slope(v128.load32_zero(z + offset), v128.load32_zero(a + offset), activation);
    store<f32>(dz + offset, f32x4.extract_lane(f32x4.mul(v128.load32_zero(da + offset), s), 0));
  }
}
