import { LANGS, isLang, preferredLang, type Lang } from "../../src/i18n/lang.js";
import { loadTranslator, type MessageKey, type Translator } from "../../src/i18n/translate.js";
import { h } from "./dom.js";
import { t, useTranslator } from "./words.js";

/**
 * The page's language: `?lang=` in the URL when the reader chose one (the
 * choice travels with a shared link), else the browser's languages, else
 * English. Only that language's catalogue is loaded.
 */
export function pageLang(): Lang {
  const chosen = new URL(window.location.href).searchParams.get("lang");
  return chosen !== null && isLang(chosen) ? chosen : preferredLang(navigator.languages);
}

/** Loads the page's language and sets the words written in index.html (`data-i18n`, `data-i18n-label` for aria-label). */
export async function startLang(): Promise<Translator> {
  const current = await loadTranslator(pageLang());
  useTranslator(current);
  document.documentElement.lang = current.lang;
  for (const element of document.querySelectorAll<HTMLElement>("[data-i18n]")) element.textContent = current.text(element.dataset.i18n as MessageKey);
  for (const element of document.querySelectorAll<HTMLElement>("[data-i18n-label]"))
    element.setAttribute("aria-label", current.text(element.dataset.i18nLabel as MessageKey));
  return current;
}

/** What views keep of themselves before the page loads again in another language. */
const keepers: (() => void)[] = [];

/** Calls `keep` just before the switch loads the page in another language (to put what a view would lose where it finds it again). */
export function beforeLanguageSwitch(keep: () => void): void {
  keepers.push(keep);
}

/** Each language named in itself. */
const NAMES: Readonly<Record<Lang, string>> = { en: "English", zh: "中文", ja: "日本語", de: "Deutsch" };

/**
 * The language switch: choosing one writes `?lang=` into the URL and loads
 * the page again in that language. The exercise is in the URL's fragment
 * (link.ts writes it after every change), so it comes back as it was.
 */
export function languageSwitch(): HTMLElement {
  const current = t();
  const select = h(
    "select",
    { id: "lang", "aria-label": current.text("page.language") },
    ...LANGS.map((lang) => h("option", { value: lang, ...(lang === current.lang ? { selected: true } : {}) }, NAMES[lang])),
  );
  select.addEventListener("change", () => {
    const url = new URL(window.location.href);
    url.searchParams.set("lang", select.value);
    for (const keep of keepers) keep();
    window.location.replace(url.href);
  });
  return h("label", { class: "lang-switch" }, select);
}
