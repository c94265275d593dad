#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { InputError } from "../problem/input-error.js";
import { NumericError } from "../solve/numeric-error.js";
import { DivergenceError } from "../train/trainer.js";
import { checkCommand } from "./check.js";
import { examplesCommand } from "./examples.js";
import { explainCommand } from "./explain.js";
import { serveCommand } from "./serve.js";
import { solveCommand } from "./solve.js";
import { evalCommand, predictCommand } from "./model-commands.js";
import { trainCommand } from "./train.js";
import { exportCommand } from "./export.js";
import { inspectCommand } from "./inspect.js";

/** Exit codes: 0 success, 1 a computation failed (NaN/∞), 2 bad input or usage. */
const EXIT_NUMERIC = 1;
const EXIT_INPUT = 2;

const program = new Command("gradstep")
  .description("Feedforward neural networks by backpropagation: exact worked solutions of exercises, and a checker for hand-worked values.")
  .version("0.1.0")
  .showHelpAfterError("(run with --help for usage)")
  .addCommand(solveCommand)
  .addCommand(explainCommand)
  .addCommand(checkCommand)
  .addCommand(trainCommand)
  .addCommand(evalCommand)
  .addCommand(predictCommand)
  .addCommand(exportCommand)
  .addCommand(inspectCommand)
  .addCommand(examplesCommand)
  .addCommand(serveCommand)
  .addHelpText(
    "after",
    `
Example:
  $ gradstep solve --example seed-003-relu-1-2-2-1-two-steps`,
  );

// Usage errors exit with 2 like every other input error, not commander's 1.
for (const command of [program, ...program.commands]) {
  command.exitOverride((error) => {
    throw error;
  });
}

function fail(message: string, code: number): never {
  process.stderr.write(`gradstep: ${message}\n`);
  process.exit(code);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : EXIT_INPUT);
  if (error instanceof InputError) fail(error.message, EXIT_INPUT);
  if (error instanceof NumericError || error instanceof DivergenceError) fail(error.message, EXIT_NUMERIC);
  throw error;
}
