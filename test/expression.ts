/**
 * A parser and evaluator for the arithmetic that the text dialect prints
 * (src/render/math.ts with `dialect: "text"`), written independently of the
 * printer so that a test can check that what is printed computes what was
 * computed:
 *
 *   sum     := product (("+" | "−") product)*
 *   product := unary (("·" | "/") unary)*
 *   unary   := "−" unary | power
 *   power   := primary ("²" | "³" | "^" NUMBER)*
 *   primary := NUMBER | "½" | "(" sum ")" | FUNCTION "(" sum ")" | "e^" exponent
 *   exponent:= NUMBER | "(" sum ")"
 *
 * NUMBER is `1`, `0.25`, `1.5e−7` or `2e+12` (the typographic minus "−" or
 * ASCII "-"); FUNCTION is σ, tanh, ReLU, log or exp. A name (w₁, aₒ[1], ∂E/∂w)
 * is a syntax error: the line with numbers substituted must hold no names.
 */

export type Node =
  /** `text` is the literal as printed, for its rounding. */
  | { readonly kind: "number"; readonly value: number; readonly text?: string }
  | { readonly kind: "add" | "subtract" | "multiply" | "divide"; readonly left: Node; readonly right: Node }
  | { readonly kind: "negate"; readonly arg: Node }
  | { readonly kind: "power"; readonly base: Node; readonly exp: number }
  | { readonly kind: "call"; readonly fn: FunctionName; readonly arg: Node }
  /** e^x, as softmax prints its terms. */
  | { readonly kind: "exp"; readonly arg: Node };

export type FunctionName = "σ" | "tanh" | "ReLU" | "log" | "exp";

const FUNCTIONS: readonly FunctionName[] = ["tanh", "ReLU", "log", "exp", "σ"];
const MINUS = new Set(["−", "-"]);
const NUMBER = /^\d+(?:\.\d+)?(?:e[+−-]?\d+)?/;

export class ExpressionSyntaxError extends SyntaxError {}

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  parse(): Node {
    const node = this.sum();
    this.skipSpaces();
    if (this.at < this.text.length) this.fail("an operator or the end");
    return node;
  }

  private fail(expected: string): never {
    throw new ExpressionSyntaxError(`expected ${expected} at column ${this.at + 1} of "${this.text}", found "${this.text.slice(this.at, this.at + 12)}"`);
  }

  private skipSpaces(): void {
    while (this.text[this.at] === " ") this.at++;
  }

  private peek(): string {
    this.skipSpaces();
    return this.text[this.at] ?? "";
  }

  private eat(token: string): boolean {
    this.skipSpaces();
    if (!this.text.startsWith(token, this.at)) return false;
    this.at += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.eat(token)) this.fail(`"${token}"`);
  }

  private sum(): Node {
    let left = this.product();
    for (;;) {
      const c = this.peek();
      if (c === "+") {
        this.at++;
        left = { kind: "add", left, right: this.product() };
      } else if (MINUS.has(c)) {
        this.at++;
        left = { kind: "subtract", left, right: this.product() };
      } else {
        return left;
      }
    }
  }

  private product(): Node {
    let left = this.unary();
    for (;;) {
      const c = this.peek();
      if (c === "·") {
        this.at++;
        left = { kind: "multiply", left, right: this.unary() };
      } else if (c === "/") {
        this.at++;
        left = { kind: "divide", left, right: this.unary() };
      } else {
        return left;
      }
    }
  }

  private unary(): Node {
    if (MINUS.has(this.peek())) {
      this.at++;
      return { kind: "negate", arg: this.unary() };
    }
    return this.power();
  }

  private power(): Node {
    let base = this.primary();
    for (;;) {
      // Postfix exponents follow their base directly, with no space.
      const c = this.text[this.at];
      if (c === "²" || c === "³") {
        this.at++;
        base = { kind: "power", base, exp: c === "²" ? 2 : 3 };
      } else if (c === "^") {
        this.at++;
        base = { kind: "power", base, exp: this.numberValue() };
      } else {
        return base;
      }
    }
  }

  private numberValue(): number {
    const match = NUMBER.exec(this.text.slice(this.at));
    if (!match) this.fail("a number");
    this.at += match[0].length;
    return Number(match[0].replace("−", "-"));
  }

  private primary(): Node {
    const c = this.peek();
    if (/\d/.test(c)) {
      const start = this.at;
      const value = this.numberValue();
      return { kind: "number", value, text: this.text.slice(start, this.at) };
    }
    if (this.eat("½")) return { kind: "number", value: 0.5 };
    if (this.eat("(")) {
      const inner = this.sum();
      this.expect(")");
      return inner;
    }
    if (this.eat("e^")) return { kind: "exp", arg: this.exponent() };
    for (const fn of FUNCTIONS) {
      // The argument's parenthesis follows the name directly: ReLU′(z) or a name like "tanhₕ" is not a call.
      if (this.text.startsWith(`${fn}(`, this.at)) {
        this.at += fn.length + 1;
        const arg = this.sum();
        this.expect(")");
        return { kind: "call", fn, arg };
      }
    }
    return this.fail('a number, "(", "½", "e^" or a function call');
  }

  private exponent(): Node {
    if (this.text.startsWith("(", this.at)) {
      this.at++;
      const inner = this.sum();
      this.expect(")");
      return inner;
    }
    return { kind: "number", value: this.numberValue() };
  }
}

/** Parses one line of text-dialect arithmetic; throws ExpressionSyntaxError at the first thing that is not arithmetic. */
export function parseExpression(text: string): Node {
  return new Parser(text).parse();
}

/** Like parseExpression, or undefined when the text is not pure arithmetic (it holds names or ∂). */
export function tryParseExpression(text: string): Node | undefined {
  try {
    return parseExpression(text);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return undefined;
    throw error;
  }
}

const APPLY: Readonly<Record<FunctionName, (x: number) => number>> = {
  σ: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  ReLU: (x) => Math.max(x, 0),
  log: Math.log,
  exp: Math.exp,
};

/** The value of a parsed expression, in float64, evaluated as printed (left to right, no rearranging). */
export function evaluateNode(node: Node): number {
  switch (node.kind) {
    case "number":
      return node.value;
    case "add":
      return evaluateNode(node.left) + evaluateNode(node.right);
    case "subtract":
      return evaluateNode(node.left) - evaluateNode(node.right);
    case "multiply":
      return evaluateNode(node.left) * evaluateNode(node.right);
    case "divide":
      return evaluateNode(node.left) / evaluateNode(node.right);
    case "negate":
      return -evaluateNode(node.arg);
    case "power":
      return evaluateNode(node.base) ** node.exp;
    case "call":
      return APPLY[node.fn](evaluateNode(node.arg));
    case "exp":
      return Math.exp(evaluateNode(node.arg));
  }
}

/** The exponents x of every e^x in the expression, evaluated. */
export function softmaxExponents(node: Node): number[] {
  switch (node.kind) {
    case "number":
      return [];
    case "add":
    case "subtract":
    case "multiply":
    case "divide":
      return [...softmaxExponents(node.left), ...softmaxExponents(node.right)];
    case "negate":
    case "call":
      return softmaxExponents(node.arg);
    case "power":
      return softmaxExponents(node.base);
    case "exp":
      return [evaluateNode(node.arg), ...softmaxExponents(node.arg)];
  }
}

/** Parses and evaluates one line. */
export function evaluateExpression(text: string): number {
  return evaluateNode(parseExpression(text));
}

/** A value with a bound on how far it can be from the same arithmetic on the unrounded numbers. */
export interface Bounded {
  readonly value: number;
  readonly error: number;
}

/** Half a unit in the last place a printed literal can have: 1.5e−7 has its own digits, 0.25 had `decimals`. */
function literalError(text: string | undefined, decimals: number): number {
  if (text === undefined) return 0;
  const scientific = /^\d+(?:\.(\d+))?e([+−-]?\d+)$/.exec(text);
  if (!scientific) return 0.5 * 10 ** -decimals;
  const digits = scientific[1]?.length ?? 0;
  return 0.5 * 10 ** (Number(scientific[2]!.replace("−", "-")) - digits);
}

/**
 * Evaluates a printed expression and bounds, to first order, how much rounding
 * its literals to `decimals` places can move the result: each literal may be
 * off by half a unit in its last place (numbers shown to 12 decimals drop
 * trailing zeros, so 0.35 stands for anything in 0.35 ± 5e−13), and the bound
 * carries that through every operation. Where the formula cancels (a·x − a·x),
 * the value is near 0 and this bound, not a relative tolerance, says how close
 * the printed arithmetic can get.
 */
export function evaluateWithError(node: Node, decimals: number): Bounded {
  const at = (n: Node) => evaluateWithError(n, decimals);
  switch (node.kind) {
    case "number":
      return { value: node.value, error: literalError(node.text, decimals) };
    case "add":
    case "subtract": {
      const a = at(node.left),
        b = at(node.right);
      return { value: node.kind === "add" ? a.value + b.value : a.value - b.value, error: a.error + b.error };
    }
    case "multiply": {
      const a = at(node.left),
        b = at(node.right);
      return { value: a.value * b.value, error: Math.abs(a.value) * b.error + Math.abs(b.value) * a.error + a.error * b.error };
    }
    case "divide": {
      const a = at(node.left),
        b = at(node.right);
      const den = Math.abs(b.value) - b.error;
      return { value: a.value / b.value, error: den > 0 ? (a.error + Math.abs(a.value / b.value) * b.error) / den : Infinity };
    }
    case "negate": {
      const a = at(node.arg);
      return { value: -a.value, error: a.error };
    }
    case "power": {
      const a = at(node.base);
      return { value: a.value ** node.exp, error: node.exp * (Math.abs(a.value) + a.error) ** (node.exp - 1) * a.error };
    }
    case "call":
    case "exp": {
      const a = at(node.arg);
      const fn = node.kind === "exp" ? "exp" : node.fn;
      const value = APPLY[fn](a.value);
      // The largest slope of f on [x − e, x + e], bounded from above.
      const slope = {
        σ: 0.25,
        tanh: 1,
        ReLU: 1,
        log: 1 / Math.max(Math.abs(a.value) - a.error, 0),
        exp: Math.exp(a.value + a.error),
      }[fn];
      return { value, error: slope * a.error };
    }
  }
}
