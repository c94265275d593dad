import { createColors } from "picocolors";
import type { Solution } from "../explain/solution.js";
import { derivationLines, leavesOf } from "./derivation.js";
import { renderInline } from "./inline.js";
import { matrixText } from "./matrix.js";
import { displayWidth } from "../display-width.js";

export interface SolutionTextOptions {
  readonly decimals?: number;
  /** Lines are wrapped at operators to fit; defaults to 100. */
  readonly width?: number;
  readonly color?: boolean;
}

/** Breaks a long formula at + and − signs, as far outside parentheses as it can, continuing under `indent`. */
export function wrapFormula(line: string, width: number, indent: string): string {
  if (displayWidth(line) <= width) return line;
  // Candidate breaks before a + or −, at the shallowest depth of parentheses that has any:
  // a sum inside (1/2)·(…) breaks inside, never in the middle of (1 − a).
  const candidates: { at: number; depth: number }[] = [];
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === " " && (line[i + 1] === "+" || line[i + 1] === "−") && line[i + 2] === " ") candidates.push({ at: i, depth });
  }
  const shallowest = Math.min(...candidates.map((b) => b.depth));
  const breaks = candidates.filter((b) => b.depth === shallowest).map((b) => b.at);
  const out: string[] = [];
  let lineStart = 0;
  let prefix = "";
  for (const [k, at] of breaks.entries()) {
    const next = breaks[k + 1] ?? line.length;
    // Break here when the text up to the next break point would not fit.
    if (displayWidth(prefix) + displayWidth(line.slice(lineStart, next)) > width && at > lineStart) {
      out.push(prefix + line.slice(lineStart, at));
      prefix = indent;
      lineStart = at + 1;
    }
  }
  out.push(prefix + line.slice(lineStart));
  return out.join("\n");
}

/** The worked solution for a terminal: aligned derivations, colour only when asked. */
export function renderSolutionText(solution: Solution, options: SolutionTextOptions = {}): string {
  const decimals = options.decimals ?? 4;
  const width = options.width ?? 100;
  const c = createColors(options.color ?? false);
  const lines: string[] = [];
  for (const block of solution.blocks) {
    switch (block.kind) {
      case "heading": {
        const text = renderInline(block.text, "text", leavesOf(solution, { dialect: "text", decimals }));
        if (lines.length > 0) lines.push("");
        lines.push(block.level === 1 ? c.bold(text) : block.level === 2 ? c.bold(c.underline(text)) : c.bold(text));
        if (block.level === 1) lines.push("");
        break;
      }
      case "paragraph":
        lines.push(renderInline(block.text, "text", leavesOf(solution, { dialect: "text", decimals })));
        break;
      case "derivation": {
        const { lhs, relation, rhs } = derivationLines(solution, block.derivation, { dialect: "text", decimals });
        const indent = " ".repeat(2 + displayWidth(lhs) + 1);
        rhs.forEach((part, i) => {
          const isValue = i === rhs.length - 1;
          const head = i === 0 ? `  ${c.cyan(lhs)} ${relation} ` : `${indent}= `;
          const body = wrapFormula(`${" ".repeat(indent.length + 2)}${part}`, width, `${indent}  `).slice(indent.length + 2);
          lines.push(head + (isValue ? c.bold(body) : body));
        });
        break;
      }
      case "matrix": {
        const { lhs, relation, rhs } = matrixText(block.equation, decimals);
        const indent = " ".repeat(2 + displayWidth(lhs) + 1);
        rhs.forEach((part, i) => {
          part.forEach((line, j) => lines.push(`${i === 0 && j === 0 ? `  ${c.cyan(lhs)} ${relation} ` : j === 0 ? `${indent}= ` : `${indent}  `}${line}`));
        });
        break;
      }
    }
  }
  return `${lines.join("\n")}\n`;
}
