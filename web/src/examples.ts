/**
 * The built-in exercises (examples/*.json), bundled into the page by Vite:
 * the browser has no file system, so src/problem/examples.ts (node:fs) is
 * not used here.
 */
export interface BuiltIn {
  readonly name: string;
  readonly title: string;
  readonly document: Readonly<Record<string, unknown>>;
}

const files = import.meta.glob<Record<string, unknown>>("../../examples/*.json", { eager: true, import: "default" });

export const BUILT_IN: readonly BuiltIn[] = Object.entries(files)
  .map(([path, document]) => {
    const name = path.replace(/^.*\//, "").replace(/\.json$/, "");
    return { name, title: typeof document.title === "string" ? document.title : name, document };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

/** The exercise the page opens with when the link carries none: the README's worked example. */
export const FIRST_EXAMPLE = "seed-004-sigmoid-3-2-2-shared-bias";

export function builtIn(name: string): BuiltIn | undefined {
  return BUILT_IN.find((example) => example.name === name);
}
