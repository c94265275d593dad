import type { Floats } from "./matrix.js";

/**
 * One Adam update's constants: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * w ← keep·w − step·m / (√(v / correction2) + ε), with step = η/(1 − β₁ᵗ),
 * correction2 = 1 − β₂ᵗ and keep = 1 − ηλ (decoupled weight decay).
 */
export interface AdamRule {
  readonly beta1: number;
  readonly beta2: number;
  readonly step: number;
  readonly correction2: number;
  readonly epsilon: number;
  readonly keep: number;
}

/** y = a·y + b·x, element by element. */
export function scaleAddArrays(y: Floats, a: number, x: Floats, b: number): void {
  for (let i = 0; i < y.length; i++) y[i] = a * y[i]! + b * x[i]!;
}

export function adamArrays(w: Floats, g: Floats, m: Floats, v: Floats, rule: AdamRule): void {
  const { beta1, beta2, step, correction2, epsilon, keep } = rule;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    m[i] = beta1 * m[i]! + (1 - beta1) * gi;
    v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
    w[i] = keep * w[i]! - (step * m[i]!) / (Math.sqrt(v[i]! / correction2) + epsilon);
  }
}
