import type { Solution } from "../explain/solution.js";
import { derivationLines, leavesOf } from "./derivation.js";
import { renderInline } from "./inline.js";
import { matrixLatexRows } from "./matrix.js";

export interface MarkdownOptions {
  readonly decimals?: number;
}

const RELATION = { "=": "=", "←": "\\leftarrow" } as const;

/**
 * Text from the problem file (its title) as Markdown shows it literally: on
 * one line, with the characters that would start markup, HTML or math
 * backslash-escaped (CommonMark escapes any ASCII punctuation).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/[\\`*_[\]<>#|~$&!]/g, "\\$&");
}

/** Markdown with `$…$` and `$$…$$` LaTeX, as GitHub renders it. */
export function renderMarkdown(solution: Solution, options: MarkdownOptions = {}): string {
  const decimals = options.decimals ?? 4;
  const out: string[] = [];
  for (const block of solution.blocks) {
    switch (block.kind) {
      case "heading":
        out.push(
          `${"#".repeat(block.level)} ${renderInline(block.text, "latex", leavesOf(solution, { dialect: "latex", decimals }), (m) => `$${m}$`, escapeMarkdown)}`,
          "",
        );
        break;
      case "paragraph":
        out.push(
          renderInline(block.text, "latex", leavesOf(solution, { dialect: "latex", decimals }), (m) => `$${m}$`),
          "",
        );
        break;
      case "derivation": {
        const { lhs, relation, rhs } = derivationLines(solution, block.derivation, { dialect: "latex", decimals });
        const rows = rhs.map((part, i) => (i === 0 ? `${lhs} &${RELATION[relation]} ${part}` : `&= ${part}`));
        out.push("$$", "\\begin{aligned}", rows.join(" \\\\\n"), "\\end{aligned}", "$$", "");
        break;
      }
      case "matrix":
        out.push("$$", "\\begin{aligned}", matrixLatexRows(block.equation, decimals).join(" \\\\\n"), "\\end{aligned}", "$$", "");
        break;
    }
  }
  return out.join("\n");
}
