import { IntlMessageFormat, type Formatters } from "intl-messageformat";
import en from "./catalogues/en.js";
import type { Lang } from "./lang.js";

/**
 * Messages are ICU MessageFormat (`{count, plural, one {# step} other {# steps}}`),
 * formatted by FormatJS's intl-messageformat over the platform's Intl: plural
 * rules, select and word order are each language's own, and every
 * catalogue has the same keys as the English one.
 */
export type MessageKey = keyof typeof en;
export type Catalogue = Readonly<Record<MessageKey, string>>;
/** A message's arguments: numbers choose plural forms, strings are set as they are. */
export type MessageValues = Readonly<Record<string, string | number>>;

export interface Translator {
  readonly lang: Lang;
  /** The message as plain text. */
  text(key: MessageKey, values?: MessageValues): string;
  /** The message with some arguments that are not text (a formula, a name): the words around them in the language's order. */
  parts<T extends object>(key: MessageKey, values: Readonly<Record<string, string | number | T>>): (string | T)[];
  /** Items joined as the language lists them: "a and b", "a und b", "a和b". */
  list(items: readonly string[]): string;
}

/** Numbers inside messages are counts and step numbers, written without grouping (1000 steps, never 1,000). */
function formatters(): Formatters {
  return {
    getNumberFormat: (locales, options) => new Intl.NumberFormat(locales, { ...options, useGrouping: false }),
    getDateTimeFormat: (locales, options) => new Intl.DateTimeFormat(locales, options),
    getPluralRules: (locales, options) => new Intl.PluralRules(locales, options),
  };
}

export function translator(lang: Lang, catalogue: Catalogue): Translator {
  const compiled = new Map<MessageKey, IntlMessageFormat>();
  const shared = formatters();
  const message = (key: MessageKey) => {
    let found = compiled.get(key);
    if (!found) compiled.set(key, (found = new IntlMessageFormat(catalogue[key], lang, undefined, { formatters: shared, ignoreTag: true })));
    return found;
  };
  const listFormat = new Intl.ListFormat(lang, { type: "conjunction" });
  return {
    lang,
    text: (key, values) => String(message(key).format(values)),
    parts: <T extends object>(key: MessageKey, values: Readonly<Record<string, string | number | T>>) => {
      const formatted = message(key).format<T>(values);
      const parts = Array.isArray(formatted) ? formatted : [formatted];
      // Adjacent words come back as separate strings: joined, they read as one piece of text.
      const out: (string | T)[] = [];
      for (const part of parts) {
        const last = out[out.length - 1];
        if (typeof part === "string" && typeof last === "string") out[out.length - 1] = last + part;
        else if (part !== "") out.push(part);
      }
      return out;
    },
    list: (items) => listFormat.format(items),
  };
}

/** English, the language of the catalogue every other one translates, always at hand. */
export const english: Translator = translator("en", en);

const CATALOGUES: Readonly<Record<Exclude<Lang, "en">, () => Promise<{ default: Catalogue }>>> = {
  zh: () => import("./catalogues/zh.js"),
  ja: () => import("./catalogues/ja.js"),
  de: () => import("./catalogues/de.js"),
};

/** The translator for a language; only that language's catalogue is loaded. */
export async function loadTranslator(lang: Lang): Promise<Translator> {
  return lang === "en" ? english : translator(lang, (await CATALOGUES[lang]()).default);
}

/** Words said in any language: a catalogue message, or a phrase built of them. */
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

/** Words said in English and, on request, in any language: `message` for JSON and the English report, `say` for the others. */
export interface Said {
  readonly message: string;
  readonly say: Say;
}

export function said(say: Say): Said {
  return { message: say(english), say };
}
