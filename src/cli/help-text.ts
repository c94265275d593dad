import type { Command } from "commander";
import type { MessageKey, Translator } from "../i18n/translate.js";

/**
 * The help's words in the catalogue: each command's description and the
 * options of the commands that write prose, by the option's long flag.
 * Commander's own headings (Usage:, Options:) and the examples stay as
 * they are: commander has no catalogue for them, and examples are commands.
 */
export const HELP: Readonly<Record<string, { readonly description: MessageKey; readonly options?: Readonly<Record<string, MessageKey>> }>> = {
  gradstep: { description: "help.gradstep" },
  solve: {
    description: "help.solve",
    options: {
      "--example": "help.solve.example",
      "--format": "help.format",
      "--form": "help.solve.form",
      "--decimals": "help.decimals",
      "--lang": "help.lang",
      "--model": "help.solve.model",
      "--output": "help.solve.output",
      "--force": "help.solve.force",
    },
  },
  explain: {
    description: "help.explain",
    options: {
      "--example": "help.explain.example",
      "--step": "help.explain.step",
      "--format": "help.format",
      "--decimals": "help.decimals",
      "--lang": "help.lang",
    },
  },
  check: {
    description: "help.check",
    options: {
      "--example": "help.check.example",
      "--claims": "help.check.claims",
      "--worksheet": "help.check.worksheet",
      "--notation": "help.check.notation",
      "--format": "help.check.format",
      "--decimals": "help.decimals",
      "--lang": "help.lang",
    },
  },
  train: { description: "help.train" },
  eval: { description: "help.eval" },
  predict: { description: "help.predict" },
  export: { description: "help.export" },
  inspect: { description: "help.inspect" },
  examples: { description: "help.examples" },
  serve: { description: "help.serve" },
};

/** The language asked for on the command line (`--lang zh`, `--lang=zh`), read before commander parses it, for the help. */
export function langInArguments(argv: readonly string[]): string | undefined {
  for (const [k, arg] of argv.entries()) {
    if (arg === "--lang") return argv[k + 1];
    if (arg.startsWith("--lang=")) return arg.slice("--lang=".length);
  }
  return undefined;
}

/** Sets the program's and its commands' help in the translator's language; English help is left as written. */
export function localizeHelp(program: Command, t: Translator): void {
  if (t.lang === "en") return;
  for (const command of [program, ...program.commands]) {
    const help = HELP[command.name()];
    if (!help) continue;
    command.description(t.text(help.description));
    for (const option of command.options) {
      const key = option.long === undefined ? undefined : help.options?.[option.long];
      if (key) option.description = t.text(key);
    }
    command.helpOption("-h, --help", t.text("help.help"));
  }
}
