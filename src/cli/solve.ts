import { Command, Option } from "commander";
import { InputError } from "../problem/input-error.js";
import { loadExample } from "../problem/examples.js";
import type { Problem } from "../problem/problem.js";
import { renderText } from "../render/text.js";
import { solve } from "../solve/solve.js";
import { emit, readProblemFile } from "./io.js";
import { decimalsOption } from "./options.js";

interface SolveFlags {
  example?: string;
  format: "text" | "json";
  decimals: number;
}

export function pickProblem(file: string | undefined, example: string | undefined): Problem {
  if (file !== undefined && example !== undefined) {
    throw new InputError(`expected a problem FILE or --example NAME, found both ("${file}" and "${example}")`);
  }
  if (example !== undefined) return loadExample(example);
  if (file !== undefined) return readProblemFile(file);
  throw new InputError("expected a problem FILE or --example NAME, found neither (gradstep examples lists the built-in ones)");
}

export const solveCommand = new Command("solve")
  .description("solve an exercise: every forward value, loss, gradient and update, step by step")
  .argument("[FILE]", "problem file, JSON or YAML (see PROBLEM-FORMAT.md)")
  .option("-e, --example <NAME>", "solve a built-in exercise instead of a file")
  .addOption(new Option("-f, --format <FORMAT>", "output format").choices(["text", "json"]).default("text"))
  .addOption(decimalsOption())
  .addHelpText(
    "after",
    `
Examples:
  $ gradstep solve --example seed-003-relu-1-2-2-1-two-steps
  $ gradstep solve exercise.yaml --format json > trace.json`,
  )
  .action((file: string | undefined, flags: SolveFlags) => {
    const problem = pickProblem(file, flags.example);
    const trace = solve(problem);
    emit(flags.format === "json" ? JSON.stringify(trace, null, 2) : renderText(problem, trace, { decimals: flags.decimals }));
  });
