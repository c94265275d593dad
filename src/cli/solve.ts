import { Command, Option } from "commander";
import { checkWritable } from "../io/files.js";
import { InputError } from "../input-error.js";
import { solutionLimitIssue } from "../problem/limits.js";
import { loadExample } from "../problem/examples.js";
import type { Problem } from "../problem/problem.js";
import { solve } from "../solve/solve.js";
import { readProblemFile } from "./io.js";
import { withModel } from "./with-model.js";
import { decimalsOption } from "./options.js";
import type { Form } from "../explain/solution.js";
import { FORMATS, writeSolution, type Format } from "./render-solution.js";
import { langOption, translatorFor } from "./lang.js";
import { helpAfter } from "./help-text.js";

interface SolveFlags {
  example?: string;
  model?: string;
  format: Format;
  form: Form;
  decimals: number;
  output?: string;
  force?: boolean;
  lang?: string;
}

export function pickProblem(file: string | undefined, example: string | undefined): Problem {
  if (file !== undefined && example !== undefined) {
    throw InputError.said((t) => t.text("error.fileAndExample", { file, example }));
  }
  if (example !== undefined) return loadExample(example);
  if (file !== undefined) return readProblemFile(file);
  throw InputError.said((t) => t.text("error.noProblem"));
}

export const solveCommand = new Command("solve")
  .description("solve an exercise: the worked solution of every forward value, loss, gradient and update")
  .argument("[FILE]", "problem file, JSON or YAML (see docs/problem-format.md in the package); - reads standard input")
  .option("-e, --example <NAME>", "solve a built-in exercise instead of a file")
  .addOption(new Option("-f, --format <FORMAT>", "output format").choices(FORMATS).default("text"))
  .addOption(new Option("--form <FORM>", "neuron by neuron with the chain rule, or whole matrices per layer").choices(["scalar", "matrix"]).default("scalar"))
  .addOption(decimalsOption())
  .addOption(langOption())
  .option("-m, --model <FILE>", "take the network (weights, biases, activations) from a saved model: gradstep, safetensors, ONNX or TensorFlow.js")
  .option("-o, --output <FILE>", "write to FILE (atomically) instead of standard output (-: standard output)")
  .option("--force", "replace the --output file if it exists")
  .addHelpText(
    "after",
    helpAfter(undefined, [
      "gradstep solve --example seed-003-relu-1-2-2-1-two-steps",
      "gradstep solve exercise.yaml --format json > trace.json",
      "gradstep solve exercise.yaml --form matrix --format markdown > solution.md",
      "gradstep solve exercise.yaml --format xlsx --output exercise.xlsx",
      "gradstep solve exercise.yaml --model trained.json",
      "gradstep solve --example seed-004-sigmoid-3-2-2-shared-bias --lang zh",
      "gradstep solve exercise.yaml --lang de --format pdf --output handout.pdf",
    ]),
  )
  .action(async (file: string | undefined, flags: SolveFlags) => {
    const given = pickProblem(file, flags.example);
    const problem = flags.model === undefined ? given : withModel(given, flags.model);
    // Refused before any work: an output that would replace a file, a worked solution too large to write.
    if (flags.output !== undefined && flags.output !== "-") checkWritable(flags.output, { force: flags.force });
    const tooLarge =
      flags.format === "json" || flags.format === "csv" ? undefined : solutionLimitIssue(problem, flags.format === "pdf" ? "latex" : flags.format);
    if (tooLarge) throw InputError.said(tooLarge.say);
    await writeSolution(problem, solve(problem), { ...flags, t: await translatorFor(flags.lang) });
  });
