#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { InputError } from "../input-error.js";
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
import { EXIT } from "./exit-codes.js";
import { disableColor } from "./output.js";
import { helpAfter, langInArguments, localizeHelp } from "./help-text.js";
import { localizeUsageError } from "./usage-errors.js";
import { translatorFor } from "./lang.js";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command("gradstep")
  .description("Feedforward neural networks by backpropagation: exact worked solutions of exercises, and a checker for hand-worked values.")
  .version(version, "-V, --version", "print gradstep's version")
  .addOption(new Option("--no-color", "plain text, no colours (also: NO_COLOR=1, TERM=dumb; FORCE_COLOR=1 forces them)"))
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
  .hook("preAction", () => {
    if (!program.opts<{ color: boolean }>().color) disableColor();
  })
  .addHelpText("after", helpAfter("help.exitCodes", ["gradstep solve --example seed-003-relu-1-2-2-1-two-steps"]));

// The help and the input errors in the language of --lang or the environment (a catalogue other than English is loaded only when asked for).
const t = await translatorFor(langInArguments(process.argv));
localizeHelp(program, t);

/** Every message starts the same way, whoever raised it. */
const PREFIX = "gradstep: ";

for (const command of [program, ...program.commands]) {
  // Usage errors exit with 2 like every other input error, not commander's 1.
  command.exitOverride((error) => {
    throw error;
  });
  command.configureOutput({
    outputError: (text, write) => {
      write(PREFIX + localizeUsageError(text, t));
    },
  });
  command.showHelpAfterError(t.text("usage.runHelp", { command: command === program ? "gradstep" : `gradstep ${command.name()}` }));
}

function fail(message: string, code: number): never {
  process.stderr.write(`${PREFIX}${message}\n`);
  process.exit(code);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.input);
  if (error instanceof InputError) fail(error.withFlagName().localized(t), EXIT.input);
  if (error instanceof NumericError) fail(error.localized(t), EXIT.numeric);
  if (error instanceof DivergenceError) fail(error.localized(t), EXIT.numeric);
  throw error;
}
