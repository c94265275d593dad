import { IntlMessageFormat } from "intl-messageformat";

/** The names of an ICU message's arguments, in plural and select branches too, sorted. */
export function argumentsOf(message: string, lang: string): string[] {
  const names = new Set<string>();
  type Element = { type: number; value?: unknown; options?: Record<string, { value: Element[] }> };
  const walk = (elements: Element[]) => {
    for (const e of elements) {
      if (e.type >= 1 && e.type <= 6 && typeof e.value === "string") names.add(e.value);
      for (const option of Object.values(e.options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, lang, undefined, { ignoreTag: true }).getAst());
  return [...names].sort();
}
