/**
 * Parameter updates, one pass over each parameter matrix: the element-wise
 * work of an optimizer step, in SIMD like the rest of the step.
 */

/** y = a·y + b·x over `count` floats: SGD (w ← (1 − ηλ)·w − η·g) and momentum (v ← μ·v + g). */
export function scaleAdd(y: usize, a: f32, x: usize, b: f32, count: i32): void {
  const end = <usize>count << 2, vectors = end & ~15;
  const va = f32x4.splat(a), vb = f32x4.splat(b);
  let offset: usize = 0;
  for (; offset < vectors; offset += 16) {
    v128.store(y + offset, f32x4.add(f32x4.mul(va, v128.load(y + offset)), f32x4.mul(vb, v128.load(x + offset))));
  }
  for (; offset < end; offset += 4) store<f32>(y + offset, a * load<f32>(y + offset) + b * load<f32>(x + offset));
}

/**
 * Adam with decoupled weight decay: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * w ← keep·w − step·m / (√(v / c₂) + ε), where step = η / c₁ and c₁, c₂ are
 * the bias corrections and keep = 1 − ηλ.
 */
export function adam(w: usize, g: usize, m: usize, v: usize, count: i32, beta1: f32, beta2: f32, step: f32, correction2: f32, epsilon: f32, keep: f32): void {
  const end = <usize>count << 2, vectors = end & ~15;
  const b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2), c1 = f32x4.splat(1 - beta1), c2 = f32x4.splat(1 - beta2);
  const vstep = f32x4.splat(step), vcorrection = f32x4.splat(correction2), veps = f32x4.splat(epsilon), vkeep = f32x4.splat(keep);
  let offset: usize = 0;
  for (; offset < vectors; offset += 16) {
    const gi = v128.load(g + offset);
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + offset)), f32x4.mul(c1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + offset)), f32x4.mul(c2, f32x4.mul(gi, gi)));
    v128.store(m + offset, mi);
    v128.store(v + offset, vi);
    const denominator = f32x4.add(f32x4.sqrt(f32x4.div(vi, vcorrection)), veps);
    v128.store(w + offset, f32x4.sub(f32x4.mul(vkeep, v128.load(w + offset)), f32x4.div(f32x4.mul(vstep, mi), denominator)));
  }
  for (; offset < end; offset += 4) {
    const gi = load<f32>(g + offset);
    const mi = beta1 * load<f32>(m + offset) + (1 - beta1) * gi;
    const vi = beta2 * load<f32>(v + offset) + (1 - beta2) * gi * gi;
    store<f32>(m + offset, mi);
    store<f32>(v + offset, vi);
    store<f32>(w + offset, keep * load<f32>(w + offset) - (step * mi) / (Mathf.sqrt(vi / correction2) + epsilon));
  }
}
