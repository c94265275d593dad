import type { Deriver } from "../explain/derive.js";
import { evaluate, type Expr } from "../explain/expr.js";
import { computedQuantities } from "../explain/order.js";
import type { Quantity } from "../explain/quantity.js";
import { pathTerms } from "./paths.js";
import { agrees, type Printed } from "./printed.js";

/** The likely cause of a wrong hand value. */
export interface Slip {
  readonly kind:
    | "sign"
    | "carried-forward"
    | "missing-term"
    | "batch-average"
    | "other-sample"
    | "other-quantity"
    | "transposed-digits"
    | "dropped-digit"
    | "extra-digit"
    | "miscopied-digit";
  /** In words, with names in the exercise's notation. */
  readonly message: string;
}

/** What the diagnosis may look at besides the wrong value itself. */
export interface SlipContext {
  readonly deriver: Deriver;
  /** Names a quantity in the exercise's notation. */
  readonly name: (q: Quantity) => string;
  /** The same author's other hand values, by quantity key: used to replay their computation. */
  readonly claimed: ReadonlyMap<string, number>;
  readonly format: (value: number) => string;
}

export function quantityKey(q: Quantity): string {
  return JSON.stringify(q);
}

function refsOf(e: Expr): Quantity[] {
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
      return refsOf(e.arg);
    case "pow":
      return refsOf(e.base);
    case "softmax":
      return e.logits.flatMap(refsOf);
    default:
      return [];
  }
}

/**
 * The author's computation redone from the exact given values, using their
 * own earlier values wherever they wrote one, and `override` where given.
 */
function replay(context: SlipContext, target: Quantity, override?: { key: string; value: number }): number {
  const { deriver, claimed } = context;
  const memo = new Map<string, number>();
  const valueOf = (q: Quantity): number => {
    const key = quantityKey(q);
    if (override?.key === key) return override.value;
    const own = claimed.get(key);
    if (own !== undefined && key !== quantityKey(target)) return own;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    const derivation = deriver.derive(q);
    const value = derivation ? evaluate(derivation.formula, valueOf) : deriver.values.of(q);
    memo.set(key, value);
    return value;
  };
  return valueOf(target);
}

/** The computed quantities `target` depends on, nearest first, and which of them the author wrote differently. */
function ancestors(context: SlipContext, target: Quantity, limit: number): { computed: Quantity[]; differing: Quantity[] } {
  const { deriver, claimed } = context;
  const computed: Quantity[] = [];
  const differing: Quantity[] = [];
  const seen = new Set<string>([quantityKey(target)]);
  const queue: Quantity[] = [target];
  while (queue.length > 0 && computed.length < limit) {
    const q = queue.shift()!;
    for (const r of refsOf(deriver.derive(q)?.formula ?? { kind: "const", value: 0 })) {
      const key = quantityKey(r);
      if (seen.has(key)) continue;
      seen.add(key);
      const own = claimed.get(key);
      const exact = deriver.values.of(r);
      if (own !== undefined) {
        // The author's own value stops the walk: what is above it did not reach this result.
        if (Math.abs(own - exact) > 1e-12 * Math.max(1, Math.abs(exact))) differing.push(r);
        continue;
      }
      if (deriver.derive(r)) {
        computed.push(r);
        queue.push(r);
      }
    }
  }
  return { computed, differing };
}

function roundTo(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

function* subsetsWithout(terms: readonly number[]): Generator<{ dropped: number[]; total: number }> {
  const total = terms.reduce((s, t) => s + t, 0);
  for (let i = 0; i < terms.length; i++) yield { dropped: [i], total: total - terms[i]! };
  if (terms.length > 16) return;
  for (let i = 0; i < terms.length; i++) for (let j = i + 1; j < terms.length; j++) yield { dropped: [i, j], total: total - terms[i]! - terms[j]! };
}

function digits(value: number, decimals: number): string | undefined {
  return decimals >= 0 && decimals <= 15 ? Math.abs(value).toFixed(decimals) : undefined;
}

function sameSign(a: number, b: number): boolean {
  return Math.sign(a) === Math.sign(b) || a === 0 || b === 0;
}

/** Which positions of two equally long digit strings differ. */
function differences(a: string, b: string): number[] {
  return [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
}

/**
 * Slips of the pen between the exact value and what was written. A difference
 * in the last digit alone is left unexplained: that is arithmetic imprecision,
 * not a copying slip.
 */
function digitSlip(printed: Printed, solved: number): Slip | undefined {
  if (!sameSign(printed.value, solved)) return undefined;
  const wrote = digits(printed.value, printed.decimals);
  const exact = digits(solved, printed.decimals);
  if (!wrote || !exact) return undefined;
  const lastDigit = wrote.length - 1;
  if (wrote.length === exact.length) {
    const differing = differences(wrote, exact);
    const [i, j] = differing;
    if (differing.length === 2 && j === i! + 1 && wrote[i!] === exact[j] && wrote[j] === exact[i!]) {
      return { kind: "transposed-digits", message: `two digits swapped: ${wrote} for ${exact}` };
    }
    if (differing.length === 1 && i !== lastDigit) return { kind: "miscopied-digit", message: `one digit differs: ${wrote} for ${exact}` };
  }
  // Removing a digit other than the last: removing the last is only rounding.
  const without = (text: string, i: number) => text.slice(0, i) + text.slice(i + 1);
  const longer = digits(solved, printed.decimals + 1);
  if (longer && [...longer].some((c, i) => i < longer.length - 1 && c !== "." && without(longer, i) === wrote)) {
    return { kind: "dropped-digit", message: `a digit dropped: ${wrote} for ${longer}` };
  }
  const shorter = digits(solved, printed.decimals - 1);
  if (shorter && [...wrote].some((c, i) => i < lastDigit && c !== "." && without(wrote, i) === shorter)) {
    return { kind: "extra-digit", message: `a digit too many: ${wrote} for ${shorter}` };
  }
  return undefined;
}

function sampleOf(q: Quantity): number | undefined {
  return "sample" in q ? q.sample : undefined;
}

/**
 * The likeliest slip behind a disagreeing hand value, tried from the most to
 * the least specific explanation; undefined when none fits.
 */
export function diagnose(q: Quantity, printed: Printed, context: SlipContext): Slip | undefined {
  const { deriver, name, format } = context;
  const solved = deriver.values.of(q);
  const fits = (value: number) => agrees(printed, value);

  if (solved !== 0 && fits(-solved)) return { kind: "sign", message: `the sign is wrong: ${name(q)} = ${format(solved)}` };

  const { computed, differing } = ancestors(context, q, 60);
  if (differing.length > 0 && fits(replay(context, q))) {
    const sources = differing.slice(0, 3).map((r) => `${name(r)} = ${format(context.claimed.get(quantityKey(r))!)} (exact ${format(deriver.values.of(r))})`);
    return { kind: "carried-forward", message: `follows from earlier values carried forward: ${sources.join(", ")}` };
  }

  const terms = pathTerms(deriver, q);
  if (terms && terms.length > 1) {
    for (const { dropped, total } of subsetsWithout(terms)) {
      if (fits(total)) {
        return { kind: "missing-term", message: `the sum over paths misses ${dropped.length === 1 ? "1 of" : `${dropped.length} of`} its ${terms.length} terms (${dropped.map((i) => format(terms[i]!)).join(" and ")})` };
      }
    }
  }

  // An earlier value rounded on the way and used at that precision from then on.
  for (const u of computed) {
    const exact = deriver.values.of(u);
    // Coarser roundings than two decimals explain too much by coincidence.
    for (let decimals = 2; decimals <= 3; decimals++) {
      const rounded = roundTo(exact, decimals);
      if (rounded === exact || !fits(replay(context, q, { key: quantityKey(u), value: rounded }))) continue;
      return { kind: "carried-forward", message: `follows from ${name(u)} rounded to ${format(rounded)} (exact ${format(exact)}) and carried forward` };
    }
  }

  const batch = deriver.problem.data.inputs.length;
  if (batch > 1 && /^d/.test(q.kind) && deriver.problem.loss.reduction === "mean" && fits(solved * batch)) {
    return { kind: "batch-average", message: `the 1/${batch} of the batch average is missing` };
  }

  const sample = sampleOf(q);
  if (sample !== undefined) {
    for (let other = 0; other < batch; other++) {
      const twin = { ...q, sample: other } as Quantity;
      if (other !== sample && fits(deriver.values.of(twin))) return { kind: "other-sample", message: `this is the value for sample ${other + 1}: ${name(twin)}` };
    }
  }

  const sameKind = computedQuantities(deriver.problem).filter((o) => o.kind === q.kind && quantityKey(o) !== quantityKey(q) && ("step" in o ? o.step : 0) === ("step" in q ? q.step : 0));
  const mistaken = sameKind.find((o) => fits(deriver.values.of(o)));
  if (mistaken) return { kind: "other-quantity", message: `this is the value of ${name(mistaken)}` };

  return digitSlip(printed, solved);
}
