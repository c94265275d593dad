import type { Expr, FunctionName } from "../explain/expr.js";
import type { Quantity } from "../explain/quantity.js";
import { ACTIVATION_RULES } from "../rules/activations.js";
import { FUNCTIONS, type PrimitiveName } from "../rules/functions.js";

/**
 * An expression as a spreadsheet formula (Excel, LibreOffice, HyperFormula
 * syntax, without the leading `=`), each quantity replaced by its cell's
 * address: `sum([w·x, b])` → `B12*B5+B14`.
 *
 * Parentheses follow the tree exactly, so the sheet performs the same float64
 * operations in the same order as `evaluate` (a·(b/c), not a·b/c). Unary
 * minus binds tighter than `^` in spreadsheets (-2^2 = 4), so a negation is
 * always parenthesized where it could be misread.
 */
export function spreadsheetFormula(expr: Expr, address: (q: Quantity) => string): string {
  return new Writer(address).write(expr).text;
}

interface Written {
  readonly text: string;
  readonly precedence: number;
}

// A child whose precedence is below what its place needs is parenthesized.
const SUM = 1,
  PRODUCT = 2,
  NEGATION = 3,
  POWER = 4,
  ATOM = 5;

/** A number as a formula literal: shortest round-trip digits, `E` exponent, negatives in parentheses. */
function literal(value: number): Written {
  if (!Number.isFinite(value)) throw new RangeError(`a formula cannot hold the number ${value}`);
  const text = String(value).toUpperCase();
  return value < 0 ? { text: `(${text})`, precedence: ATOM } : { text, precedence: ATOM };
}

const call = (text: string): Written => ({ text, precedence: ATOM });

class Writer {
  constructor(private readonly address: (q: Quantity) => string) {}

  /** A child at a place that needs at least `min`. */
  private child(e: Expr, min: number): string {
    const w = this.write(e);
    return w.precedence < min ? `(${w.text})` : w.text;
  }

  write(e: Expr): Written {
    switch (e.kind) {
      case "ref":
        return call(this.address(e.q));
      case "const":
        return literal(e.value);
      case "sum":
        // Left to right like evaluate's reduce; a later term that is itself a sum or difference keeps its own parentheses.
        return { text: e.terms.map((t, i) => (i === 0 ? this.child(t, SUM) : this.laterTerm(t))).join(""), precedence: SUM };
      case "sub":
        return { text: `${this.child(e.left, SUM)}-${this.child(e.right, e.right.kind === "neg" ? ATOM : PRODUCT)}`, precedence: SUM };
      case "mul":
        // A later factor that is a quotient stays grouped: product·(n/d) is what evaluate computes.
        return { text: e.factors.map((f, i) => this.child(f, i === 0 ? PRODUCT : POWER)).join("*"), precedence: PRODUCT };
      case "div":
        return { text: `${this.child(e.num, PRODUCT)}/${this.child(e.den, POWER)}`, precedence: PRODUCT };
      case "neg":
        return { text: `-${this.child(e.arg, ATOM)}`, precedence: NEGATION };
      case "pow":
        return { text: `${this.child(e.base, ATOM)}^${e.exp < 0 ? `(${e.exp})` : e.exp}`, precedence: POWER };
      case "fn":
        return this.apply(e.fn, this.write(e.arg).text, this.child(e.arg, ATOM));
      case "slope": {
        const rule = ACTIVATION_RULES[e.activation];
        if (!rule.sheetSlope) throw new TypeError(`${rule.label}′ is written as a formula of z and a, not by name`);
        return { text: rule.sheetSlope(this.write(e.arg).text, this.child(e.arg, ATOM)), precedence: SUM };
      }
      case "softmax":
        return { text: this.softmax(e.j, e.logits), precedence: PRODUCT };
      case "partial":
        throw new TypeError("a chain-rule factor ∂·/∂· has no spreadsheet formula");
    }
  }

  /** `+t`, or `-x` for t = −x: the same float64 result (a + (−x) is a − x), read more easily than `+-x`. */
  private laterTerm(t: Expr): string {
    return t.kind === "neg" ? `-${this.child(t.arg, PRODUCT)}` : `+${this.child(t, PRODUCT)}`;
  }

  /**
   * A function's formula from its rule: `x` is the argument as written, `atom`
   * the same, parenthesized where a sign in front would misread it. A rule's
   * formula may be a sum or product (softplus, SiLU), so it is treated as a sum.
   */
  private apply(name: FunctionName, x: string, atom: string): Written {
    const text =
      name in FUNCTIONS ? FUNCTIONS[name as PrimitiveName].sheet(x, atom) : ACTIVATION_RULES[name as Exclude<FunctionName, PrimitiveName>].sheet(x, atom);
    return /^[A-Z.]+\([^]*\)$/.test(text) && balancedCall(text) ? call(text) : { text, precedence: SUM };
  }

  /** e^(z_j − max z) / Σ_k e^(z_k − max z): shifted by the largest logit so logits of ±1000 do not overflow. */
  private softmax(j: number, logits: readonly Expr[]): string {
    const z = logits.map((l) => this.child(l, ATOM));
    const max = `MAX(${z.join(",")})`;
    const power = (x: string) => `EXP(${x}-${max})`;
    return `${power(z[j]!)}/(${z.map(power).join("+")})`;
  }
}

/** Whether a formula is one call whose parentheses close at its end (`MAX(0,B2)`), not `EXP(B2)-1`. */
function balancedCall(text: string): boolean {
  let depth = 0;
  for (let i = text.indexOf("("); i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return i === text.length - 1;
  }
  return false;
}
