import { normalCdf, normalPdf } from "../engine/activations.js";
import { clipUnit, huber } from "../engine/losses.js";
import type { Formula } from "../engine/formula.js";

/**
 * The functions a derivation applies besides the activations: each is its
 * float64 value, how it is written, and its spreadsheet formula, in one entry.
 * A spreadsheet formula receives its argument twice: as written (`x`) and
 * parenthesized where a sign in front would misread it (`atom`).
 */
export interface FunctionRule {
  readonly value: (x: number) => number;
  readonly symbol: Formula;
  readonly sheet: (x: string, atom: string) => string;
}

export const FUNCTION_NAMES = ["exp", "log", "abs", "sign", "huber", "clip", "Phi", "phi"] as const;
export type PrimitiveName = (typeof FUNCTION_NAMES)[number];

export const FUNCTIONS: { readonly [N in PrimitiveName]: FunctionRule } = {
  exp: { value: Math.exp, symbol: { text: "exp", latex: "\\exp" }, sheet: (x) => `EXP(${x})` },
  log: { value: Math.log, symbol: { text: "log", latex: "\\log" }, sheet: (x) => `LN(${x})` },
  abs: { value: Math.abs, symbol: { text: "abs", latex: "\\operatorname{abs}" }, sheet: (x) => `ABS(${x})` },
  sign: { value: Math.sign, symbol: { text: "sign", latex: "\\operatorname{sign}" }, sheet: (x) => `SIGN(${x})` },
  /** h(d) = d²/2 for |d| ≤ 1, else |d| − ½: the Huber loss of one residual. */
  huber: { value: huber, symbol: { text: "h", latex: "h" }, sheet: (x, atom) => `IF(ABS(${x})<=1,${atom}^2/2,ABS(${x})-0.5)` },
  /** The residual clipped to [−1, 1]: h′(d). */
  clip: { value: clipUnit, symbol: { text: "clip", latex: "\\operatorname{clip}" }, sheet: (x) => `MAX(-1,MIN(1,${x}))` },
  /** The standard normal distribution function, (1 + erf(z/√2))/2. */
  Phi: { value: normalCdf, symbol: { text: "Φ", latex: "\\Phi" }, sheet: (_x, atom) => `(1+ERF(${atom}/SQRT(2)))/2` },
  /** The standard normal density, e^(−z²/2)/√(2π). */
  phi: { value: normalPdf, symbol: { text: "φ", latex: "\\varphi" }, sheet: (_x, atom) => `EXP(-(${atom}*${atom})/2)/SQRT(2*PI())` },
};

/** σ's two-branch spreadsheet formula, as the engine computes it, so that EXP never overflows (#NUM!) at z = ±1000. */
export function sigmoidSheet(x: string, atom: string): string {
  return `IF(${x}>=0,1/(1+EXP(-${atom})),EXP(${x})/(1+EXP(${x})))`;
}
