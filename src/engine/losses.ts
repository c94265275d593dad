import { logSumExp } from "./activations.js";
import type { ActivationName } from "./activations.js";
import type { Formula } from "./formula.js";
import type { Floats } from "./matrix.js";

export const LOSS_NAMES = ["half_squared_error", "mse", "cross_entropy", "binary_cross_entropy"] as const;
export type LossName = (typeof LOSS_NAMES)[number];

export const REDUCTIONS = ["mean", "sum"] as const;
/** How per-sample losses combine into the loss L: `mean` puts a 1/batch factor on every gradient. */
export type Reduction = (typeof REDUCTIONS)[number];

/**
 * A loss of one sample ℓ(a, t): its value, its derivative with respect to the
 * network's output a, and how both are written, side by side.
 */
export interface Loss {
  /** `huber` is a training loss only (`gradstep train`); exercises use the table's `LOSSES`. */
  readonly name: LossName | "huber";
  /** Its name in prose. */
  readonly label: string;
  /** ℓ for one sample, over output units j. */
  readonly formula: Formula;
  /** ∂ℓ/∂a_j. */
  readonly derivative: Formula;
  /** The output activation this loss must be paired with, if any. */
  readonly requires?: ActivationName;
  /** ℓ of one sample; `z` is the output layer's pre-activation, for stable log terms. */
  readonly sample: (a: Floats, z: Floats, t: Floats) => number;
  /** out = ∂ℓ/∂a for one sample. */
  readonly gradient: (a: Floats, t: Floats, out: Floats) => void;
  /**
   * ∂ℓ/∂z for one sample when paired with `requires`: the simplified product
   * of ∂ℓ/∂a and the activation's derivative, which stays finite where a
   * saturates to 0 or 1.
   */
  readonly fused?: { readonly formula: Formula; readonly gradient: (a: Floats, t: Floats, out: Floats) => void };
}

const halfSquaredError: Loss = {
  name: "half_squared_error",
  label: "half squared error",
  formula: { text: "½·Σ_j (a_j − t_j)²", latex: "\\tfrac{1}{2}\\sum_j (a_j - t_j)^2" },
  derivative: { text: "a_j − t_j", latex: "a_j - t_j" },
  sample(a, _z, t) {
    let sum = 0;
    for (let j = 0; j < a.length; j++) sum += (a[j]! - t[j]!) ** 2;
    return sum / 2;
  },
  gradient(a, t, out) {
    for (let j = 0; j < a.length; j++) out[j] = a[j]! - t[j]!;
  },
};

const meanSquaredError: Loss = {
  name: "mse",
  label: "mean squared error",
  formula: { text: "(1/n)·Σ_j (a_j − t_j)²", latex: "\\frac{1}{n}\\sum_j (a_j - t_j)^2" },
  derivative: { text: "2·(a_j − t_j)/n", latex: "\\frac{2(a_j - t_j)}{n}" },
  sample(a, _z, t) {
    let sum = 0;
    for (let j = 0; j < a.length; j++) sum += (a[j]! - t[j]!) ** 2;
    return sum / a.length;
  },
  gradient(a, t, out) {
    for (let j = 0; j < a.length; j++) out[j] = (2 * (a[j]! - t[j]!)) / a.length;
  },
};

const crossEntropy: Loss = {
  name: "cross_entropy",
  label: "cross-entropy",
  formula: { text: "−Σ_j t_j·log a_j", latex: "-\\sum_j t_j \\log a_j" },
  derivative: { text: "−t_j / a_j", latex: "-\\frac{t_j}{a_j}" },
  requires: "softmax",
  sample(_a, z, t) {
    // −log a_j = (max − z_j) + log Σ exp(z − max): exact even where a_j underflows to 0.
    const { max, logSum } = logSumExp(z);
    let sum = 0;
    for (let j = 0; j < z.length; j++) if (t[j] !== 0) sum += t[j]! * (max - z[j]! + logSum);
    return sum;
  },
  gradient(a, t, out) {
    for (let j = 0; j < a.length; j++) out[j] = t[j] === 0 ? 0 : -t[j]! / a[j]!;
  },
  fused: {
    // Σ_k t_k = 1 for one-hot or probability targets, which reduces this to a − t.
    formula: { text: "a_j·Σ_k t_k − t_j", latex: "a_j \\sum_k t_k - t_j" },
    gradient(a, t, out) {
      let total = 0;
      for (let k = 0; k < t.length; k++) total += t[k]!;
      for (let j = 0; j < a.length; j++) out[j] = a[j]! * total - t[j]!;
    },
  },
};

const binaryCrossEntropy: Loss = {
  name: "binary_cross_entropy",
  label: "binary cross-entropy",
  formula: {
    text: "−Σ_j [t_j·log a_j + (1 − t_j)·log(1 − a_j)]",
    latex: "-\\sum_j \\left[t_j \\log a_j + (1 - t_j)\\log(1 - a_j)\\right]",
  },
  derivative: { text: "−t_j/a_j + (1 − t_j)/(1 − a_j)", latex: "-\\frac{t_j}{a_j} + \\frac{1 - t_j}{1 - a_j}" },
  requires: "sigmoid",
  sample(_a, z, t) {
    // With a = σ(z): −[t log a + (1−t) log(1−a)] = max(z, 0) − t·z + log(1 + e^(−|z|)).
    let sum = 0;
    for (let j = 0; j < z.length; j++) {
      const zj = z[j]!;
      sum += Math.max(zj, 0) - t[j]! * zj + Math.log1p(Math.exp(-Math.abs(zj)));
    }
    return sum;
  },
  gradient(a, t, out) {
    // A term whose coefficient is 0 contributes 0, even where a saturates to exactly 0 or 1.
    for (let j = 0; j < a.length; j++) {
      const tj = t[j]!;
      out[j] = (tj === 0 ? 0 : -tj / a[j]!) + (tj === 1 ? 0 : (1 - tj) / (1 - a[j]!));
    }
  },
  fused: {
    formula: { text: "a_j − t_j", latex: "a_j - t_j" },
    gradient(a, t, out) {
      for (let j = 0; j < a.length; j++) out[j] = a[j]! - t[j]!;
    },
  },
};

export const LOSSES: Readonly<Record<LossName, Loss>> = {
  half_squared_error: halfSquaredError,
  mse: meanSquaredError,
  cross_entropy: crossEntropy,
  binary_cross_entropy: binaryCrossEntropy,
};

/**
 * The Huber loss with δ = 1, averaged over output units: quadratic for
 * small residuals, linear for large ones, so that a few outliers in a
 * regression's (standardized) targets do not dominate. For training only:
 * the exercises' derivations do not cover it, so it is not in `LOSSES`.
 */
export const HUBER: Loss = {
  name: "huber",
  label: "Huber loss (δ = 1)",
  formula: { text: "(1/n)·Σ_j h(a_j − t_j), h(r) = r²/2 if |r| ≤ 1, |r| − ½ otherwise", latex: "\\frac{1}{n}\\sum_j h(a_j - t_j)" },
  derivative: { text: "clip(a_j − t_j, −1, 1)/n", latex: "\\frac{\\operatorname{clip}(a_j - t_j, -1, 1)}{n}" },
  sample(a, _z, t) {
    let sum = 0;
    for (let j = 0; j < a.length; j++) {
      const r = Math.abs(a[j]! - t[j]!);
      sum += r <= 1 ? (r * r) / 2 : r - 0.5;
    }
    return sum / a.length;
  },
  gradient(a, t, out) {
    for (let j = 0; j < a.length; j++) out[j] = Math.max(-1, Math.min(1, a[j]! - t[j]!)) / a.length;
  },
};
