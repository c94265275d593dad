import { Command, Option } from "commander";
import { checkClaims } from "../check/check.js";
import { readClaims } from "../check/claims.js";
import { InputError } from "../input-error.js";
import { readExample } from "../problem/examples.js";
import { parseProblemDocument, type ProblemDocument } from "../problem/parse.js";
import { renderCheckJson, renderCheckText } from "../render/check-report.js";
import { detectFormat, parseSource } from "../problem/source.js";
import { solve } from "../solve/solve.js";
import { EXIT } from "./exit-codes.js";
import { displayName, READING, readText } from "./io.js";
import type { Said } from "../i18n/translate.js";
import { decimalsOption } from "./options.js";
import { terminal, writeOutput } from "./output.js";
import { langOption, translatorFor } from "./lang.js";
import { helpAfter } from "./help-text.js";

interface CheckFlags {
  example?: string;
  claims?: string;
  worksheet?: string;
  notation?: string;
  format: "text" | "json" | "markdown" | "html";
  decimals: number;
  lang?: string;
}

function readDocument(file: string | undefined, example: string | undefined): ProblemDocument & { file: string } {
  if ((file === undefined) === (example === undefined)) {
    throw InputError.said((t) => t.text("error.fileOrExample"));
  }
  if (example !== undefined) return { ...parseProblemDocument(readExample(example).file, { file: `${example}.json` }), file: `${example}.json` };
  const name = displayName(file!);
  return { ...parseProblemDocument(readText(file!), { file: name }), file: name };
}

export const checkCommand = new Command("check")
  .description("check hand-worked values against the exact solution: which are wrong, the right value, and why")
  .argument("[FILE]", 'problem file with a "claims" list (or use --claims); - reads standard input')
  .option("-e, --example <NAME>", "check the claims of a built-in exercise")
  .option("-c, --claims <FILE>", 'claims from a separate file: a list of {"path" or "name", "value" or "printed"}')
  .option("-w, --worksheet <FILE>", "check a worksheet as written: Markdown or LaTeX with $…$ / $$…$$ math (.md, .tex, .txt; - reads standard input)")
  .option("--notation <FILE>", "a notation block (YAML or JSON) that replaces the problem's: the names the worksheet uses")
  .addOption(
    new Option("-f, --format <FORMAT>", "output format (markdown and html for --worksheet)").choices(["text", "json", "markdown", "html"]).default("text"),
  )
  .addOption(decimalsOption())
  .addOption(langOption())
  .addHelpText(
    "after",
    helpAfter("help.check.exitCodes", [
      "gradstep check --example seed-003-relu-1-2-2-1-two-steps",
      'gradstep check exercise.json --claims mine.json   # mine.json: [{"name": "dE/dw7", "value": 0.0765}, {"path": "steps[0].loss", "printed": "0.2984"}]',
      "gradstep check exercise.json --worksheet homework.md --format html > marked.html",
    ]),
  )
  .action(async (file: string | undefined, flags: CheckFlags) => {
    const read = readDocument(file, flags.example);
    if (flags.worksheet !== undefined) {
      await checkWorksheetFile(flags.notation === undefined ? read : withNotation(read, flags.notation), flags.worksheet, flags);
      return;
    }
    if (flags.format === "markdown" || flags.format === "html")
      throw InputError.said((t) => t.text("error.formatNeedsWorksheet"), { option: `format ${flags.format}` });
    if (flags.notation !== undefined) throw InputError.said((t) => t.text("error.notationNeedsWorksheet"), { option: "notation" });
    const { problem, document, file: name } = read;
    const claims = flags.claims === undefined ? readClaims(document, name) : readClaims(readClaimsFile(flags.claims), flags.claims);
    if (claims.length === 0) throw InputError.said((t) => t.text("error.noClaims"), { file: flags.claims ?? name });
    const result = checkClaims(problem, solve(problem), claims, { file: flags.claims ?? name, decimals: flags.decimals });
    const t = await translatorFor(flags.lang);
    writeOutput(
      flags.format === "json" ? renderCheckJson(result) : renderCheckText(result, { decimals: flags.decimals, t, ...terminal(undefined) }),
      undefined,
    );
    if (result.claims.some((c) => c.verdict === "disagrees")) process.exitCode = EXIT.wrongClaim;
  });

/** The problem with the notation of a separate file (a notation block, or a document with one), validated as part of it. */
function withNotation(read: ProblemDocument & { file: string }, file: string): ProblemDocument & { file: string } {
  const block = readStructured(file, READING.notationBlock);
  const notation = block !== null && typeof block === "object" && !Array.isArray(block) && "notation" in block ? block.notation : block;
  if (notation === null || typeof notation !== "object" || Array.isArray(notation))
    throw InputError.said((t) => t.text("error.notNotationBlock"), { file: displayName(file) });
  const document = { ...(read.document as object), notation };
  try {
    return { ...parseProblemDocument(document, { file: read.file }), file: read.file };
  } catch (error) {
    throw error instanceof InputError ? error.in(displayName(file)) : error;
  }
}

/** Checks a worksheet as written; the parser behind it is loaded only here. */
async function checkWorksheetFile(read: ProblemDocument & { file: string }, file: string, flags: CheckFlags): Promise<void> {
  const { loadWorksheetChecker, worksheetFormat } = await import("../check/worksheet/index.js");
  const report = await import("../render/worksheet-report.js");
  const text = readText(file, READING.worksheet);
  const check = await loadWorksheetChecker();
  const { problem } = read;
  const result = check(problem, solve(problem), text, { format: worksheetFormat(file === "-" ? undefined : file) });
  const t = await translatorFor(flags.lang);
  const options = { decimals: flags.decimals, t, ...terminal(undefined) };
  let output: string;
  if (flags.format === "json") output = report.renderWorksheetJson(result);
  else if (flags.format === "markdown") output = report.renderWorksheetMarkdown(result, options);
  else if (flags.format === "html") {
    const katex = (await import("katex")).default;
    // MathML: the page needs no fonts, stylesheets or scripts.
    const typeset = (latex: string, display: boolean) =>
      katex.renderToString(latex, { displayMode: display, output: "mathml", throwOnError: false, strict: "ignore" });
    output = report.renderWorksheetHtml(result, typeset, { ...options, title: `${problem.title ?? t.text("worksheet.defaultTitle")}: ${displayName(file)}` });
  } else output = report.renderWorksheetText(result, options);
  writeOutput(output, undefined);
  const wrong = result.items.some(
    (item) => (item.kind === "claim" && item.claim.verdict === "disagrees") || (item.kind === "arithmetic" && item.verdict === "disagrees"),
  );
  if (wrong) process.exitCode = EXIT.wrongClaim;
}

/** A claims file is JSON or YAML, like a problem file. */
function readClaimsFile(file: string): unknown {
  return readStructured(file, READING.claimsFile);
}

function readStructured(file: string, what: Said): unknown {
  const text = readText(file, what);
  try {
    return parseSource(text, detectFormat(text, file)).value;
  } catch (error) {
    throw error instanceof InputError ? error.in(file) : error;
  }
}
