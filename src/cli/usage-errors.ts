import { InvalidArgumentError } from "commander";
import type { InputError } from "../input-error.js";
import { english, type MessageKey, type MessageValues, type Translator, type Say } from "../i18n/translate.js";

/**
 * Commander's usage errors in the reader's language. Commander writes them
 * in English with no catalogue hook, so each kind it writes is read back
 * by its shape (its own words, stable within a major version, and pinned by
 * test/i18n-help.test.ts) and said again from the catalogue; a message of
 * a shape not known here is left as commander wrote it.
 */
const SHAPES: readonly (readonly [RegExp, MessageKey, readonly string[]])[] = [
  [/^unknown option '(.*)'$/, "usage.unknownOption", ["option"]],
  [/^unknown command '(.*)'$/, "usage.unknownCommand", ["command"]],
  [/^missing required argument '(.*)'$/, "usage.missingArgument", ["argument"]],
  [/^option '(.*)' argument missing$/, "usage.optionMissingArgument", ["option"]],
  [/^required option '(.*)' not specified$/, "usage.mandatoryOption", ["option"]],
  [/^option '(.*)' cannot be used with option '(.*)'$/, "usage.conflictingOption", ["option", "other"]],
  [/^too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\.$/, "usage.excessArguments", ["command", "expected", "got"]],
];

const INVALID = /^option '(.*)' argument '(.*)' is invalid\. (.*)$/s;
const CHOICES = /^Allowed choices are (.*)\.$/;
const SUGGESTION = /^\(Did you mean (one of )?(.*)\?\)$/;

/** The reasons our own option parsers give, by their English words: commander keeps only the text of the error they throw. */
const REASONS = new Map<string, Say>();

/** The error an option's parser throws: English to commander, any language to the reader. */
export function argumentError(key: MessageKey, values?: MessageValues): InvalidArgumentError {
  const message = english.text(key, values);
  REASONS.set(message, (t) => t.text(key, values));
  return new InvalidArgumentError(message);
}

/** The error an option's parser throws for an input error of the library, said in the reader's language. */
export function argumentErrorOf(error: InputError): InvalidArgumentError {
  const message = `${error.message}.`;
  REASONS.set(message, (t) => `${error.localized(t)}.`);
  return new InvalidArgumentError(message);
}

function reasonIn(reason: string, t: Translator): string {
  const known = REASONS.get(reason);
  if (known) return known(t);
  const choices = CHOICES.exec(reason);
  return choices ? t.text("usage.allowedChoices", { choices: choices[1]! }) : reason;
}

/** One usage error as commander wrote it (`error: …`, maybe a suggestion line), without its `error: `, in the translator's language. */
export function localizeUsageError(text: string, t: Translator): string {
  const [first = "", ...rest] = text
    .replace(/^error: /, "")
    .replace(/\n$/, "")
    .split("\n");
  const said = (() => {
    const invalid = INVALID.exec(first);
    if (invalid) return t.text("usage.invalidArgument", { option: invalid[1]!, value: invalid[2]!, reason: reasonIn(invalid[3]!, t) });
    for (const [shape, key, names] of SHAPES) {
      const match = shape.exec(first);
      if (!match) continue;
      const values: Record<string, string | number> = {};
      // Counts are numbers, so that the message chooses its plural form.
      names.forEach((name, k) => (values[name] = /^\d+$/.test(match[k + 1] ?? "") ? Number(match[k + 1]) : (match[k + 1] ?? "")));
      if (key === "usage.excessArguments" && values.command === "") values.command = "gradstep";
      return t.text(key, values);
    }
    return first;
  })();
  const suggestions = rest.map((line) => {
    const match = SUGGESTION.exec(line);
    if (!match) return line;
    return t.text(match[1] ? "usage.didYouMeanOneOf" : "usage.didYouMean", { suggestion: match[2]! });
  });
  return [said, ...suggestions].join("\n") + "\n";
}
