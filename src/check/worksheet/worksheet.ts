/**
 * A worksheet checked as the student wrote it: every equation chain
 * `left side = … = number` in its Markdown or LaTeX is matched to the
 * quantity its left side names, in the step and sample its words (or its
 * values) place it, and checked as `gradstep check` checks a claim, with
 * the likely slip; every `= arithmetic =` link is checked on its own; and
 * every equation that cannot be matched is reported with the reason.
 */
import type { Deriver } from "../../explain/derive.js";
import { evaluate as evaluateExpr, type Expr } from "../../explain/expr.js";
import { pathOf, quantityKey, type Quantity } from "../../explain/quantity.js";
import type { Solved } from "../../explain/solution.js";
import { solved } from "../../explain/solution.js";
import { formatPath } from "../../json-path.js";
import type { Problem } from "../../problem/problem.js";
import type { Trace } from "../../solve/trace.js";
import { checkClaims, type CheckedClaim, type CheckResult, type Verdict } from "../check.js";
import { readClaims } from "../claims.js";
import { agrees, readPrinted, type Printed } from "../printed.js";
import { interval, isNumeric, literals, unit } from "./arithmetic.js";
import { readMarks } from "./context.js";
import { chainsOf, normalizeLatex, parseLatex, parseTerm, type Chain, type KatexParse, type NameRef, type Term } from "./math.js";
import { layerMatrix, WorksheetNames, type LayerMatrix, type Resolution } from "./names.js";
import { Lines, scanMath, type MathSpan, type WorksheetFormat } from "./scan.js";
import { said, type Said } from "../../i18n/translate.js";

/** Where an equation or a number stands in the worksheet. */
export interface WorksheetSource {
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  /** The equation as written. */
  readonly text: string;
  /** Which math span of the worksheet it stands in (renderers put marks after it). */
  readonly span: number;
}

export type NotUnderstood =
  "unknown-name" | "local-derivative" | "one-sample" | "ambiguous-step" | "ambiguous-sample" | "no-number" | "not-parsed" | "other-exercise" | "shape";

export type WorksheetItem =
  /** A value matched to a quantity and checked. */
  | { readonly kind: "claim"; readonly source: WorksheetSource; readonly claim: CheckedClaim }
  /** One `= arithmetic =` link, checked on its own. */
  | ({ readonly kind: "arithmetic"; readonly source: WorksheetSource; readonly printed: string; readonly computed: number; readonly verdict: Verdict } & Said)
  | ({ readonly kind: "not-understood"; readonly source: WorksheetSource; readonly reason: NotUnderstood } & Said);

export interface WorksheetCheck {
  readonly text: string;
  readonly lines: readonly string[];
  readonly spans: readonly MathSpan[];
  /** In the order of the worksheet. */
  readonly items: readonly WorksheetItem[];
  readonly result: CheckResult;
}

export interface WorksheetOptions {
  readonly format?: WorksheetFormat;
  readonly solution?: Solved;
}

/** The reader's state as it walks the worksheet: which step and sample the words put it in. */
interface Cursor {
  step: number;
  explicit: boolean;
  sample: number | undefined;
  phase: "forward" | "backward" | "update" | undefined;
  section: string;
}

interface Pending {
  readonly source: WorksheetSource;
  readonly q: Quantity;
  readonly printed: Printed;
  readonly section: string;
  /** The numbers the equation substituted, when it wrote any. */
  readonly substituted: readonly Extract<Term, { kind: "num" }>[];
  readonly order: number;
}

const isParameter = (q: Quantity) => q.kind === "w" || q.kind === "b";
const sampleOf = (q: Quantity) => ("sample" in q ? q.sample : undefined);

export function checkWorksheet(parse: KatexParse, problem: Problem, trace: Trace, text: string, options: WorksheetOptions = {}): WorksheetCheck {
  const solution = options.solution ?? solved(problem, trace);
  const { deriver } = solution;
  const lines = new Lines(text);
  const spans = scanMath(text, options.format ?? "markdown");
  const readName = (latex: string): NameRef | undefined => {
    try {
      const term = parseTerm(parseLatex(parse, latex, false));
      return term.kind === "name" ? term.name : undefined;
    } catch {
      return undefined;
    }
  };
  const names = new WorksheetNames(problem, solution.notation, readName);
  const steps = problem.training.steps;
  const batch = problem.data.inputs.length;
  const cursor: Cursor = { step: 0, explicit: false, sample: undefined, phase: undefined, section: "" };
  const items: (WorksheetItem | { kind: "pending"; pending: Pending })[] = [];
  /** The exercise section each item stands in. */
  const sections: string[] = [];
  const add = (item: (typeof items)[number]) => {
    items.push(item);
    sections.push(cursor.section);
  };
  const claimedAt = new Set<string>();
  let previousEnd = 0;

  const mark = (prose: string) => {
    const marks = readMarks(prose);
    if (marks.exercise !== undefined && marks.exercise !== cursor.section) {
      cursor.section = marks.exercise;
      cursor.step = 0;
      cursor.explicit = false;
      cursor.sample = undefined;
    }
    if (marks.step !== undefined) {
      cursor.step = Math.min(marks.step - 1, Math.max(steps - 1, 0));
      cursor.explicit = true;
    }
    if (marks.final && steps > 0) {
      cursor.step = steps;
      cursor.explicit = true;
    }
    if (marks.sample !== undefined && marks.sample <= batch) cursor.sample = marks.sample === 0 ? undefined : marks.sample - 1;
    if (marks.phase !== undefined) cursor.phase = marks.phase;
  };

  for (const [index, span] of spans.entries()) {
    mark(text.slice(previousEnd, span.start));
    previousEnd = span.end;
    const { text: latex, origin } = normalizeLatex(span.latex);
    const sourceAt = (at: number, end: number): WorksheetSource => {
      // A command's position is its first argument's (\frac{…}): the command itself is taken back in.
      const start = at - (/\\[A-Za-z]+\s*$/.exec(latex.slice(0, at))?.[0].length ?? 0);
      const from = span.offset + origin[Math.min(start, origin.length - 1)]!;
      const to = span.offset + origin[Math.min(end, origin.length - 1)]!;
      const position = lines.at(from);
      return { line: position.line, column: position.column, text: text.slice(from, Math.max(from, to)).trim(), span: index };
    };
    let chains: Chain[];
    try {
      chains = chainsOf(parseLatex(parse, latex, span.display));
    } catch (error) {
      add({
        kind: "not-understood",
        source: sourceAt(0, latex.length),
        reason: "not-parsed",
        ...said((t) => t.text("worksheet.unreadableMath", { error: (error as Error).message.replace(/^KaTeX parse error: /, "") })),
      });
      continue;
    }
    for (const chain of chains) {
      const source = sourceAt(chain.start, chain.end);
      // Marks point at the number; their text is the whole equation.
      const valueSource = { ...sourceAt(chain.valueStart, chain.end), text: source.text };
      readChain(chain, source, valueSource);
    }
  }

  function readChain(chain: Chain, source: WorksheetSource, valueSource: WorksheetSource): void {
    const { members, relations } = chain;
    // Each `= arithmetic =` link on its own.
    for (let i = 0; i + 1 < members.length; i++) {
      const left = members[i]!,
        right = members[i + 1]!;
      if (!isNumeric(left) || !isNumeric(right) || left.kind === "num") continue;
      add(arithmeticLink(left, right, i + 1 === members.length - 1 ? valueSource : source));
    }
    const last = members[members.length - 1]!;
    const named = members.slice(0, -1).filter((m) => !isNumeric(m) && isNameLike(m));
    if (isNumeric(members[0]!)) return;
    if (members[0]!.kind === "unknown") {
      add({ kind: "not-understood", source, reason: "not-parsed", ...said((t) => t.text("worksheet.unreadableLeft")) });
      return;
    }
    if (named.length === 0) {
      add({ kind: "not-understood", source, reason: "unknown-name", ...said((t) => t.text("worksheet.leftNoQuantity")) });
      return;
    }
    const update = relations[0] === "←";
    const substituted = members.slice(1, -1).filter(isNumeric).flatMap(literals);
    const before = items.length;
    for (const lhs of named) {
      const matrix = grid(last) && layerMatrix(lhs, problem.network.layers.length, (t) => names.isLoss(t));
      if (matrix) {
        readLayerMatrix(matrix, grid(last)!, source, valueSource, update);
        continue;
      }
      if (lhs.kind === "matrix" || lhs.kind === "transpose") {
        readMatrix(lhs, last, source, valueSource, update);
        continue;
      }
      const value = valueOf(last);
      if (!value) {
        add({
          kind: "not-understood",
          source,
          reason: "no-number",
          ...said((t) => t.text(isNumeric(last) ? "worksheet.endsInArithmetic" : "worksheet.noNumber")),
        });
        continue;
      }
      resolveOne(lhs, value, update, substituted, valueSource);
    }
    // δ_{h1} = ∂E/∂z_{h1} = …: two names of one quantity, one claim.
    const seen = new Set<string>();
    for (let k = before; k < items.length; k++) {
      const item = items[k]!;
      if (item.kind !== "pending") continue;
      const key = quantityKey(item.pending.q);
      if (seen.has(key)) {
        items.splice(k, 1);
        sections.splice(k, 1);
        k--;
      } else seen.add(key);
    }
  }

  function readMatrix(lhs: Term, last: Term, source: WorksheetSource, valueSource: WorksheetSource, update: boolean): void {
    const left = grid(lhs),
      right = grid(last);
    if (!left || !right) {
      add({
        kind: "not-understood",
        source,
        reason: right ? "unknown-name" : "no-number",
        ...said((t) => t.text(right ? "worksheet.matrixNotNames" : "worksheet.matrixNoNumbers")),
      });
      return;
    }
    const sameShape = left.length === right.length && left.every((row, r) => row.length === right[r]!.length);
    const flipped = transpose(right);
    const transposedShape = left.length === flipped.length && left.every((row, r) => row.length === flipped[r]!.length);
    const values = sameShape ? right : transposedShape ? flipped : undefined;
    if (!values) {
      add({
        kind: "not-understood",
        source,
        reason: "shape",
        ...said((t) => t.text("worksheet.matrixShapes", { left: `${left.length}×${left[0]?.length ?? 0}`, right: `${right.length}×${right[0]?.length ?? 0}` })),
      });
      return;
    }
    left.forEach((row, r) => {
      row.forEach((cell, c) => {
        const value = valueOf(values[r]![c]!);
        if (!value) add({ kind: "not-understood", source, reason: "no-number", ...said((t) => t.text("worksheet.entryNotNumber")) });
        else resolveOne(cell, value, update, [], valueSource);
      });
    });
  }

  /** W^{(1)} = [[…]]: a layer's matrix entry by entry, in its natural shape or transposed. */
  function readLayerMatrix(matrix: LayerMatrix, values: Term[][], source: WorksheetSource, valueSource: WorksheetSource, update: boolean): void {
    const { kind, layer } = matrix;
    const spec = problem.network.layers[layer]!;
    const inputs = layer === 0 ? problem.network.inputs : problem.network.layers[layer - 1]!.units;
    const shared = spec.bias.mode === "shared";
    // Rows × columns as the matrix form writes them: weights units × inputs, per-sample values batch × units, biases a row.
    const natural: [number, number] =
      kind === "w" || kind === "dw" ? [spec.units, inputs] : kind === "b" || kind === "db" ? [1, shared ? 1 : spec.units] : [batch, spec.units];
    const oriented = matrix.transposed ? transpose(values) : values;
    const fits = (g: Term[][], [rows, columns]: [number, number]) => g.length === rows && g.every((row) => row.length === columns);
    const entries = fits(oriented, natural) ? oriented : fits(transpose(oriented), natural) ? transpose(oriented) : undefined;
    if (!entries || (kind === "b" || kind === "db" ? spec.bias.mode === "none" : false)) {
      add({
        kind: "not-understood",
        source,
        reason: "shape",
        ...said((t) =>
          t.text("worksheet.layerShape", {
            layer: layer + 1,
            kind,
            natural: `${natural[0]}×${natural[1]}`,
            written: `${values.length}×${values[0]?.length ?? 0}`,
          }),
        ),
      });
      return;
    }
    const stepsOf = Array.from({ length: steps + 1 }, (_, s) => s);
    const context = cursor.sample;
    // The rows name their samples: the words' sample does not apply.
    cursor.sample = undefined;
    entries.forEach((row, r) => {
      row.forEach((cell, c) => {
        const value = valueOf(cell);
        if (!value) {
          add({ kind: "not-understood", source, reason: "no-number", ...said((t) => t.text("worksheet.entryNotNumber")) });
          return;
        }
        const at = (step: number): Quantity =>
          kind === "w" || kind === "dw"
            ? { kind, step, layer, j: r, i: c }
            : kind === "b" || kind === "db"
              ? { kind, step, layer, j: shared ? undefined : c }
              : { kind, step, layer, sample: r, j: c };
        const candidates = stepsOf.map(at).filter((q) => deriver.values.has(q));
        place({ candidates, update: false }, value, update, [], valueSource);
      });
    });
    cursor.sample = context;
  }

  function resolveOne(lhs: Term, printed: Printed, update: boolean, substituted: readonly Extract<Term, { kind: "num" }>[], source: WorksheetSource): void {
    const resolution = names.resolve(lhs);
    if (!("candidates" in resolution)) {
      add({ kind: "not-understood", source, reason: resolution.reason, message: resolution.message, say: resolution.say });
      return;
    }
    place(resolution, printed, update, substituted, source);
  }

  function place(
    resolution: Resolution,
    printed: Printed,
    update: boolean,
    substituted: readonly Extract<Term, { kind: "num" }>[],
    source: WorksheetSource,
  ): void {
    const chosen = choose(resolution, printed, update);
    if ("reason" in chosen) {
      add({ kind: "not-understood", source, reason: chosen.reason, message: chosen.message, say: chosen.say });
      return;
    }
    const share = oneSample(chosen.q, printed);
    if (share !== undefined) {
      add({
        kind: "not-understood",
        source,
        reason: "one-sample",
        ...said((t) =>
          t.text("worksheet.oneSample", {
            sample: share.sample + 1,
            value: share.value.toFixed(printed.decimals + 1),
            batch: deriver.values.of(chosen.q).toFixed(printed.decimals + 1),
          }),
        ),
      });
      return;
    }
    claimedAt.add(quantityKey(chosen.q));
    add({ kind: "pending", pending: { source, q: chosen.q, printed, section: cursor.section, substituted, order: items.length } });
  }

  /**
   * A parameter's gradient written for one sample of a batch (a worksheet
   * that works sample by sample): not a value of the trace, and not wrong.
   * Undefined unless the value agrees with one sample's share and not with
   * the batch's gradient.
   */
  function oneSample(q: Quantity, printed: Printed): { sample: number; value: number } | undefined {
    // Only where the words put the worksheet in one sample, and for a value with two significant digits or more:
    // a one-digit value meets some sample's share by chance.
    if ((q.kind !== "dw" && q.kind !== "db") || batch === 1 || cursor.sample === undefined || Math.abs(printed.value) < 10 * 10 ** -printed.decimals)
      return undefined;
    if (agrees(printed, deriver.values.of(q))) return undefined;
    const formula = deriver.derive(q)?.formula;
    if (!formula) return undefined;
    const scale = problem.loss.reduction === "mean" ? batch : 1;
    for (let sample = 0; sample < batch; sample++) {
      if (sample !== cursor.sample) continue;
      // Every other sample's values set to zero: each term of the sum carries a factor that then vanishes.
      const value = scale * evaluateExpr(formula, (r) => (sampleOf(r) !== undefined && sampleOf(r) !== sample ? 0 : deriver.values.of(r)));
      if (Number.isFinite(value) && agrees(printed, value)) return { sample, value };
    }
    return undefined;
  }

  /** The step a candidate is wanted at: parameters after an update belong to the next step. */
  function wantedStep(q: Quantity, update: boolean): number | undefined {
    if (!("step" in q)) return undefined;
    return isParameter(q) && (update || cursor.phase === "update") ? cursor.step + 1 : cursor.step;
  }

  function choose(resolution: Resolution, printed: Printed, writtenAsUpdate: boolean): { q: Quantity } | ({ reason: NotUnderstood } & Said) {
    const update = writtenAsUpdate || resolution.update;
    let candidates = [...resolution.candidates];
    if (update) candidates = candidates.filter((q) => !isParameter(q) || ("step" in q && q.step > 0));
    if (resolution.step !== undefined) {
      const hinted = candidates.filter((q) => "step" in q && (isParameter(q) ? q.step === resolution.step : q.step === resolution.step! - 1));
      if (hinted.length > 0) candidates = hinted;
    }
    const fits = (q: Quantity) => agrees(printed, deriver.values.of(q));
    const sampleFits = (q: Quantity) => cursor.sample === undefined || sampleOf(q) === undefined || sampleOf(q) === cursor.sample;
    const stepOf = (q: Quantity) => ("step" in q ? q.step : undefined);
    const atWanted = (q: Quantity) => stepOf(q) === undefined || stepOf(q) === wantedStep(q, update);
    const wanted = candidates.filter((q) => atWanted(q) && sampleFits(q));
    if (wanted.length === 1 && fits(wanted[0]!)) return { q: wanted[0]! };
    const distance = (q: Quantity) => Math.abs((stepOf(q) ?? 0) - (wantedStep(q, update) ?? 0));
    const allowed = candidates.filter((q) => sampleFits(q) && (!cursor.explicit || distance(q) === 0 || (isParameter(q) && distance(q) <= 1)));
    const agreeing = allowed.filter(fits).sort((a, b) => distance(a) - distance(b) || (stepOf(a) ?? 0) - (stepOf(b) ?? 0));
    if (agreeing.length > 0) {
      const q = agreeing[0]!;
      advance(q);
      return { q };
    }
    if (wanted.length === 1) {
      const q = wanted[0]!;
      // The same name again with no word of a new step: the next step's, once this step's is written.
      if (!cursor.explicit && claimedAt.has(quantityKey(q)) && !isParameter(q)) {
        const next = candidates.find((c) => stepOf(c) === (stepOf(q) ?? 0) + 1 && sampleOf(c) === sampleOf(q));
        if (next) {
          advance(next);
          return { q: next };
        }
      }
      return { q };
    }
    if (wanted.length === 0 && candidates.length === 1) return { q: candidates[0]! };
    // The loss by the same name as each sample's: the sample's where the words name one, else the batch's.
    const own = wanted.filter((q) => cursor.sample !== undefined && sampleOf(q) === cursor.sample);
    if (own.length === 1) return { q: own[0]! };
    const whole = wanted.filter((q) => sampleOf(q) === undefined);
    if (cursor.sample === undefined && whole.length === 1) return { q: whole[0]! };
    if (wanted.length > 1 && new Set(wanted.map(sampleOf)).size > 1) {
      return { reason: "ambiguous-sample", ...said((t) => t.text("worksheet.whichSample", { batch })) };
    }
    return { reason: "ambiguous-step", ...said((t) => t.text("worksheet.whichStep")) };
  }

  /** Values that agree only in a later step move the reader on, when no word has placed it. */
  function advance(q: Quantity): void {
    if (cursor.explicit || !("step" in q)) return;
    const step = isParameter(q) ? q.step - 1 : q.step;
    if (step > cursor.step) cursor.step = Math.min(step, steps);
  }

  function arithmeticLink(left: Term, right: Term, source: WorksheetSource): WorksheetItem {
    const range = interval(left);
    const computed = (range.low + range.high) / 2;
    const target = right.kind === "num" ? { low: right.value - unit(right.decimals), high: right.value + unit(right.decimals) } : interval(right);
    const strict = right.kind === "num" ? { low: target.low, high: target.high, open: true } : { ...target, open: false };
    const overlaps = strict.open ? range.low < strict.high && range.high > strict.low : range.low <= strict.high && range.high >= strict.low;
    const printed = right.kind === "num" ? right.text : source.text;
    const decimals = right.kind === "num" ? right.decimals : 4;
    return {
      kind: "arithmetic",
      source,
      printed,
      computed,
      verdict: overlaps ? "agrees" : "disagrees",
      ...said((t) =>
        overlaps
          ? t.text("worksheet.arithmeticAgrees")
          : t.text("worksheet.arithmeticGives", { computed: computed.toFixed(Math.max(decimals, 1) + 1), printed }),
      ),
    };
  }

  // Check every matched value together, so that the author's own earlier values explain later ones.
  const pending = items.flatMap((item) => (item.kind === "pending" ? [item.pending] : []));
  const foreign = otherExercise(pending, deriver);
  const kept = pending.filter((p) => !foreign.has(p));
  const claims = readClaims(kept.map((p) => ({ path: formatPath(pathOf(problem, p.q)), printed: p.printed.text, seed: "worksheet" }))).map((claim, k) => ({
    ...claim,
    quantity: kept[k]!.q,
  }));
  const result = checkClaims(problem, trace, claims, { solution });
  const checked = new Map(kept.map((p, k) => [p, result.claims[k]!]));
  // A section whose only telling values are another exercise's: what could not be placed in it is that exercise's too.
  const foreignSections = new Set(
    [...foreign.values()].length > 0
      ? pending
          .filter((p) => foreign.has(p))
          .map((p) => p.section)
          .filter((section) => section !== "" && !pending.some((p) => p.section === section && !foreign.has(p) && agrees(p.printed, deriver.values.of(p.q))))
      : [],
  );
  const finished = items.map((item, k): WorksheetItem => {
    if (item.kind === "not-understood" && item.reason.startsWith("ambiguous") && foreignSections.has(sections[k]!)) {
      const section = sections[k]!;
      return { ...item, reason: "other-exercise", ...said((t) => t.text("worksheet.otherSection", { section })) };
    }
    if (item.kind !== "pending") return item;
    const claim = checked.get(item.pending);
    if (claim) return { kind: "claim", source: item.pending.source, claim };
    return { kind: "not-understood", source: item.pending.source, reason: "other-exercise", ...foreign.get(item.pending)! };
  });
  return { text, lines: lines.lines, spans, items: finished, result };
}

/** The value of every part of a formula: its operands, products, differences, squares. */
function partValues(expr: Expr, value: (q: Quantity) => number): number[] {
  const parts: number[] = [];
  const visit = (e: Expr) => {
    if (e.kind === "partial") return;
    try {
      parts.push(evaluateExpr(e, value));
    } catch {
      return;
    }
    if (e.kind === "sum") e.terms.forEach(visit);
    else if (e.kind === "mul") e.factors.forEach(visit);
    else if (e.kind === "sub") [e.left, e.right].forEach(visit);
    else if (e.kind === "div") [e.num, e.den].forEach(visit);
    else if (e.kind === "neg" || e.kind === "fn") visit(e.arg);
    else if (e.kind === "pow") visit(e.base);
    else if (e.kind === "softmax") e.logits.forEach(visit);
  };
  visit(expr);
  return parts;
}

/** Names, derivatives, gradients and matrices of them: what a left side may be. */
function isNameLike(term: Term): boolean {
  return term.kind === "name" || term.kind === "deriv" || term.kind === "grad" || term.kind === "matrix" || (term.kind === "transpose" && isNameLike(term.arg));
}

/** The number a chain ends in, as written: `0.0822`, `-0.5`, `1.2 \times 10^{-3}`. */
function valueOf(term: Term): Printed | undefined {
  if (term.kind === "num") return readPrinted(term.text);
  if (term.kind === "neg" && term.arg.kind === "num") return readPrinted(`-${term.arg.text}`);
  if (
    term.kind === "op" &&
    term.op === "*" &&
    term.left.kind === "num" &&
    term.right.kind === "pow" &&
    term.right.base.kind === "num" &&
    term.right.base.value === 10 &&
    term.right.exp.kind === "num"
  ) {
    return readPrinted(`${term.left.text}e${term.right.exp.text}`);
  }
  return undefined;
}

function grid(term: Term): Term[][] | undefined {
  if (term.kind === "transpose") {
    const inner = grid(term.arg);
    return inner && transpose(inner);
  }
  return term.kind === "matrix" ? term.rows.map((row) => [...row]) : undefined;
}

function transpose<T>(rows: readonly (readonly T[])[]): T[][] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  return Array.from({ length: width }, (_, c) => rows.map((row) => row[c]!));
}

/**
 * Values whose own arithmetic says they belong to another exercise: the
 * numbers substituted are not this exercise's values of the quantity's
 * operands (nor the worksheet's own), and the value disagrees. In a section
 * (Aufgabe 2, Exercise 3) where such values outnumber the ones whose numbers
 * fit, every disagreeing value of the section is left unmatched.
 */
function otherExercise(pending: readonly Pending[], deriver: Deriver): Map<Pending, Said> {
  const written = new Map(pending.map((p) => [quantityKey(p.q), p.printed.value]));
  const verdicts = pending.map((p) => {
    const agreesHere = agrees(p.printed, deriver.values.of(p.q));
    const formula = deriver.derive(p.q)?.formula;
    const telling = p.substituted.filter((n) => ![0, 1, 2, 0.5].includes(Math.abs(n.value)));
    if (telling.length < 2 || !formula) return { agreesHere, evidence: "none" as const };
    // The operands and every part of the formula, with exact values and with the worksheet's own.
    const exact = (q: Quantity) => deriver.values.of(q);
    const own = (q: Quantity) => written.get(quantityKey(q)) ?? deriver.values.of(q);
    const known = [...partValues(formula, exact), ...partValues(formula, own)];
    const fitting = telling.filter((n) => known.some((v) => Math.abs(Math.abs(n.value) - Math.abs(v)) < unit(n.decimals) * 1.0001));
    return { agreesHere, evidence: fitting.length * 3 >= telling.length ? ("fits" as const) : ("foreign" as const) };
  });
  const foreign = new Map<Pending, Said>();
  const sections = new Map<string, { fits: number; foreign: number }>();
  pending.forEach((p, k) => {
    const tally = sections.get(p.section) ?? { fits: 0, foreign: 0 };
    const v = verdicts[k]!;
    if (v.evidence === "fits" || (v.evidence === "none" && v.agreesHere)) tally.fits++;
    if (v.evidence === "foreign" && !v.agreesHere) tally.foreign++;
    sections.set(p.section, tally);
  });
  pending.forEach((p, k) => {
    const v = verdicts[k]!;
    if (v.agreesHere) return;
    const tally = sections.get(p.section)!;
    if (v.evidence === "foreign")
      foreign.set(
        p,
        said((t) => t.text("worksheet.otherNumbers")),
      );
    else if (p.section !== "" && tally.foreign >= 2 && tally.foreign > tally.fits)
      foreign.set(
        p,
        said((t) => t.text("worksheet.otherSection", { section: p.section })),
      );
  });
  return foreign;
}
