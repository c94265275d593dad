import { quoteList, suggestion } from "../problem/schema-issues.js";
import type { MessageKey, Translator } from "../i18n/translate.js";

/**
 * Words of an error about a model, a data set, a table or a training setting,
 * said in any language: a catalogue message (src/i18n/catalogues/model-errors/)
 * whose arguments may themselves be phrases said in the same language.
 */
export type Say = (t: Translator) => string;

export type SayValues = Readonly<Record<string, string | number | Say>>;

/**
 * The message `key` with `values`; a phrase among them is said in the same
 * language. Numbers other than whole ones are set as JavaScript writes them
 * (0.5, 3.4e+38), never in a language's own digits or decimal comma.
 */
export function say(key: MessageKey, values: SayValues = {}): Say {
  return (t) => {
    const resolved: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(values)) {
      resolved[name] = typeof value === "function" ? value(t) : typeof value === "number" && !Number.isSafeInteger(value) ? String(value) : value;
    }
    return t.text(key, resolved);
  };
}

/** Text that reads the same in every language (a parser's own message, a name). */
export function verbatim(text: string): Say {
  return () => text;
}

/** What a file should be ("a model file"), said in any language. */
export type Expected = Say;

/** ` (did you mean "activation"?)` when a known word is a likely intended spelling, in the reader's language; else nothing. */
export function didYouMean(word: string, known: readonly string[]): Say {
  return (t) => suggestion(word, known, t);
}

/** `a, b, c`: quoted names, in the language's list separator. */
export function quotedList(names: readonly string[]): Say {
  return (t) => quoteList(names, t);
}

/** A name between double quotes, as the file wrote it (no escapes): `"layer_1"`. */
export function quoted(name: string): string {
  return `"${name}"`;
}

/** A value as JSON writes it, or as JavaScript does where JSON cannot (`undefined`). */
export function asJson(value: unknown): string {
  return value === undefined || typeof value === "function" || typeof value === "symbol" ? String(value) : JSON.stringify(value);
}
