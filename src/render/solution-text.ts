import { createColors } from "picocolors";
import type { Solution } from "../explain/solution.js";
import { derivationLines } from "./derivation.js";
import { renderInline } from "./inline.js";
import { matrixText } from "./matrix.js";

export interface SolutionTextOptions {
  readonly decimals?: number;
  /** Lines are wrapped at operators to fit; defaults to 100. */
  readonly width?: number;
  readonly color?: boolean;
}

/** Columns a string takes in a terminal: combining accents (the hat of Â) take none. */
export function displayWidth(text: string): number {
  return [...text].filter((c) => !/\p{M}/u.test(c)).length;
}

/** Breaks a long formula at top-level-looking + and − signs, continuing under `indent`. */
export function wrapFormula(line: string, width: number, indent: string): string {
  if (line.length <= width) return line;
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    let cut = -1;
    for (const match of rest.matchAll(/ [+−] /g)) {
      if (match.index > indent.length + 10 && match.index <= width) cut = match.index;
    }
    if (cut < 0) break;
    out.push(rest.slice(0, cut));
    rest = `${indent}${rest.slice(cut + 1)}`;
  }
  out.push(rest);
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
        const text = renderInline(block.text, "text");
        if (lines.length > 0) lines.push("");
        lines.push(block.level === 1 ? c.bold(text) : block.level === 2 ? c.bold(c.underline(text)) : c.bold(text));
        if (block.level === 1) lines.push("");
        break;
      }
      case "paragraph":
        lines.push(renderInline(block.text, "text"));
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
