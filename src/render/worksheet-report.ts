/**
 * A checked worksheet shown as the student wrote it, with red-pen marks:
 * every number that was checked gets ✓ or ✗ (with the right value and the
 * likely slip), every arithmetic slip is marked, and every equation that
 * could not be matched says why. Text for terminals, the worksheet itself
 * in Markdown or HTML (formulas typeset, each wrong value's derivation in
 * a fold-out), and JSON for machines.
 */
import { createColors } from "picocolors";
import type { CheckedClaim } from "../check/check.js";
import type { WorksheetCheck, WorksheetItem } from "../check/worksheet/worksheet.js";
import { derivationLines } from "./derivation.js";
import { escapeHtml } from "./html.js";
import { formatNumber, typographic } from "../number-format.js";
import { english, type MessageKey, type Translator } from "../i18n/translate.js";

export interface WorksheetReportOptions {
  readonly decimals?: number;
  readonly color?: boolean;
  /** The language of the marks and the summary; English by default. */
  readonly t?: Translator;
}

/** The right value, to one more digit than the student wrote. */
function correct(claim: CheckedClaim, decimals: number): string {
  const written = claim.printed.replace(/^[^.]*\.?/, "").replace(/e.*$/i, "").length;
  return formatNumber(claim.solved, Math.max(decimals, written + 1));
}

const REASONS: Readonly<Record<string, MessageKey>> = {
  "unknown-name": "worksheet.reason.unknownName",
  "local-derivative": "worksheet.reason.localDerivative",
  "one-sample": "worksheet.reason.oneSample",
  "ambiguous-step": "worksheet.reason.ambiguousStep",
  "ambiguous-sample": "worksheet.reason.ambiguousSample",
  "no-number": "worksheet.reason.noNumber",
  "not-parsed": "worksheet.reason.notParsed",
  "other-exercise": "worksheet.reason.otherExercise",
  shape: "worksheet.reason.shape",
};

/** Counts for the summary line. */
export function worksheetSummary(check: WorksheetCheck): {
  checked: number;
  wrong: number;
  arithmetic: number;
  arithmeticWrong: number;
  notUnderstood: number;
} {
  const claims = check.items.filter((i) => i.kind === "claim");
  const links = check.items.filter((i) => i.kind === "arithmetic");
  return {
    checked: claims.length,
    wrong: claims.filter((i) => i.claim.verdict === "disagrees").length,
    arithmetic: links.length,
    arithmeticWrong: links.filter((i) => i.verdict === "disagrees").length,
    notUnderstood: check.items.filter((i) => i.kind === "not-understood").length,
  };
}

function summaryLine(check: WorksheetCheck, t: Translator): string {
  const s = worksheetSummary(check);
  return t.text("worksheet.summary", {
    checked: s.checked,
    right: s.checked - s.wrong,
    wrong: s.wrong,
    steps: s.arithmetic,
    slips: s.arithmeticWrong,
    notUnderstood: s.notUnderstood,
  });
}

/** One mark in words: ✓ z₁ = 0.52, ✗ z₁ = 0.51 → 0.5210 (slip), ? not understood. */
function markText(item: WorksheetItem, decimals: number, t: Translator): string {
  switch (item.kind) {
    case "claim": {
      const { claim } = item;
      if (claim.verdict === "agrees") return `✓ ${claim.name} = ${typographic(claim.printed)}`;
      const wrong = { name: claim.name, wrote: typographic(claim.printed), value: typographic(correct(claim, decimals)) };
      return `✗ ${claim.slip ? t.text("worksheet.wrongSlip", { ...wrong, slip: typographic(claim.slip.say(t)) }) : t.text("worksheet.wrong", wrong)}`;
    }
    case "arithmetic":
      return item.verdict === "agrees"
        ? `✓ ${t.text("worksheet.arithmeticRight", { wrote: typographic(item.printed) })}`
        : `✗ ${t.text("worksheet.arithmeticWrong", { message: typographic(item.say(t)) })}`;
    case "not-understood": {
      const reason = REASONS[item.reason];
      return `? ${t.text("worksheet.notChecked", { reason: reason === undefined ? item.reason : t.text(reason), message: item.say(t) })}`;
    }
  }
}

/** The worksheet's lines, each followed by the marks of the equations on it. */
export function renderWorksheetText(check: WorksheetCheck, options: WorksheetReportOptions = {}): string {
  const c = createColors(options.color ?? false);
  const decimals = options.decimals ?? 4;
  const t = options.t ?? english;
  const byLine = new Map<number, WorksheetItem[]>();
  for (const item of check.items) {
    // Agreeing arithmetic is counted, not shown: the value's ✓ says the same.
    if (item.kind === "arithmetic" && item.verdict === "agrees") continue;
    byLine.set(item.source.line, [...(byLine.get(item.source.line) ?? []), item]);
  }
  const width = String(check.lines.length).length;
  const out: string[] = [];
  check.lines.forEach((text, k) => {
    const line = k + 1;
    out.push(`${c.dim(String(line).padStart(width))} │ ${text}`);
    for (const item of byLine.get(line) ?? []) {
      const mark = markText(item, decimals, t);
      const pad = `${" ".repeat(width)} │   `;
      const wrong = (item.kind === "claim" && item.claim.verdict === "disagrees") || (item.kind === "arithmetic" && item.verdict === "disagrees");
      out.push(pad + (wrong ? c.red(mark) : item.kind === "not-understood" ? c.yellow(mark) : c.green(mark)));
      if (item.kind === "claim" && item.claim.verdict === "disagrees" && item.claim.derivation) {
        const { lhs, relation, rhs } = derivationLines(check.result.solution, item.claim.derivation, { dialect: "text", decimals });
        rhs.forEach((part, i) => out.push(`${pad}    ${i === 0 ? `${lhs} ${relation} ` : `${" ".repeat(lhs.length)} = `}${part}`));
      }
    }
  });
  out.push("", summaryLine(check, t));
  return `${out.join("\n")}\n`;
}

/** Each checked value with its place in the worksheet; then the arithmetic steps and what was not understood. */
export function renderWorksheetJson(check: WorksheetCheck): string {
  const source = (s: WorksheetItem["source"]) => ({ line: s.line, column: s.column, text: s.text });
  const claims = check.items.flatMap((i) =>
    i.kind === "claim"
      ? [
          {
            path: i.claim.path,
            name: i.claim.name,
            printed: i.claim.printed,
            solved: i.claim.solved,
            verdict: i.claim.verdict,
            slip: i.claim.slip,
            source: source(i.source),
          },
        ]
      : [],
  );
  const arithmetic = check.items.flatMap((i) =>
    i.kind === "arithmetic" ? [{ printed: i.printed, computed: i.computed, verdict: i.verdict, message: i.message, source: source(i.source) }] : [],
  );
  const notUnderstood = check.items.flatMap((i) => (i.kind === "not-understood" ? [{ reason: i.reason, message: i.message, source: source(i.source) }] : []));
  return JSON.stringify({ claims, arithmetic, notUnderstood, summary: worksheetSummary(check) }, null, 2);
}

/** Items by the math span they belong to. */
function bySpan(check: WorksheetCheck): Map<number, WorksheetItem[]> {
  const map = new Map<number, WorksheetItem[]>();
  for (const item of check.items) {
    if (item.kind === "arithmetic" && item.verdict === "agrees") continue;
    map.set(item.source.span, [...(map.get(item.source.span) ?? []), item]);
  }
  return map;
}

function derivationLatex(check: WorksheetCheck, claim: CheckedClaim, decimals: number): string | undefined {
  if (!claim.derivation) return undefined;
  const { lhs, relation, rhs } = derivationLines(check.result.solution, claim.derivation, { dialect: "latex", decimals });
  const sign = relation === "←" ? "\\leftarrow" : "=";
  return `\\begin{aligned}${rhs.map((part, i) => (i === 0 ? `${lhs} &${sign} ${part}` : `&= ${part}`)).join(" \\\\ ")}\\end{aligned}`;
}

/** The student's worksheet as written, with the marks after each formula and each wrong value's derivation in a fold-out. */
export function renderWorksheetMarkdown(check: WorksheetCheck, options: WorksheetReportOptions = {}): string {
  const decimals = options.decimals ?? 4;
  const t = options.t ?? english;
  const marks = bySpan(check);
  let out = "";
  let at = 0;
  check.spans.forEach((span, k) => {
    const items = marks.get(k);
    if (!items) return;
    // Marks go after the line the formula ends on, so that the formula stays whole.
    const eol = check.text.indexOf("\n", span.end);
    const cut = eol < 0 ? check.text.length : eol;
    if (cut < at) return;
    out += check.text.slice(at, cut);
    at = cut;
    const lines = items.map((item) => {
      const text = markText(item, decimals, t);
      const wrong = text.startsWith("✗");
      const mark = wrong ? `<span style="color:#c00">${escapeHtml(text)}</span>` : escapeHtml(text);
      const wrongClaim = item.kind === "claim" && item.claim.verdict === "disagrees" ? item.claim : undefined;
      const math = wrongClaim && derivationLatex(check, wrongClaim, decimals);
      return wrongClaim && math
        ? `> ${mark}\n>\n> <details><summary>${escapeHtml(t.text("worksheet.arises", { value: typographic(correct(wrongClaim, decimals)) }))}</summary>\n>\n> $$${math}$$\n>\n> </details>`
        : `> ${mark}`;
    });
    out += `\n\n${lines.join("\n>\n")}\n`;
  });
  out += check.text.slice(at);
  return `${out.replace(/\n*$/, "")}\n\n---\n\n${summaryLine(check, t)}\n`;
}

/** Typesets LaTeX (KaTeX's renderToString, or MathML for a file that needs no fonts). */
export type Typeset = (latex: string, display: boolean) => string;

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}.mark{display:inline-block;margin:.1rem .4rem;padding:0 .3rem;border-radius:.2rem;font-size:.9em}.ok{color:#075e1f;background:#e6f4ea}.bad{color:#a00;background:#fde8e8}.unknown{color:#6b4e00;background:#fff4d6}.marks{margin:.2rem 0 .8rem}details{margin:.2rem 0 .2rem 1.5rem}summary{cursor:pointer}.display{overflow-x:auto}footer{margin-top:2rem;border-top:1px solid #ccc;padding-top:.5rem}`;

/** The marked worksheet as HTML nodes' markup, for a page or for the web page's box. */
export function worksheetHtmlBody(check: WorksheetCheck, typeset: Typeset, options: WorksheetReportOptions = {}): string {
  const decimals = options.decimals ?? 4;
  const t = options.t ?? english;
  const marks = bySpan(check);
  const prose = (text: string) =>
    text
      .split("\n")
      .map((line) => {
        const heading = /^(#{1,6})\s+(.*)$/.exec(line);
        return heading ? `<strong class="h${heading[1]!.length}">${escapeHtml(heading[2]!)}</strong>` : escapeHtml(line);
      })
      .join("<br>\n");
  let html = "";
  let at = 0;
  check.spans.forEach((span, k) => {
    html += prose(check.text.slice(at, span.start));
    at = span.end;
    const math = typeset(span.latex, span.display);
    html += span.display ? `<div class="display">${math}</div>` : math;
    const items = marks.get(k);
    if (!items) return;
    const parts = items.map((item) => {
      const text = markText(item, decimals, t);
      const kind = item.kind === "not-understood" ? "unknown" : text.startsWith("✗") ? "bad" : "ok";
      const path = item.kind === "claim" ? ` data-path="${escapeHtml(item.claim.path)}"` : "";
      const mark = `<span class="mark ${kind}"${path}>${escapeHtml(text)}</span>`;
      const wrongClaim = item.kind === "claim" && item.claim.verdict === "disagrees" ? item.claim : undefined;
      const derivation = wrongClaim && derivationLatex(check, wrongClaim, decimals);
      return wrongClaim && derivation
        ? `${mark}<details><summary>${escapeHtml(t.text("worksheet.arises", { value: typographic(correct(wrongClaim, decimals)) }))}</summary>${typeset(derivation, true)}</details>`
        : mark;
    });
    html += `<div class="marks">${parts.join("")}</div>`;
  });
  html += prose(check.text.slice(at));
  return `<div class="worksheet">${html}</div><footer class="summary">${escapeHtml(summaryLine(check, t))}</footer>`;
}

/** A self-contained page: the worksheet typeset (MathML from `typeset`), red-pen marks inline. */
export function renderWorksheetHtml(check: WorksheetCheck, typeset: Typeset, options: WorksheetReportOptions & { title?: string } = {}): string {
  const title = escapeHtml(options.title ?? (options.t ?? english).text("worksheet.title"));
  return `<!DOCTYPE html>\n<html lang="${(options.t ?? english).lang}">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${title}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n<h1>${title}</h1>\n${worksheetHtmlBody(check, typeset, options)}\n</body>\n</html>\n`;
}
