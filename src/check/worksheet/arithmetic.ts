/**
 * A worksheet's own arithmetic, checked on its own: `0.12 + 0.04 + 0.35 =
 * 0.52` is a slip whatever the left side names. Each number stands for
 * everything that rounds to it (given values, written with two decimals or
 * fewer, stand for themselves), and a result agrees within one unit of its
 * last digit; so a result is wrong only when no such reading of the numbers
 * gives it: values carried at more precision than written raise no false alarm.
 */
import { sigmoid, type ElementwiseName } from "../../engine/activations.js";
import { ACTIVATION_RULES, ELEMENTWISE_NAMES } from "../../rules/activations.js";
import type { Term } from "./math.js";

export interface Interval {
  readonly low: number;
  readonly high: number;
}

const point = (v: number): Interval => ({ low: v, high: v });

function monotone(f: (x: number) => number, x: Interval): Interval {
  const a = f(x.low),
    b = f(x.high);
  return { low: Math.min(a, b), high: Math.max(a, b) };
}

/**
 * f over an interval for an activation of the rules table. GELU and SiLU dip
 * below 0 before they rise: where f′ changes sign inside the interval, the
 * minimum there (found by bisection on f′) joins the two ends.
 */
function activationOver(name: ElementwiseName, x: Interval): Interval {
  const rule = ACTIVATION_RULES[name];
  const ends = monotone(rule.value, x);
  const slope = (z: number) => rule.slope(z, rule.value(z));
  if (!(slope(x.low) < 0 && slope(x.high) > 0)) return ends;
  let low = x.low,
    high = x.high;
  for (let i = 0; i < 100 && high - low > 1e-15 * Math.max(1, Math.abs(low)); i++) {
    const mid = (low + high) / 2;
    if (slope(mid) < 0) low = mid;
    else high = mid;
  }
  return { low: Math.min(ends.low, rule.value(low), rule.value(high)), high: ends.high };
}

const FUNCTIONS: Readonly<Record<string, (x: number) => number>> = {
  ...Object.fromEntries(ELEMENTWISE_NAMES.map((name) => [name, ACTIVATION_RULES[name].value])),
  sigmoid,
  tanh: Math.tanh,
  exp: Math.exp,
  ln: Math.log,
  relu: (x) => Math.max(0, x),
  sqrt: Math.sqrt,
};

/** Whether a term is arithmetic on numbers alone. */
export function isNumeric(term: Term): boolean {
  switch (term.kind) {
    case "num":
      return true;
    case "op":
      return isNumeric(term.left) && isNumeric(term.right);
    case "neg":
      return isNumeric(term.arg);
    case "pow":
      return isNumeric(term.base) && isNumeric(term.exp);
    case "call":
      return (FUNCTIONS[term.fn] !== undefined || term.fn === "max" || term.fn === "min" || term.fn === "abs") && term.args.every(isNumeric);
    default:
      return false;
  }
}

/** The literal numbers of a term, as written. */
export function literals(term: Term): Extract<Term, { kind: "num" }>[] {
  switch (term.kind) {
    case "num":
      return [term];
    case "op":
      return [...literals(term.left), ...literals(term.right)];
    case "neg":
    case "transpose":
      return literals(term.arg);
    case "pow":
      return literals(term.base);
    case "call":
      return term.args.flatMap(literals);
    default:
      return [];
  }
}

/** One unit of the last written digit: "0.3775" stands for 0.3774…0.3776. */
export function unit(decimals: number): number {
  return 10 ** -decimals;
}

/** The values a numeric term can take when each number may be off by less than one unit of its last digit. */
export function interval(term: Term): Interval {
  switch (term.kind) {
    case "num": {
      // Numbers of three decimals or more are computed values, rounded: half a unit either way. Shorter
      // ones (1 in 1 − a, 0.5, 0.2, 4) are an exercise's given values, taken as written.
      const slack = term.decimals < 3 ? 0 : unit(term.decimals) / 2;
      return { low: term.value - slack, high: term.value + slack };
    }
    case "neg": {
      const x = interval(term.arg);
      return { low: -x.high, high: -x.low };
    }
    case "op": {
      const a = interval(term.left),
        b = interval(term.right);
      switch (term.op) {
        case "+":
          return { low: a.low + b.low, high: a.high + b.high };
        case "-":
          return { low: a.low - b.high, high: a.high - b.low };
        case "*": {
          const p = [a.low * b.low, a.low * b.high, a.high * b.low, a.high * b.high];
          return { low: Math.min(...p), high: Math.max(...p) };
        }
        case "/": {
          if (b.low <= 0 && b.high >= 0) return { low: -Infinity, high: Infinity };
          const p = [a.low / b.low, a.low / b.high, a.high / b.low, a.high / b.high];
          return { low: Math.min(...p), high: Math.max(...p) };
        }
      }
      break;
    }
    case "pow": {
      const base = interval(term.base),
        exp = term.exp.kind === "num" || term.exp.kind === "neg" ? evaluate(term.exp) : NaN;
      if (Number.isInteger(exp) && exp >= 0) {
        const p = [base.low ** exp, base.high ** exp];
        const low = exp % 2 === 0 && base.low <= 0 && base.high >= 0 ? 0 : Math.min(...p);
        return { low, high: Math.max(...p) };
      }
      const e = interval(term.exp);
      const p = [base.low ** e.low, base.low ** e.high, base.high ** e.low, base.high ** e.high].filter((v) => !Number.isNaN(v));
      return p.length === 0 ? { low: -Infinity, high: Infinity } : { low: Math.min(...p), high: Math.max(...p) };
    }
    case "call": {
      const args = term.args.map(interval);
      if (term.fn === "max") return { low: Math.max(...args.map((a) => a.low)), high: Math.max(...args.map((a) => a.high)) };
      if (term.fn === "min") return { low: Math.min(...args.map((a) => a.low)), high: Math.min(...args.map((a) => a.high)) };
      if (term.fn === "abs") {
        const x = args[0]!;
        return x.low >= 0 ? x : x.high <= 0 ? { low: -x.high, high: -x.low } : { low: 0, high: Math.max(-x.low, x.high) };
      }
      const f = FUNCTIONS[term.fn];
      if (!f || args.length !== 1) return { low: -Infinity, high: Infinity };
      return (ELEMENTWISE_NAMES as readonly string[]).includes(term.fn) ? activationOver(term.fn as ElementwiseName, args[0]!) : monotone(f, args[0]!);
    }
  }
  return { low: -Infinity, high: Infinity };
}

/** The value of a numeric term with its numbers as written. */
export function evaluate(term: Term): number {
  const x = intervalAtPoint(term);
  return (x.low + x.high) / 2;
}

function intervalAtPoint(term: Term): Interval {
  return interval(exact(term));
}

/** The same term with every number taken exactly as written. */
function exact(term: Term): Term {
  switch (term.kind) {
    case "num":
      return { ...term, decimals: 0 };
    case "op":
      return { ...term, left: exact(term.left), right: exact(term.right) };
    case "neg":
      return { ...term, arg: exact(term.arg) };
    case "pow":
      return { ...term, base: exact(term.base), exp: exact(term.exp) };
    case "call":
      return { ...term, args: term.args.map(exact) };
    default:
      return term;
  }
}

export { point };
