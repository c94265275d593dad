import { buildSolution, type Form } from "../explain/solution.js";
import type { Problem } from "../problem/problem.js";
import { renderCsv } from "../render/csv.js";
import { renderLatex } from "../render/latex.js";
import { renderMarkdown } from "../render/markdown.js";
import { renderHtml, renderXlsx } from "../render/on-demand.js";
import { renderSolutionText } from "../render/solution-text.js";
import type { Trace } from "../solve/trace.js";
import { terminal, writeOutput } from "./output.js";
import type { Translator } from "../i18n/translate.js";

export const FORMATS = ["text", "json", "markdown", "latex", "html", "xlsx", "csv", "pdf"] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderFlags {
  readonly format: Format;
  readonly form: Form;
  readonly decimals: number;
  readonly output?: string;
  /** Replace an existing output file. */
  readonly force?: boolean;
  /** The language of the words. */
  readonly t?: Translator;
}

/** Renders a solved problem in the requested format and writes it in one piece. */
export async function writeSolution(problem: Problem, trace: Trace, flags: RenderFlags): Promise<void> {
  const { format, decimals, output } = flags;
  if (format === "xlsx") {
    writeOutput(await renderXlsx(problem, trace, { decimals, ...(flags.t && { t: flags.t }) }), output, true, { force: flags.force });
    return;
  }
  if (format === "pdf") {
    const { compilePdf } = await import("./pdf.js");
    writeOutput(compilePdf(renderLatex(buildSolution(problem, trace, { form: flags.form, ...(flags.t && { t: flags.t }) }), { decimals })), output, true, {
      force: flags.force,
    });
    return;
  }
  writeOutput(await renderDocument(problem, trace, flags), output, false, { force: flags.force });
}

async function renderDocument(problem: Problem, trace: Trace, { format, form, decimals, output, t }: RenderFlags): Promise<string> {
  const solution = () => buildSolution(problem, trace, { form, ...(t && { t }) });
  switch (format) {
    case "json":
      return JSON.stringify(trace, null, 2);
    case "csv":
      return renderCsv(problem, trace, { ...(t && { t }) });
    case "xlsx":
    case "pdf":
      throw new RangeError(`${format} is binary and written by writeSolution`);
    case "text":
      return renderSolutionText(solution(), { decimals, ...terminal(output) });
    case "markdown":
      return renderMarkdown(solution(), { decimals });
    case "latex":
      return renderLatex(solution(), { decimals });
    case "html":
      return renderHtml(solution(), { decimals });
  }
}
