import { english, type Translator } from "../../src/i18n/translate.js";

/** The page's language, for every view (set once by lang.ts before any view is built; English until then). */
let current: Translator = english;

export function t(): Translator {
  return current;
}

export function useTranslator(translator: Translator): void {
  current = translator;
}
