import { createColors } from "picocolors";
import type { CheckResult } from "../check/check.js";
import { derivationLines } from "./derivation.js";
import { displayWidth } from "../display-width.js";
import { formatNumber, typographic } from "../number-format.js";
import { english, type Translator } from "../i18n/translate.js";

export interface CheckReportOptions {
  readonly decimals?: number;
  readonly color?: boolean;
  /** The language of the table's words and the slips; English by default. */
  readonly t?: Translator;
}

/** The checker's table (quantity, claimed, correct, verdict) and, for each wrong value, why. */
export function renderCheckText(result: CheckResult, options: CheckReportOptions = {}): string {
  const c = createColors(options.color ?? false);
  const t = options.t ?? english;
  const decimals = options.decimals ?? 4;
  const correct = (solved: number, printed: string) => typographic(formatNumber(solved, Math.max(decimals, printed.replace(/^[^.]*\.?/, "").length + 1)));
  const rows = result.claims.map((claim) => [
    claim.name,
    typographic(claim.printed),
    correct(claim.solved, claim.printed),
    claim.verdict === "agrees" ? t.text("check.agrees") : t.text("check.disagrees"),
  ]);
  const header = [t.text("check.quantity"), t.text("check.claimed"), t.text("check.correct"), t.text("check.verdict")];
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]!))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell + " ".repeat(widths[i]! - displayWidth(cell)))
      .join("  ")
      .trimEnd();
  const out = [c.bold(line(header)), line(widths.map((w) => "─".repeat(w)))];
  result.claims.forEach((claim, i) => {
    const text = line(rows[i]!);
    out.push(claim.verdict === "agrees" ? text : c.red(text));
  });
  const wrong = result.claims.filter((claim) => claim.verdict === "disagrees");
  const counts = { agree: result.claims.length - wrong.length, total: result.claims.length, wrong: wrong.length };
  out.push("", t.text(wrong.length > 0 ? "check.summaryWrong" : "check.summary", counts));
  for (const claim of wrong) {
    out.push(
      "",
      c.bold(t.text("check.wrong", { name: claim.name, path: claim.path, wrote: typographic(claim.printed), value: correct(claim.solved, claim.printed) })),
    );
    if (claim.slip) out.push(`  ${t.text("check.likelySlip", { slip: typographic(claim.slip.say(t)) })}`);
    if (claim.derivation) {
      const { lhs, relation, rhs } = derivationLines(result.solution, claim.derivation, { dialect: "text", decimals });
      const indent = " ".repeat(2 + displayWidth(lhs) + 1);
      rhs.forEach((part, k) => out.push(k === 0 ? `  ${lhs} ${relation} ${part}` : `${indent}= ${part}`));
    }
  }
  return `${out.join("\n")}\n`;
}

/** The checker's verdicts for machines, in the order of the claims. */
export function renderCheckJson(result: CheckResult): string {
  const claims = result.claims.map(({ path, name, printed, solved, verdict, slip }) => ({ path, name, printed, solved, verdict, slip }));
  return JSON.stringify({ claims }, null, 2);
}
