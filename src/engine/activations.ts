import { rowOf, type Matrix } from "./matrix.js";
import { erf } from "./special.js";

export const ACTIVATION_NAMES = ["identity", "relu", "sigmoid", "tanh", "softmax", "leaky_relu", "elu", "softplus", "silu", "gelu", "gelu_tanh"] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** Leaky ReLU's slope for z ≤ 0 and ELU's α: the problem format's defaults. */
export const LEAKY_RELU_SLOPE = 0.01;
export const ELU_ALPHA = 1;
/** The tanh approximation of GELU: √(2/π) and the cubic's coefficient. */
export const GELU_TANH_SCALE = Math.sqrt(2 / Math.PI);
export const GELU_TANH_CUBIC = 0.044715;

/**
 * An activation as the engine computes it over matrices. How it is named,
 * written, differentiated in a derivation, exported and run in the kernels is
 * its entry in rules/activations.ts, which reads the same functions.
 */
export interface Activation {
  readonly name: ActivationName;
  /** a = f(z), for a whole batch. */
  forward(z: Matrix, a: Matrix): void;
  /** dz = dL/dz from da = dL/da: da ⊙ f'(z), or the Jacobian-vector product for softmax. */
  backward(z: Matrix, a: Matrix, da: Matrix, dz: Matrix): void;
  /** f'(z) of one neuron, for element-wise activations only (softmax couples a row). */
  readonly slope?: (z: number, a: number) => number;
}

/**
 * An activation applied neuron by neuron: every one but softmax, which couples
 * a row. Backends apply these inside a dense layer; softmax is a pass of its
 * own after the layer (a backend's softmax where it has one, else the engine's).
 */
export interface ElementwiseActivation extends Activation {
  readonly name: Exclude<ActivationName, "softmax">;
  readonly slope: (z: number, a: number) => number;
}

export function isElementwise(activation: Activation): activation is ElementwiseActivation {
  return activation.name !== "softmax";
}

export type ElementwiseName = ElementwiseActivation["name"];

/**
 * f(z) of each element-wise activation. One function for all of them, not a
 * closure each, so that a loop applying it (a dense layer's product applies f
 * to every z it writes) has one call target, which V8 inlines whatever the
 * layer's activation; a closure per activation, called for each entry,
 * added a third to a half to a tiny exercise network's whole training step
 * in a prototype of it. The smooth ones sit
 * in a function of their own: inlined into every product, their code made a
 * ReLU network's forward pass about a fifth slower.
 */
export function activate(name: ElementwiseName, z: number): number {
  switch (name) {
    case "identity":
      return z;
    case "relu":
      return z > 0 ? z : 0;
    default:
      return smooth(name, z);
  }
}

function smooth(name: Exclude<ElementwiseName, "identity" | "relu">, z: number): number {
  switch (name) {
    case "sigmoid":
      return sigmoid(z);
    case "tanh":
      return Math.tanh(z);
    case "leaky_relu":
      return z > 0 ? z : LEAKY_RELU_SLOPE * z;
    case "elu":
      return z > 0 ? z : ELU_ALPHA * Math.expm1(z);
    case "softplus":
      return softplus(z);
    case "silu":
      return z * sigmoid(z);
    case "gelu":
      return z * normalCdf(z);
    case "gelu_tanh":
      return 0.5 * z * (1 + Math.tanh(geluTanhArgument(z)));
  }
}

/** f′(z) of each element-wise activation, given z and a = f(z), whichever is the cheaper or more accurate. */
export function slopeOf(name: ElementwiseName, z: number, a: number): number {
  switch (name) {
    case "identity":
      return 1;
    case "relu":
      // The format fixes ReLU′(0) = 0.
      return z > 0 ? 1 : 0;
    case "sigmoid":
      return a * (1 - a);
    case "tanh":
      return 1 - a * a;
    case "leaky_relu":
      // The format fixes the slope at 0 to α: only z > 0 is the identity side.
      return z > 0 ? 1 : LEAKY_RELU_SLOPE;
    case "elu":
      return z > 0 ? 1 : ELU_ALPHA * Math.exp(z);
    case "softplus":
      return sigmoid(z);
    case "silu": {
      const s = sigmoid(z);
      return s * (1 + z * (1 - s));
    }
    case "gelu":
      return normalCdf(z) + z * normalPdf(z);
    case "gelu_tanh": {
      const t = Math.tanh(geluTanhArgument(z));
      return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * GELU_TANH_SCALE * (1 + 3 * GELU_TANH_CUBIC * z * z);
    }
  }
}

/**
 * dL/dz = dL/da · f′(z) of each element-wise activation. ReLU and identity
 * pass da through or block it rather than multiply by 1 or 0, so a blocked
 * negative da is 0, as written by hand, not −0, and a blocked infinite da is
 * 0, not NaN.
 */
export function deltaOf(name: ElementwiseName, z: number, a: number, da: number): number {
  switch (name) {
    case "identity":
      return da;
    case "relu":
      return z > 0 ? da : 0;
    default:
      return da * slopeOf(name, z, a);
  }
}

/** An element-wise activation over matrices; `activate`, `slopeOf` and `deltaOf` compute it. */
function elementwise(name: ElementwiseName): ElementwiseActivation {
  return {
    name,
    slope: (z, a) => slopeOf(name, z, a),
    forward(z, a) {
      const Z = z.data,
        A = a.data;
      for (let i = 0; i < Z.length; i++) A[i] = activate(name, Z[i]!);
    },
    backward(z, a, da, dz) {
      const Z = z.data,
        A = a.data,
        dA = da.data,
        dZ = dz.data;
      for (let i = 0; i < Z.length; i++) dZ[i] = deltaOf(name, Z[i]!, A[i]!, dA[i]!);
    },
  };
}

/** Two branches so that exp never overflows and precision holds in both tails. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + e^z) as max(z, 0) + log(1 + e^(−|z|)): no overflow, and no cut-off to z for large z. */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** Φ(z), the standard normal distribution function, as GELU writes it: (1 + erf(z/√2))/2. */
export function normalCdf(z: number): number {
  return (1 + erf(z / Math.SQRT2)) / 2;
}

/** φ(z) = e^(−z²/2)/√(2π), the standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
}

/** √(2/π)·(z + 0.044715 z³), the argument of tanh in GELU's tanh approximation. */
export function geluTanhArgument(z: number): number {
  return GELU_TANH_SCALE * (z + GELU_TANH_CUBIC * z * z * z);
}

/**
 * log Σ_k exp(z_k) as max + log Σ_k exp(z_k − max), kept in two parts: adding
 * them would round away the low digits of a logit near ±1000.
 */
export function logSumExp(z: ArrayLike<number>): { max: number; logSum: number } {
  let max = -Infinity;
  for (let j = 0; j < z.length; j++) max = Math.max(max, z[j]!);
  let sum = 0;
  for (let j = 0; j < z.length; j++) sum += Math.exp(z[j]! - max);
  return { max, logSum: Math.log(sum) };
}

const softmax: Activation = {
  name: "softmax",
  forward(z, a) {
    for (let i = 0; i < z.rows; i++) {
      const zi = rowOf(z, i),
        ai = rowOf(a, i);
      let max = -Infinity;
      for (let j = 0; j < zi.length; j++) max = Math.max(max, zi[j]!);
      let sum = 0;
      for (let j = 0; j < zi.length; j++) sum += ai[j] = Math.exp(zi[j]! - max);
      for (let j = 0; j < zi.length; j++) ai[j]! /= sum;
    }
  },
  backward(_z, a, da, dz) {
    // dz_j = a_j (da_j − Σ_k a_k da_k): the Jacobian of softmax applied to da.
    for (let i = 0; i < a.rows; i++) {
      const ai = rowOf(a, i),
        dai = rowOf(da, i),
        dzi = rowOf(dz, i);
      let dot = 0;
      for (let k = 0; k < ai.length; k++) dot += ai[k]! * dai[k]!;
      for (let j = 0; j < ai.length; j++) dzi[j] = ai[j]! * (dai[j]! - dot);
    }
  },
};

export const ACTIVATIONS = {
  identity: elementwise("identity"),
  relu: elementwise("relu"),
  sigmoid: elementwise("sigmoid"),
  tanh: elementwise("tanh"),
  softmax,
  leaky_relu: elementwise("leaky_relu"),
  elu: elementwise("elu"),
  softplus: elementwise("softplus"),
  silu: elementwise("silu"),
  gelu: elementwise("gelu"),
  gelu_tanh: elementwise("gelu_tanh"),
} as const satisfies Readonly<Record<ActivationName, Activation>>;
