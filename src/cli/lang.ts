import { Option } from "commander";
import { LANGS, langOfLocale, type Lang } from "../i18n/lang.js";
import { loadTranslator, type Translator } from "../i18n/translate.js";

/** --lang: the language of every sentence the command writes; numbers, formulas and names stay as they are. */
export function langOption(): Option {
  return new Option(
    "--lang <LANG>",
    "language of the prose: en, zh (中文), ja (日本語), de (Deutsch); default from LC_ALL, LC_MESSAGES or LANG, else en",
  ).choices(LANGS);
}

/**
 * The language asked for, else the environment's as POSIX orders it
 * (LC_ALL over LC_MESSAGES over LANG, empty ones skipped), else English.
 */
export function resolveLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  const given = langOfLocale(flag);
  if (given) return given;
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== "");
  return langOfLocale(locale) ?? "en";
}

/** The translator for --lang or the environment; only that language's catalogue is loaded. */
export function translatorFor(flag: string | undefined): Promise<Translator> {
  return loadTranslator(resolveLang(flag));
}
