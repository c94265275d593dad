import type { Formula } from "./formula.js";
import { rowOf, type Matrix } from "./matrix.js";

export const ACTIVATION_NAMES = ["identity", "relu", "sigmoid", "tanh", "softmax"] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/**
 * An activation function: its forward rule, its derivative and how it is
 * written, defined together so explanations cannot drift from computation.
 */
export interface Activation {
  readonly name: ActivationName;
  /** Its name in prose. */
  readonly label: string;
  /** How the function is applied in a formula: σ(z), ReLU(z). */
  readonly symbol: Formula;
  /** a = f(z). */
  readonly formula: Formula;
  /** f'(z), written with z and a. */
  readonly derivative: Formula;
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

function smooth(name: "sigmoid" | "tanh", z: number): number {
  return name === "sigmoid" ? sigmoid(z) : Math.tanh(z);
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

type ElementwiseRule = Pick<ElementwiseActivation, "name" | "label" | "symbol" | "formula" | "derivative">;

/** An element-wise activation from how it is written; `activate`, `slopeOf` and `deltaOf` compute it. */
function elementwise(rule: ElementwiseRule): ElementwiseActivation {
  const { name } = rule;
  return {
    ...rule,
    slope: (z, a) => slopeOf(name, z, a),
    forward(z, a) {
      const Z = z.data, A = a.data;
      for (let i = 0; i < Z.length; i++) A[i] = activate(name, Z[i]!);
    },
    backward(z, a, da, dz) {
      const Z = z.data, A = a.data, dA = da.data, dZ = dz.data;
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
  label: "softmax",
  symbol: { text: "softmax", latex: "\\operatorname{softmax}" },
  formula: { text: "e^(z_j) / Σ_k e^(z_k)", latex: "\\frac{e^{z_j}}{\\sum_k e^{z_k}}" },
  derivative: { text: "a_j·(δ_jk − a_k)", latex: "a_j(\\delta_{jk} - a_k)" },
  forward(z, a) {
    for (let i = 0; i < z.rows; i++) {
      const zi = rowOf(z, i), ai = rowOf(a, i);
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
      const ai = rowOf(a, i), dai = rowOf(da, i), dzi = rowOf(dz, i);
      let dot = 0;
      for (let k = 0; k < ai.length; k++) dot += ai[k]! * dai[k]!;
      for (let j = 0; j < ai.length; j++) dzi[j] = ai[j]! * (dai[j]! - dot);
    }
  },
};

export const ACTIVATIONS = {
  identity: elementwise({
    name: "identity",
    label: "identity",
    symbol: { text: "id", latex: "\\operatorname{id}" },
    formula: { text: "z", latex: "z" },
    derivative: { text: "1", latex: "1" },
  }),
  relu: elementwise({
    name: "relu",
    label: "ReLU",
    symbol: { text: "ReLU", latex: "\\operatorname{ReLU}" },
    formula: { text: "max(0, z)", latex: "\\max(0, z)" },
    derivative: { text: "1 if z > 0, else 0", latex: "\\begin{cases} 1 & z > 0 \\\\ 0 & z \\le 0 \\end{cases}" },
  }),
  sigmoid: elementwise({
    name: "sigmoid",
    label: "sigmoid",
    symbol: { text: "σ", latex: "\\sigma" },
    formula: { text: "1 / (1 + e^(−z))", latex: "\\frac{1}{1 + e^{-z}}" },
    derivative: { text: "a·(1 − a)", latex: "a(1 - a)" },
  }),
  tanh: elementwise({
    name: "tanh",
    label: "tanh",
    symbol: { text: "tanh", latex: "\\tanh" },
    formula: { text: "tanh(z)", latex: "\\tanh(z)" },
    derivative: { text: "1 − a²", latex: "1 - a^2" },
  }),
  softmax,
} as const satisfies Readonly<Record<ActivationName, Activation>>;
