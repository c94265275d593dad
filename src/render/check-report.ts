import { createColors } from "picocolors";
import type { CheckResult } from "../check/check.js";
import { derivationLines } from "./derivation.js";
import { displayWidth } from "./solution-text.js";
import { formatNumber, typographic } from "../number-format.js";

export interface CheckReportOptions {
  readonly decimals?: number;
  readonly color?: boolean;
}

/** The checker's table (quantity, claimed, correct, verdict) and, for each wrong value, why. */
export function renderCheckText(result: CheckResult, options: CheckReportOptions = {}): string {
  const c = createColors(options.color ?? false);
  const decimals = options.decimals ?? 4;
  const correct = (solved: number, printed: string) => typographic(formatNumber(solved, Math.max(decimals, printed.replace(/^[^.]*\.?/, "").length + 1)));
  const rows = result.claims.map((claim) => [claim.name, typographic(claim.printed), correct(claim.solved, claim.printed), claim.verdict === "agrees" ? "✓ agrees" : "✗ disagrees"]);
  const header = ["quantity", "claimed", "correct", "verdict"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => displayWidth(r[i]!))));
  const line = (cells: string[]) => cells.map((cell, i) => cell + " ".repeat(widths[i]! - displayWidth(cell))).join("  ").trimEnd();
  const out = [c.bold(line(header)), line(widths.map((w) => "─".repeat(w)))];
  result.claims.forEach((claim, i) => {
    const text = line(rows[i]!);
    out.push(claim.verdict === "agrees" ? text : c.red(text));
  });
  const wrong = result.claims.filter((claim) => claim.verdict === "disagrees");
  out.push("", `${result.claims.length - wrong.length} of ${result.claims.length} agree${wrong.length > 0 ? `; ${wrong.length} disagree` : ""}.`);
  for (const claim of wrong) {
    out.push("", c.bold(`✗ ${claim.name} (${claim.path}): you wrote ${typographic(claim.printed)}, the value is ${correct(claim.solved, claim.printed)}`));
    if (claim.slip) out.push(`  Likely slip: ${typographic(claim.slip.message)}.`);
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
