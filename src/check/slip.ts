import type { Deriver } from "../explain/derive.js";
import { evaluate, refsOf } from "../explain/expr.js";
import { computedQuantities } from "../explain/order.js";
import { quantityKey, type Quantity } from "../explain/quantity.js";
import { pathTerms } from "./paths.js";
import { agrees, type Printed } from "./printed.js";
import { said, type Said, type Say } from "../i18n/translate.js";

/** The likely cause of a wrong hand value, in words with names in the exercise's notation (`message` in English, `say` in any language). */
export interface Slip extends Said {
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
}

/** A slip whose message is said in English and, on request, in any other language. */
function slip(kind: Slip["kind"], say: Say): Slip {
  return { kind, ...said(say) };
}

/** What the diagnosis may look at besides the wrong value itself. */
export interface SlipContext {
  readonly deriver: Deriver;
  /** Names a quantity in the exercise's notation. */
  readonly name: (q: Quantity) => string;
  /** The same author's other hand values, by quantity key: used to replay their computation. */
  readonly claimed: ReadonlyMap<string, number>;
  /** The same values as written, where known: a value that agrees as rounded is not named as the culprit. */
  readonly printed?: ReadonlyMap<string, Printed>;
  readonly format: (value: number) => string;
}

export { quantityKey };

/** Per deriver: each quantity's direct inputs, and the computed quantities of the exercise, found once. */
const inputsCache = new WeakMap<Deriver, Map<string, readonly Quantity[]>>();
const computedCache = new WeakMap<Deriver, readonly Quantity[]>();

function inputsOf(deriver: Deriver, q: Quantity): readonly Quantity[] {
  let cache = inputsCache.get(deriver);
  if (!cache) inputsCache.set(deriver, (cache = new Map<string, readonly Quantity[]>()));
  const key = quantityKey(q);
  let found = cache.get(key);
  if (!found) cache.set(key, (found = refsOf(deriver.derive(q)?.formula ?? { kind: "const", value: 0 })));
  return found;
}

function computedOf(deriver: Deriver): readonly Quantity[] {
  let found = computedCache.get(deriver);
  if (!found) computedCache.set(deriver, (found = computedQuantities(deriver.problem)));
  return found;
}

function differs(own: number, exact: number): boolean {
  return Math.abs(own - exact) > 1e-12 * Math.max(1, Math.abs(exact));
}

/**
 * What the author's computation of one target rests on: the computed
 * quantities above it in its own step, up to the author's own values (which
 * stop the walk; earlier steps' values are taken as exact unless written),
 * and for each the quantities in this cone that use it. Found once per
 * diagnosis, so that each replay recomputes only what a changed value reaches.
 */
interface Cone {
  readonly target: Quantity;
  /** Inside the cone, by key: the quantities that use it. */
  readonly users: Map<string, Quantity[]>;
  /** The author's own values in the cone that differ from the exact ones. */
  readonly differing: Quantity[];
}

function coneOf(context: SlipContext, target: Quantity): Cone {
  const { deriver, claimed } = context;
  const step = producedIn(target);
  // The target's own step, and the parameters it starts from (so that an own wrong gradient of the step before carries into them).
  const expanded = (q: Quantity) =>
    q === target || step === undefined || producedIn(q) === step || ((q.kind === "w" || q.kind === "b") && producedIn(q) === step - 1);
  const users = new Map<string, Quantity[]>([[quantityKey(target), []]]);
  const differing: Quantity[] = [];
  const queue: Quantity[] = [target];
  for (let k = 0; k < queue.length; k++) {
    const q = queue[k]!;
    for (const r of inputsOf(deriver, q)) {
      const key = quantityKey(r);
      const known = users.get(key);
      if (known) {
        known.push(q);
        continue;
      }
      users.set(key, [q]);
      const own = claimed.get(key);
      if (own !== undefined) {
        if (differs(own, deriver.values.of(r))) differing.push(r);
        continue;
      }
      if (expanded(r)) queue.push(r);
    }
  }
  return { target, users, differing };
}

/** Everything in the cone downstream of `seeds`. */
function downstream(cone: Cone, seeds: readonly Quantity[]): Set<string> {
  const reached = new Set<string>();
  const queue = [...seeds];
  for (let k = 0; k < queue.length; k++) {
    for (const user of cone.users.get(quantityKey(queue[k]!)) ?? []) {
      const key = quantityKey(user);
      if (reached.has(key)) continue;
      reached.add(key);
      queue.push(user);
    }
  }
  return reached;
}

/**
 * The author's computation redone from the exact given values, using their
 * own earlier values wherever they wrote one, and `override` where given.
 * Only quantities that a changed value reaches are recomputed: the rest
 * keep their exact values, or the values of the replay without the override
 * (`base`, the author's own values carried forward).
 */
function replay(context: SlipContext, cone: Cone, override?: { q: Quantity; value: number; base: Replayed }): Replayed {
  const { deriver, claimed } = context;
  const targetKey = quantityKey(cone.target);
  const overrideKey = override && quantityKey(override.q);
  const dirty = downstream(cone, override ? [override.q] : cone.differing);
  const memo = new Map<string, number>();
  const valueOf = (q: Quantity): number => {
    const key = quantityKey(q);
    if (key === overrideKey) return override!.value;
    const own = claimed.get(key);
    if (own !== undefined && key !== targetKey) return own;
    if (!dirty.has(key)) return override ? override.base.valueOf(q) : deriver.values.of(q);
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    const derivation = deriver.derive(q);
    const value = derivation ? evaluate(derivation.formula, valueOf) : deriver.values.of(q);
    memo.set(key, value);
    return value;
  };
  return { value: valueOf(cone.target), valueOf };
}

interface Replayed {
  readonly value: number;
  readonly valueOf: (q: Quantity) => number;
}

/** The step whose computation produces `q`: an updated parameter comes from the step before the one that uses it. */
function producedIn(q: Quantity): number | undefined {
  if (!("step" in q)) return undefined;
  return q.kind === "w" || q.kind === "b" ? q.step - 1 : q.step;
}

/**
 * The computed quantities of the target's own step that it depends on,
 * nearest first, up to and including the author's own values. A value rounded in an
 * earlier step would have been written down (and so be the author's own).
 */
function ancestors(context: SlipContext, cone: Cone, limit: number): Quantity[] {
  const { deriver, claimed } = context;
  const step = producedIn(cone.target);
  const computed: Quantity[] = [];
  const seen = new Set<string>([quantityKey(cone.target)]);
  const queue: Quantity[] = [cone.target];
  for (let k = 0; k < queue.length && computed.length < limit; k++) {
    for (const r of inputsOf(deriver, queue[k]!)) {
      const key = quantityKey(r);
      if (seen.has(key)) continue;
      seen.add(key);
      if (producedIn(r) !== step || !deriver.derive(r)) continue;
      computed.push(r);
      // A value the author wrote is a candidate too (written to four decimals, used rounded to two), but the walk stops at it.
      if (!claimed.has(key)) queue.push(r);
    }
  }
  return computed;
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
      return slip("transposed-digits", (t) => t.text("slip.transposedDigits", { wrote, exact }));
    }
    if (differing.length === 1 && i !== lastDigit) return slip("miscopied-digit", (t) => t.text("slip.miscopiedDigit", { wrote, exact }));
  }
  // Removing a digit other than the last: removing the last is only rounding.
  const without = (text: string, i: number) => text.slice(0, i) + text.slice(i + 1);
  const longer = digits(solved, printed.decimals + 1);
  if (longer && [...longer].some((c, i) => i < longer.length - 1 && c !== "." && without(longer, i) === wrote)) {
    return slip("dropped-digit", (t) => t.text("slip.droppedDigit", { wrote, exact: longer }));
  }
  const shorter = digits(solved, printed.decimals - 1);
  if (shorter && [...wrote].some((c, i) => i < lastDigit && c !== "." && without(wrote, i) === shorter)) {
    return slip("extra-digit", (t) => t.text("slip.extraDigit", { wrote, exact: shorter }));
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

  if (solved !== 0 && fits(-solved)) return slip("sign", (t) => t.text("slip.sign", { name: name(q), value: format(solved) }));

  const cone = coneOf(context, q);
  const { differing } = cone;
  const base = replay(context, cone);
  if (differing.length > 0 && fits(base.value)) {
    // Values written as rounded as they are are not the culprits; the ones that disagree are named first.
    const wrong = differing.filter((r) => {
      const p = context.printed?.get(quantityKey(r));
      return p === undefined || !agrees(p, deriver.values.of(r));
    });
    const sources = (wrong.length > 0 ? wrong : differing)
      .slice(0, 3)
      .map((r) => ({ name: name(r), wrote: format(context.claimed.get(quantityKey(r))!), exact: format(deriver.values.of(r)) }));
    return slip("carried-forward", (t) =>
      t.text("slip.carriedForward", { sources: sources.map((source) => t.text("slip.carriedSource", source)).join(t.text("slip.sourceSeparator")) }),
    );
  }

  const terms = pathTerms(deriver, q);
  if (terms && terms.length > 1) {
    for (const { dropped, total } of subsetsWithout(terms)) {
      if (fits(total)) {
        return slip("missing-term", (t) =>
          t.text("slip.missingTerm", { dropped: dropped.length, terms: terms.length, values: t.list(dropped.map((i) => format(terms[i]!))) }),
        );
      }
    }
  }

  // An earlier value rounded on the way and used at that precision from then on.
  for (const u of ancestors(context, cone, 60)) {
    const exact = deriver.values.of(u);
    // Coarser roundings than two decimals explain too much by coincidence.
    for (let decimals = 2; decimals <= 3; decimals++) {
      const rounded = roundTo(exact, decimals);
      if (rounded === exact || !fits(replay(context, cone, { q: u, value: rounded, base }).value)) continue;
      return slip("carried-forward", (t) => t.text("slip.rounded", { name: name(u), rounded: format(rounded), exact: format(exact) }));
    }
  }

  const batch = deriver.problem.data.inputs.length;
  if (batch > 1 && /^d/.test(q.kind) && deriver.problem.loss.reduction === "mean" && fits(solved * batch)) {
    return slip("batch-average", (t) => t.text("slip.batchAverage", { batch }));
  }

  const sample = sampleOf(q);
  if (sample !== undefined) {
    for (let other = 0; other < batch; other++) {
      const twin = { ...q, sample: other } as Quantity;
      if (other !== sample && fits(deriver.values.of(twin)))
        return slip("other-sample", (t) => t.text("slip.otherSample", { sample: other + 1, name: name(twin) }));
    }
  }

  const sameKind = computedOf(deriver).filter(
    (o) => o.kind === q.kind && quantityKey(o) !== quantityKey(q) && ("step" in o ? o.step : 0) === ("step" in q ? q.step : 0),
  );
  const mistaken = sameKind.find((o) => fits(deriver.values.of(o)));
  if (mistaken) return slip("other-quantity", (t) => t.text("slip.otherQuantity", { name: name(mistaken) }));

  return digitSlip(printed, solved);
}
