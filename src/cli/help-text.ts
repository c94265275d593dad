import { stripVTControlCharacters } from "node:util";
import type { Command, Help, Option } from "commander";
import { displayWidth, isWide } from "../display-width.js";
import { english, type MessageKey, type Translator } from "../i18n/translate.js";

interface CommandHelp {
  readonly description: MessageKey;
  /** By the option's long flag. */
  readonly options?: Readonly<Record<string, MessageKey>>;
  /** By the argument's name. */
  readonly arguments?: Readonly<Record<string, MessageKey>>;
}

/**
 * The help's words in the catalogue: each command's description, its
 * arguments and its options. Commander's own words (Usage:, Options:,
 * "default:") are translated through its Help hooks below; the example
 * command lines stay as they are, since they are commands.
 */
export const HELP: Readonly<Record<string, CommandHelp>> = {
  gradstep: { description: "help.gradstep", options: { "--version": "help.version", "--no-color": "help.noColor" } },
  solve: {
    description: "help.solve",
    arguments: { FILE: "help.solve.file" },
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
    arguments: { FILE: "help.explain.file", QUANTITY: "help.explain.quantity" },
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
    arguments: { FILE: "help.check.file" },
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
    arguments: { MODEL: "help.model.file" },
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
    arguments: { MODEL: "help.model.file" },
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
    arguments: { INPUT: "help.export.input" },
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
    arguments: { FILE: "help.inspect.file" },
    options: { "--arch": "help.arch", "--format": "help.format", "--json": "help.json", "--lang": "help.lang" },
  },
  examples: { description: "help.examples", options: { "--format": "help.format", "--json": "help.json", "--lang": "help.lang" } },
  serve: {
    description: "help.serve",
    arguments: { FILE: "help.serve.file" },
    options: { "--example": "help.serve.example", "--port": "help.serve.port", "--host": "help.serve.host", "--lang": "help.lang" },
  },
};

/** Commander's headings, as it passes them to `Help.styleTitle`. */
const HEADINGS: Readonly<Record<string, MessageKey>> = {
  "Usage:": "help.heading.usage",
  "Arguments:": "help.heading.arguments",
  "Options:": "help.heading.options",
  "Global Options:": "help.heading.globalOptions",
  "Commands:": "help.heading.commands",
};

/** The language the help is printed in: set once by localizeHelp, before commander prints anything. */
let helpWords: Translator = english;

/** The language asked for on the command line (`--lang zh`, `--lang=zh`), read before commander parses it, for the help. */
export function langInArguments(argv: readonly string[]): string | undefined {
  for (const [k, arg] of argv.entries()) {
    if (arg === "--lang") return argv[k + 1];
    if (arg.startsWith("--lang=")) return arg.slice("--lang=".length);
  }
  return undefined;
}

/** A help section after the options: a catalogue message (exit codes, notes), then example command lines as they are. */
export function helpAfter(message: MessageKey | undefined, examples: readonly string[] = []): () => string {
  return () => {
    const words = message === undefined ? [] : ["", helpWords.text(message)];
    const lines = examples.length === 0 ? [] : ["", helpWords.text("help.heading.examples"), ...examples.map((line) => `  $ ${line}`)];
    return [...words, ...lines].join("\n");
  };
}

/** "(choices: …, default: …)" in the reader's language; the values themselves as typed. */
function optionDescription(option: Option, t: Translator): string {
  const extra: string[] = [];
  if (option.argChoices) extra.push(t.text("help.choices", { choices: option.argChoices.map((c) => JSON.stringify(c)).join(", ") }));
  const shown = option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === "boolean");
  if (option.defaultValue !== undefined && shown)
    extra.push(t.text("help.default", { value: option.defaultValueDescription ?? JSON.stringify(option.defaultValue) }));
  return extra.length === 0 ? option.description : `${option.description} ${t.text("help.extra", { extra: extra.join(t.text("help.separator")) })}`;
}

/** Punctuation that may not start a line (it closes), and that may not end one (it opens). */
const CLOSING = /[、。，．：；！？）」』】〉》”’,.;:!?)\]]/u;
const OPENING = /[（「『【〈《“‘([]/u;

/**
 * The pieces a line may break between: after spaces, as commander breaks,
 * and also between CJK characters, which have no spaces; never before a
 * closing mark or after an opening one.
 */
export function breakPieces(line: string): string[] {
  const pieces: string[] = [];
  let piece = "";
  let previous = "";
  for (const c of line) {
    const space = /\s/u.test(c);
    const breakBefore =
      piece !== "" &&
      !/^\s*$/u.test(piece) &&
      ((space && !/\s/u.test(previous)) || ((isWide(c) || isWide(previous)) && !CLOSING.test(c) && !OPENING.test(previous) && !space));
    if (breakBefore) {
      pieces.push(piece);
      piece = "";
    }
    piece += c;
    previous = c;
  }
  if (piece !== "") pieces.push(piece);
  return pieces;
}

/** Commander's wrapping of descriptions, with breaks between CJK characters too. */
function boxWrap(this: Help, text: string, width: number): string {
  if (width < this.minWidthToWrap) return text;
  return text
    .split(/\r\n|\n/)
    .map((line) => {
      const lines: string[] = [];
      let current = "";
      for (const piece of breakPieces(line)) {
        if (current !== "" && this.displayWidth(current + piece) > width) {
          lines.push(current.trimEnd());
          current = piece.trimStart();
        } else current += piece;
      }
      return [...lines, current].join("\n");
    })
    .join("\n");
}

/**
 * The program's help in the translator's language: descriptions from the
 * catalogue, commander's headings and option notes through its Help hooks,
 * and widths counted in terminal columns so that CJK descriptions line up.
 */
export function localizeHelp(program: Command, t: Translator): void {
  helpWords = t;
  const hooks: Partial<Help> = {
    styleTitle: (title) => {
      const key = HEADINGS[title];
      return key ? t.text(key) : title;
    },
    optionDescription: (option) => optionDescription(option, t),
    displayWidth: (text) => displayWidth(stripVTControlCharacters(text)),
    boxWrap,
  };
  program.helpCommand("help [command]", t.text("help.help"));
  for (const command of [program, ...program.commands]) {
    command.configureHelp(hooks);
    command.helpOption("-h, --help", t.text("help.help"));
    const help = HELP[command.name()];
    if (!help) continue;
    command.description(t.text(help.description));
    for (const argument of command.registeredArguments) {
      const key = help.arguments?.[argument.name()];
      if (key) argument.description = t.text(key);
    }
    for (const option of command.options) {
      const key = option.long === undefined ? undefined : help.options?.[option.long];
      if (key) option.description = t.text(key);
    }
  }
}
