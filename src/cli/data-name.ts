import { DIGITS_NAME } from "../train/data/known-sets.js";
import type { Translator } from "../i18n/translate.js";

/** A data set's name for a reader: the built-in digits described in their language; a file's or folder's name as it is. */
export function dataName(name: string, t: Translator): string {
  return name === DIGITS_NAME ? t.text("command.data.digits") : name;
}
