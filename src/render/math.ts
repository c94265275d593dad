import { evaluate, slopeValue, type Expr, type FunctionName } from "../explain/expr.js";
import type { Quantity } from "../explain/quantity.js";
import { ACTIVATION_RULES } from "../rules/activations.js";
import { FUNCTIONS, type PrimitiveName } from "../rules/functions.js";
import { formatNumber, typographic } from "../number-format.js";
import { renderName, type Dialect } from "../explain/name-writing.js";
import type { Name } from "../explain/names.js";

/** A number in one dialect. */
export function renderNumber(value: number, dialect: Dialect, decimals: number): string {
  const plain = formatNumber(value, decimals);
  if (dialect === "text") return typographic(plain);
  const [mantissa, exponent] = plain.split("e");
  return exponent === undefined ? mantissa! : `${mantissa!} \\times 10^{${Number(exponent)}}`;
}

/** What a leaf of the expression shows: its name, or its value. */
export interface Leaves {
  readonly dialect: Dialect;
  readonly decimals: number;
  readonly name: (q: Quantity) => Name;
  /** The value of a quantity, when numbers are shown instead of names. */
  readonly value?: (q: Quantity) => number;
  /** The name of the loss, for chain-rule factors ∂L/∂·. */
  readonly loss: Name;
}

interface Printed {
  readonly text: string;
  readonly precedence: number;
  readonly leadingMinus: boolean;
}

// Precedence: sums 1, products 2, unary minus 3, powers 4, atoms 5.
const SUM = 1,
  PRODUCT = 2,
  NEGATION = 3,
  POWER = 4,
  ATOM = 5;

/** How a function is written: an activation's symbol from its rule, or the function's own. */
function symbolOf(name: FunctionName, dialect: Dialect): string {
  const symbol = name in FUNCTIONS ? FUNCTIONS[name as PrimitiveName].symbol : ACTIVATION_RULES[name as Exclude<FunctionName, PrimitiveName>].symbol;
  return dialect === "text" ? symbol.text : symbol.latex;
}
const SQUARES: Readonly<Record<number, string>> = { 2: "²", 3: "³" };

function atom(text: string, leadingMinus = false): Printed {
  return { text, precedence: leadingMinus ? NEGATION : ATOM, leadingMinus };
}

/** Parentheses; in LaTeX they grow only around a fraction, where plain ones would look too small. */
function parenthesize(text: string, dialect: Dialect): string {
  return dialect === "latex" && text.includes("\\frac") ? `\\left(${text}\\right)` : `(${text})`;
}

function wrap(p: Printed, dialect: Dialect): string {
  return parenthesize(p.text, dialect);
}

class Printer {
  constructor(private readonly leaves: Leaves) {}

  private get latex(): boolean {
    return this.leaves.dialect === "latex";
  }

  private number(value: number): Printed {
    return atom(renderNumber(value, this.leaves.dialect, this.leaves.decimals), value < 0);
  }

  /** A child, in parentheses when its precedence is below `min` or when it starts with a minus sign where that would read badly. */
  private child(e: Expr, min: number, minusNeedsParentheses: boolean): string {
    const p = this.print(e);
    return p.precedence < min || (minusNeedsParentheses && p.leadingMinus) ? wrap(p, this.leaves.dialect) : p.text;
  }

  print(e: Expr): Printed {
    const { dialect } = this.leaves;
    switch (e.kind) {
      case "ref": {
        const { value } = this.leaves;
        return value ? this.number(value(e.q)) : atom(renderName(this.leaves.name(e.q), dialect));
      }
      case "const":
        // A structural ½ (half squared error) reads as a fraction; a weight of 0.5 stays a number.
        return e.value === 0.5 ? atom(this.latex ? "\\tfrac{1}{2}" : "½") : this.number(e.value);
      case "sum": {
        const parts = e.terms.map((t, i) => {
          const term = this.print(t);
          if (i === 0) return term.text;
          // a + (−x·y) reads as a − x·y: the minus belongs to the whole term, whose rest is left-associative.
          return term.leadingMinus ? ` ${term.text.slice(0, 1)} ${term.text.slice(1)}` : ` + ${term.text}`;
        });
        return { text: parts.join(""), precedence: SUM, leadingMinus: this.print(e.terms[0]!).leadingMinus };
      }
      case "sub": {
        const left = this.print(e.left);
        return {
          text: `${left.text} ${dialect === "text" ? "−" : "-"} ${this.child(e.right, PRODUCT, true)}`,
          precedence: SUM,
          leadingMinus: left.leadingMinus,
        };
      }
      case "mul": {
        const separator = dialect === "text" ? "·" : " \\cdot ";
        const parts = e.factors.map((f, i) => (dialect === "text" && f.kind === "div" ? wrap(this.print(f), dialect) : this.child(f, PRODUCT, i > 0)));
        return { text: parts.join(separator), precedence: PRODUCT, leadingMinus: parts[0]!.startsWith("−") || parts[0]!.startsWith("-") };
      }
      case "div":
        if (dialect === "latex") return atom(`\\frac{${this.print(e.num).text}}{${this.print(e.den).text}}`);
        return { text: `${this.child(e.num, ATOM, true)}/${this.child(e.den, ATOM, true)}`, precedence: PRODUCT, leadingMinus: false };
      case "neg":
        return { text: `${dialect === "text" ? "−" : "-"}${this.child(e.arg, PRODUCT, true)}`, precedence: NEGATION, leadingMinus: true };
      case "pow": {
        const base = this.child(e.base, ATOM, true);
        return { text: dialect === "text" ? `${base}${SQUARES[e.exp] ?? `^${e.exp}`}` : `${base}^{${e.exp}}`, precedence: POWER, leadingMinus: false };
      }
      case "fn": {
        const inner = this.print(e.arg).text;
        if (e.fn === "abs") return atom(dialect === "text" ? `|${inner}|` : `\\left\\lvert ${inner} \\right\\rvert`);
        return atom(`${symbolOf(e.fn, dialect)}${parenthesize(inner, dialect)}`);
      }
      case "slope": {
        // A piecewise f′ is shown by name, and with numbers by its value: ReLU′(z) = 1.
        const { value } = this.leaves;
        if (value) return this.number(slopeValue(e.activation, evaluate(e.arg, value)));
        return atom(`${symbolOf(e.activation, dialect)}${dialect === "text" ? "′" : "'"}${parenthesize(this.print(e.arg).text, dialect)}`);
      }
      case "softmax": {
        const power = (z: Expr) => (dialect === "text" ? `e^${this.child(z, ATOM, true)}` : `e^{${this.print(z).text}}`);
        const denominator = e.logits.map(power).join(" + ");
        const numerator = power(e.logits[e.j]!);
        return dialect === "text"
          ? { text: `${numerator}/(${denominator})`, precedence: PRODUCT, leadingMinus: false }
          : atom(`\\frac{${numerator}}{${denominator}}`);
      }
      case "partial": {
        const of = e.of === "loss" ? this.leaves.loss : this.leaves.name(e.of);
        return atom(renderName({ kind: "partial", of, wrt: this.leaves.name(e.wrt) }, dialect));
      }
    }
  }
}

/** An expression with names (`o₁ − t₁`) or, given values, with numbers (`0.8896 − 0.1`). */
export function renderExpr(expr: Expr, leaves: Leaves): string {
  return new Printer(leaves).print(expr).text;
}
