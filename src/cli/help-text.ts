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
  train: {
    description: "help.train",
    options: {
      "--data": "help.train.data",
      "--label": "help.train.label",
      "--task": "help.train.task",
      "--ignore": "help.train.ignore",
      "--missing": "help.train.missing",
      "--loss": "help.train.loss",
      "--test-fraction": "help.train.testFraction",
      "--hidden": "help.train.hidden",
      "--activation": "help.train.activation",
      "--init": "help.train.init",
      "--optimizer": "help.train.optimizer",
      "--lr": "help.train.lr",
      "--momentum": "help.train.momentum",
      "--weight-decay": "help.train.weightDecay",
      "--batch": "help.train.batch",
      "--epochs": "help.train.epochs",
      "--schedule": "help.train.schedule",
      "--early-stop": "help.train.earlyStop",
      "--seed": "help.train.seed",
      "--out": "help.train.out",
      "--checkpoint": "help.train.checkpoint",
      "--resume": "help.train.resume",
      "--force": "help.train.force",
      "--format": "help.train.format",
      "--json": "help.json",
      "--lang": "help.lang",
      "--kernels": "help.train.kernels",
      "--threads": "help.train.threads",
    },
  },
  eval: {
    description: "help.eval",
    options: {
      "--data": "help.model.data",
      "--label": "help.model.label",
      "--format": "help.format",
      "--json": "help.json",
      "--lang": "help.lang",
    },
  },
  predict: {
    description: "help.predict",
    options: {
      "--data": "help.model.data",
      "--label": "help.model.label",
      "--limit": "help.predict.limit",
      "--format": "help.predict.format",
      "--json": "help.json",
      "--lang": "help.lang",
    },
  },
  export: {
    description: "help.export",
    options: {
      "--model": "help.export.model",
      "--onnx": "help.export.onnx",
      "--tfjs": "help.export.tfjs",
      "--arch": "help.arch",
      "--dtype": "help.export.dtype",
      "--inline": "help.export.inline",
      "--no-inline": "help.export.noInline",
      "--force": "help.export.force",
      "--lang": "help.lang",
    },
  },
  inspect: {
    description: "help.inspect",
    options: { "--arch": "help.arch", "--format": "help.format", "--json": "help.json", "--lang": "help.lang" },
  },
  examples: { description: "help.examples", options: { "--format": "help.format", "--json": "help.json", "--lang": "help.lang" } },
  serve: {
    description: "help.serve",
    options: { "--example": "help.serve.example", "--port": "help.serve.port", "--host": "help.serve.host", "--lang": "help.lang" },
  },
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
