import { Command } from "commander";
import { NameIndex, similarNames } from "../check/names.js";
import { quantityAt, type Quantity } from "../explain/quantity.js";
import { buildSolution, type Solution } from "../explain/solution.js";
import { InputError } from "../input-error.js";
import { solutionLimitIssue } from "../problem/limits.js";
import { formatPath } from "../json-path.js";
import { pathOf } from "../explain/quantity.js";
import { derivationLines } from "../render/derivation.js";
import { renderLatex } from "../render/latex.js";
import { renderMarkdown } from "../render/markdown.js";
import { renderHtml } from "../render/on-demand.js";
import { renderSolutionText } from "../render/solution-text.js";
import { solve } from "../solve/solve.js";
import { decimalsOption, formatOption } from "./options.js";
import { terminal, writeOutput } from "./output.js";
import { pickProblem } from "./solve.js";
import { langOption, translatorFor } from "./lang.js";
import { helpAfter } from "./help-text.js";

interface ExplainFlags {
  example?: string;
  step?: string;
  format: "text" | "json" | "markdown" | "latex" | "html";
  decimals: number;
  lang?: string;
}

/** A quantity by trace path (`steps[0].backward[0].weights[0][0]`) or by name in the problem's notation (`dE/dw1`, `w7`). */
export function findQuantity(solution: Solution, text: string, step: number | undefined): Quantity {
  const byPath = quantityAt(solution.deriver.values, text);
  if (byPath) return byPath;
  const names = new NameIndex(solution.problem, solution.notation);
  const byName = names.find(text, step ?? 1);
  if (byName) return byName;
  const similar = names.similar(text);
  throw InputError.said((t) => t.text("error.notQuantity", { text: JSON.stringify(text) }) + similarNames(similar, t));
}

/** The derivation of one quantity, as a solution of a single block. */
function only(solution: Solution, q: Quantity): Solution {
  const derivation = solution.deriver.derive(q);
  if (!derivation) {
    const name = JSON.stringify(solution.notation.name(q));
    throw InputError.said((t) => t.text("error.givenNotComputed", { name }));
  }
  return { ...solution, blocks: [{ kind: "derivation", derivation }] };
}

/** One derivation for scripts: the quantity, its trace path and exact value, and each line as text and LaTeX (numbers at --decimals). */
function derivationRecord(one: Solution, decimals: number): object {
  const block = one.blocks[0]!;
  if (block.kind !== "derivation") throw new RangeError("explain renders one derivation");
  const { derivation } = block;
  const lines = (dialect: "text" | "latex") => derivationLines(one, derivation, { dialect, decimals });
  const text = lines("text");
  return {
    name: text.lhs,
    path: formatPath(pathOf(one.problem, derivation.quantity)),
    value: derivation.value,
    relation: text.relation,
    text: text.rhs,
    latex: { lhs: lines("latex").lhs, rhs: lines("latex").rhs },
  };
}

export const explainCommand = new Command("explain")
  .description("derive one quantity: the chain rule, the formula, the numbers, the value")
  .argument("[FILE]", "problem file, JSON or YAML; - reads standard input")
  .argument("[QUANTITY]", "a trace path (steps[0].backward[0].weights[0][0]) or a name (dE/dw1, w7, h1)")
  .option("-e, --example <NAME>", "use a built-in exercise instead of a file")
  .option("-s, --step <N>", "for names: the step, counted from 1 (a weight's value after that step's update)")
  .addOption(formatOption(["text", "json", "markdown", "latex", "html"]))
  .addOption(decimalsOption())
  .addOption(langOption())
  .addHelpText(
    "after",
    helpAfter(undefined, [
      'gradstep explain --example seed-004-sigmoid-3-2-2-shared-bias "steps[0].backward[1].weights[0][0]"',
      "gradstep explain exercise.json dE/dw7",
      "gradstep explain exercise.json w7 --step 2",
    ]),
  )
  .action(async (first: string | undefined, second: string | undefined, flags: ExplainFlags) => {
    // With --example the one argument is the quantity.
    const [file, text] = second === undefined ? [undefined, first] : [first, second];
    if (text === undefined) throw InputError.said((t) => t.text("error.noQuantity"));
    const step = flags.step === undefined ? undefined : Number(flags.step);
    if (step !== undefined && !(Number.isInteger(step) && step >= 0))
      throw InputError.said((t) => t.text("error.wholeNumberOption", { text: JSON.stringify(flags.step) }), { option: "step" });
    const problem = pickProblem(file, flags.example);
    const tooLarge = solutionLimitIssue(problem);
    if (tooLarge) throw InputError.said(tooLarge.say);
    const solution = buildSolution(problem, solve(problem), { t: await translatorFor(flags.lang) });
    const one = only(solution, findQuantity(solution, text, step));
    const { decimals } = flags;
    const rendered = {
      text: () => renderSolutionText(one, { decimals, ...terminal(undefined) }),
      json: () => JSON.stringify(derivationRecord(one, decimals), null, 2),
      markdown: () => renderMarkdown(one, { decimals }),
      latex: () => renderLatex(one, { decimals }),
      html: () => renderHtml(one, { decimals }),
    }[flags.format]();
    writeOutput(await rendered, undefined);
  });
