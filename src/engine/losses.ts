import { logSumExp } from "./activations.js";
import type { ActivationName } from "./activations.js";
import type { Floats } from "./matrix.js";

export const LOSS_NAMES = ["half_squared_error", "mse", "cross_entropy", "binary_cross_entropy", "mae", "huber"] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** The losses of a regression, on an identity output: what `gradstep train` offers for one. */
export const REGRESSION_LOSSES = ["mse", "mae", "huber"] as const satisfies readonly LossName[];
export type RegressionLoss = (typeof REGRESSION_LOSSES)[number];

export const REDUCTIONS = ["mean", "sum"] as const;
/** How per-sample losses combine into the loss L: `mean` puts a 1/batch factor on every gradient. */
export type Reduction = (typeof REDUCTIONS)[number];

/**
 * A loss of one sample ℓ(a, t) as the engine computes it: its value and its
 * derivative with respect to the network's output a, side by side. How it is
 * named, written and derived is its entry in rules/losses.ts.
 */
export interface Loss {
  readonly name: LossName;
  /** The output activation this loss must be paired with, if any. */
  readonly requires?: ActivationName;
  /** ℓ of one sample; `z` is the output layer's pre-activation, for stable log terms. */
  readonly sample: (a: Floats, z: Floats, t: Floats) => number;
  /** out = ∂ℓ/∂a for one sample. */
  readonly gradient: (a: Floats, t: Floats, out: Floats) => void;
  /**
   * ∂ℓ/∂z for one sample when combined with the activation it `requires`: the simplified product
   * of ∂ℓ/∂a and the activation's derivative, which stays finite where a
   * saturates to 0 or 1.
   */
  readonly combined?: { readonly gradient: (a: Floats, t: Floats, out: Floats) => void };
}

const halfSquaredError: Loss = {
  name: "half_squared_error",
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
  combined: {
    // Σ_k t_k = 1 for one-hot or probability targets, which reduces this to a − t.
    gradient(a, t, out) {
      let total = 0;
      for (let k = 0; k < t.length; k++) total += t[k]!;
      for (let j = 0; j < a.length; j++) out[j] = a[j]! * total - t[j]!;
    },
  },
};

const binaryCrossEntropy: Loss = {
  name: "binary_cross_entropy",
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
  combined: {
    gradient(a, t, out) {
      for (let j = 0; j < a.length; j++) out[j] = a[j]! - t[j]!;
    },
  },
};

/** mean_j |a_j − t_j|; the derivative is sign(a_j − t_j)/n, 0 where a_j = t_j. */
const meanAbsoluteError: Loss = {
  name: "mae",
  sample(a, _z, t) {
    let sum = 0;
    for (let j = 0; j < a.length; j++) sum += Math.abs(a[j]! - t[j]!);
    return sum / a.length;
  },
  gradient(a, t, out) {
    for (let j = 0; j < a.length; j++) out[j] = Math.sign(a[j]! - t[j]!) / a.length;
  },
};

/** Quadratic within 1 of the target, linear beyond, so that a few outliers do not dominate. */
export function huber(d: number): number {
  const r = Math.abs(d);
  return r <= 1 ? (r * r) / 2 : r - 0.5;
}

/** h′(d): the residual clipped to [−1, 1]. */
export function clipUnit(d: number): number {
  return Math.max(-1, Math.min(1, d));
}

/** mean_j h(a_j − t_j), the Huber loss with δ = 1. */
const huberLoss: Loss = {
  name: "huber",
  sample(a, _z, t) {
    let sum = 0;
    for (let j = 0; j < a.length; j++) sum += huber(a[j]! - t[j]!);
    return sum / a.length;
  },
  gradient(a, t, out) {
    for (let j = 0; j < a.length; j++) out[j] = clipUnit(a[j]! - t[j]!) / a.length;
  },
};

export const LOSSES: Readonly<Record<LossName, Loss>> = {
  half_squared_error: halfSquaredError,
  mse: meanSquaredError,
  cross_entropy: crossEntropy,
  binary_cross_entropy: binaryCrossEntropy,
  mae: meanAbsoluteError,
  huber: huberLoss,
};
