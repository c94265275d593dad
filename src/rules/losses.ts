import type { Formula } from "../engine/formula.js";
import type { LossName } from "../engine/losses.js";
import { div, fn, mul, neg, num, pow, sub, sum, type Expr } from "../explain/expr.js";

/**
 * The losses, one entry each, beside the engine's float64 rule
 * (engine/losses.ts): how a loss is named and written, and the formulas a
 * derivation builds for one sample's loss and for ∂ℓ/∂a. Each formula
 * evaluates in the engine's order of operations, so a derivation shows
 * exactly the number the trace holds.
 */
export interface LossRule {
  readonly name: LossName;
  /** Its name in prose. */
  readonly label: string;
  /** ℓ for one sample, over output units j. */
  readonly formula: Formula;
  /** ∂ℓ/∂a_j, as the matrix form writes it. */
  readonly derivative: Formula;
  /** ∂ℓ/∂z_j when paired with its required output activation, simplified. */
  readonly combined?: Formula;
  /** ℓ of one sample: `a(j)` and `t(j)` are the output and target of unit j, `target(j)` the target's value. */
  readonly sample: (output: Output) => Expr;
  /** ∂ℓ/∂a_j of one output unit. */
  readonly gradient: (unit: Unit) => Expr;
  /** The residual a_j − t_j where ∂ℓ/∂a_j jumps (MAE's 0), if anywhere. */
  readonly kink?: number;
}

interface Output {
  readonly units: readonly number[];
  readonly a: (j: number) => Expr;
  readonly t: (j: number) => Expr;
  readonly target: (j: number) => number;
}

interface Unit {
  readonly a: Expr;
  readonly t: Expr;
  readonly target: number;
  /** The number of output units, n. */
  readonly units: number;
}

const t = (text: string, latex: string): Formula => ({ text, latex });

/** (1/n)·Σ_j g(a_j − t_j), summed from the first unit on as the engine does. */
const meanOver = (o: Output, g: (residual: Expr) => Expr) => div(sum(o.units.map((j) => g(sub(o.a(j), o.t(j))))), num(o.units.length));

export const LOSS_RULES: { readonly [N in LossName]: LossRule & { readonly name: N } } = {
  half_squared_error: {
    name: "half_squared_error",
    label: "half squared error",
    formula: t("½·Σ_j (a_j − t_j)²", "\\tfrac{1}{2}\\sum_j (a_j - t_j)^2"),
    derivative: t("a_j − t_j", "a_j - t_j"),
    sample: (o) => mul(num(0.5), sum(o.units.map((j) => pow(sub(o.a(j), o.t(j)), 2)))),
    gradient: (u) => sub(u.a, u.t),
  },
  mse: {
    name: "mse",
    label: "mean squared error",
    formula: t("(1/n)·Σ_j (a_j − t_j)²", "\\frac{1}{n}\\sum_j (a_j - t_j)^2"),
    derivative: t("2·(a_j − t_j)/n", "\\frac{2(a_j - t_j)}{n}"),
    sample: (o) => meanOver(o, (r) => pow(r, 2)),
    gradient: (u) => div(mul(num(2), sub(u.a, u.t)), num(u.units)),
  },
  cross_entropy: {
    name: "cross_entropy",
    label: "cross-entropy",
    formula: t("−Σ_j t_j·log a_j", "-\\sum_j t_j \\log a_j"),
    derivative: t("−t_j / a_j", "-\\frac{t_j}{a_j}"),
    // Σ_k t_k = 1 for one-hot or probability targets, which reduces this to a − t.
    combined: t("a_j·Σ_k t_k − t_j", "a_j \\sum_k t_k - t_j"),
    // Terms with t_j = 0 contribute 0 and are left out, as the format says.
    sample: (o) => neg(sum(o.units.filter((j) => o.target(j) !== 0).map((j) => mul(o.t(j), fn("log", o.a(j)))))),
    gradient: (u) => (u.target === 0 ? num(0) : neg(div(u.t, u.a))),
  },
  binary_cross_entropy: {
    name: "binary_cross_entropy",
    label: "binary cross-entropy",
    formula: t("−Σ_j [t_j·log a_j + (1 − t_j)·log(1 − a_j)]", "-\\sum_j \\left[t_j \\log a_j + (1 - t_j)\\log(1 - a_j)\\right]"),
    derivative: t("−t_j/a_j + (1 − t_j)/(1 − a_j)", "-\\frac{t_j}{a_j} + \\frac{1 - t_j}{1 - a_j}"),
    combined: t("a_j − t_j", "a_j - t_j"),
    sample: (o) =>
      neg(
        sum(
          o.units.flatMap((j) => [
            ...(o.target(j) === 0 ? [] : [mul(o.t(j), fn("log", o.a(j)))]),
            ...(o.target(j) === 1 ? [] : [mul(sub(num(1), o.t(j)), fn("log", sub(num(1), o.a(j))))]),
          ]),
        ),
      ),
    gradient: (u) => sum([...(u.target === 0 ? [] : [neg(div(u.t, u.a))]), ...(u.target === 1 ? [] : [div(sub(num(1), u.t), sub(num(1), u.a))])]),
  },
  mae: {
    name: "mae",
    label: "mean absolute error",
    formula: t("(1/n)·Σ_j |a_j − t_j|", "\\frac{1}{n}\\sum_j \\lvert a_j - t_j \\rvert"),
    derivative: t("sign(a_j − t_j)/n", "\\frac{\\operatorname{sign}(a_j - t_j)}{n}"),
    sample: (o) => meanOver(o, (r) => fn("abs", r)),
    kink: 0,
    gradient: (u) => div(fn("sign", sub(u.a, u.t)), num(u.units)),
  },
  huber: {
    name: "huber",
    label: "Huber loss",
    formula: t(
      "(1/n)·Σ_j h(a_j − t_j), h(d) = d²/2 if |d| ≤ 1, else |d| − ½",
      "\\frac{1}{n}\\sum_j h(a_j - t_j),\\quad h(d) = \\begin{cases} d^2/2 & \\lvert d \\rvert \\le 1 \\\\ \\lvert d \\rvert - \\tfrac{1}{2} & \\text{otherwise} \\end{cases}",
    ),
    derivative: t("clip(a_j − t_j, −1, 1)/n", "\\frac{\\operatorname{clip}(a_j - t_j, -1, 1)}{n}"),
    sample: (o) => meanOver(o, (r) => fn("huber", r)),
    gradient: (u) => div(fn("clip", sub(u.a, u.t)), num(u.units)),
  },
};
