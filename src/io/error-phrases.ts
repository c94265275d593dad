import { quoteList, suggestion } from "../problem/schema-issues.js";
import type { Say } from "../i18n/translate.js";

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
