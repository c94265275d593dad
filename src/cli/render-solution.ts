import { buildSolution } from "../explain/solution.js";
import type { Problem } from "../problem/problem.js";
import { renderCsv } from "../render/csv.js";
import { renderHtml } from "../render/html.js";
import { renderLatex } from "../render/latex.js";
import { renderMarkdown } from "../render/markdown.js";
import { renderSolutionText } from "../render/solution-text.js";
import { renderXlsx } from "../render/xlsx.js";
import type { Trace } from "../solve/trace.js";
import { terminal, writeOutput } from "./output.js";

export const FORMATS = ["text", "json", "markdown", "latex", "html", "xlsx", "csv"] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderFlags {
  readonly format: Format;
  readonly decimals: number;
  readonly output?: string;
}

/** Renders a solved problem in the requested format and writes it in one piece. */
export async function writeSolution(problem: Problem, trace: Trace, flags: RenderFlags): Promise<void> {
  const { format, decimals, output } = flags;
  if (format === "xlsx") {
    writeOutput(await renderXlsx(problem, trace, { decimals }), output, true);
    return;
  }
  writeOutput(renderDocument(problem, trace, format, decimals, output), output);
}

function renderDocument(problem: Problem, trace: Trace, format: Exclude<Format, "xlsx">, decimals: number, output: string | undefined): string {
  switch (format) {
    case "json":
      return JSON.stringify(trace, null, 2);
    case "csv":
      return renderCsv(problem, trace);
    case "text":
      return renderSolutionText(buildSolution(problem, trace), { decimals, ...terminal(output) });
    case "markdown":
      return renderMarkdown(buildSolution(problem, trace), { decimals });
    case "latex":
      return renderLatex(buildSolution(problem, trace), { decimals });
    case "html":
      return renderHtml(buildSolution(problem, trace), { decimals });
  }
}
