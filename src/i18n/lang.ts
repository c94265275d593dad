/** The languages gradstep writes in: English (the source), Chinese, Japanese, German. */
export const LANGS = ["en", "zh", "ja", "de"] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(text: string): text is Lang {
  return (LANGS as readonly string[]).includes(text);
}

/**
 * The language of a locale as POSIX (`zh_CN.UTF-8`, `de_DE@euro`) or BCP 47
 * (`ja-JP`, `zh-Hans`) writes it; undefined for `C`, `POSIX` and languages
 * gradstep does not speak.
 */
export function langOfLocale(locale: string | undefined): Lang | undefined {
  const language = /^([A-Za-z]{2,3})(?:[-_.@]|$)/.exec(locale ?? "")?.[1]?.toLowerCase();
  return language !== undefined && isLang(language) ? language : undefined;
}

/** The first of a list of locales (a browser's `navigator.languages`) that gradstep speaks; English when none. */
export function preferredLang(locales: readonly string[]): Lang {
  for (const locale of locales) {
    const lang = langOfLocale(locale);
    if (lang) return lang;
  }
  return "en";
}
