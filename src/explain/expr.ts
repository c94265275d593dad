import { activate, slopeOf, type ElementwiseName } from "../engine/activations.js";
import { FUNCTIONS, type PrimitiveName } from "../rules/functions.js";
import type { Quantity } from "./quantity.js";

/** Functions a derivation applies by name: an element-wise activation, or a function of rules/functions.ts. */
export type FunctionName = ElementwiseName | PrimitiveName;

/**
 * Arithmetic over named quantities: one tree is shown with names
 * (o₁ − t₁), with numbers (0.8896 − 0.1), as a spreadsheet formula, and
 * evaluated to check that what is shown is what was computed.
 */
export type Expr =
  | { readonly kind: "ref"; readonly q: Quantity }
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "sum"; readonly terms: readonly Expr[] }
  | { readonly kind: "sub"; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "mul"; readonly factors: readonly Expr[] }
  | { readonly kind: "div"; readonly num: Expr; readonly den: Expr }
  | { readonly kind: "neg"; readonly arg: Expr }
  | { readonly kind: "pow"; readonly base: Expr; readonly exp: number }
  | { readonly kind: "fn"; readonly fn: FunctionName; readonly arg: Expr }
  /** f′(z) of an activation written by name (ReLU′(z)): shown with numbers as its value. */
  | { readonly kind: "slope"; readonly activation: ElementwiseName; readonly arg: Expr }
  /** e^(z_j) / Σ_k e^(z_k), evaluated max-shifted. */
  | { readonly kind: "softmax"; readonly j: number; readonly logits: readonly Expr[] }
  /** A factor of the chain rule, ∂of/∂wrt: shown, never evaluated. */
  | { readonly kind: "partial"; readonly of: Quantity | "loss"; readonly wrt: Quantity };

export const ref = (q: Quantity): Expr => ({ kind: "ref", q });
export const num = (value: number): Expr => ({ kind: "const", value });
export const sub = (left: Expr, right: Expr): Expr => ({ kind: "sub", left, right });
export const div = (n: Expr, d: Expr): Expr => ({ kind: "div", num: n, den: d });
export const neg = (arg: Expr): Expr => ({ kind: "neg", arg });
export const pow = (base: Expr, exp: number): Expr => ({ kind: "pow", base, exp });
export const fn = (name: FunctionName, arg: Expr): Expr => ({ kind: "fn", fn: name, arg });
export const slope = (activation: ElementwiseName, arg: Expr): Expr => ({ kind: "slope", activation, arg });
export const partialOf = (of: Quantity | "loss", wrt: Quantity): Expr => ({ kind: "partial", of, wrt });

/** A sum; a single term stands alone. */
export function sum(terms: readonly Expr[]): Expr {
  return terms.length === 1 ? terms[0]! : { kind: "sum", terms };
}

/** A product, dropping factors of exactly 1 (identity's derivative) and flattening nested products. */
export function mul(...factors: Expr[]): Expr {
  const kept = factors.flatMap((f) => (f.kind === "mul" ? f.factors : [f])).filter((f) => !(f.kind === "const" && f.value === 1));
  return kept.length === 0 ? num(1) : kept.length === 1 ? kept[0]! : { kind: "mul", factors: kept };
}

export function applyFunction(name: FunctionName, x: number): number {
  return name in FUNCTIONS ? FUNCTIONS[name as PrimitiveName].value(x) : activate(name as ElementwiseName, x);
}

/** f′(z) of an activation written by name; its rule reads z only, so a = f(z) is computed for it. */
export function slopeValue(activation: ElementwiseName, z: number): number {
  return slopeOf(activation, z, activate(activation, z));
}

/** The value of an expression, given the value of each quantity. */
export function evaluate(expr: Expr, value: (q: Quantity) => number): number {
  const at = (e: Expr) => evaluate(e, value);
  switch (expr.kind) {
    case "ref":
      return value(expr.q);
    case "const":
      return expr.value;
    case "sum":
      return expr.terms.reduce((total, t) => total + at(t), 0);
    case "sub":
      return at(expr.left) - at(expr.right);
    case "mul":
      return expr.factors.reduce((product, f) => product * at(f), 1);
    case "div":
      return at(expr.num) / at(expr.den);
    case "neg":
      return -at(expr.arg);
    case "pow":
      return at(expr.base) ** expr.exp;
    case "fn":
      return applyFunction(expr.fn, at(expr.arg));
    case "slope":
      return slopeValue(expr.activation, at(expr.arg));
    case "softmax": {
      const logits = expr.logits.map(at);
      const max = Math.max(...logits);
      const total = logits.reduce((s, z) => s + Math.exp(z - max), 0);
      return Math.exp(logits[expr.j]! - max) / total;
    }
    case "partial":
      throw new TypeError("a chain-rule factor ∂·/∂· has no value of its own");
  }
}

/** The quantities a formula refers to. */
export function refsOf(e: Expr): Quantity[] {
  switch (e.kind) {
    case "ref":
      return [e.q];
    case "sum":
      return e.terms.flatMap(refsOf);
    case "mul":
      return e.factors.flatMap(refsOf);
    case "sub":
      return [...refsOf(e.left), ...refsOf(e.right)];
    case "div":
      return [...refsOf(e.num), ...refsOf(e.den)];
    case "neg":
    case "fn":
    case "slope":
      return refsOf(e.arg);
    case "pow":
      return refsOf(e.base);
    case "softmax":
      return e.logits.flatMap(refsOf);
    default:
      return [];
  }
}
