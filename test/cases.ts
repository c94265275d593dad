import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A case file: a problem with the trace it must produce and the hand-worked claims. */
export interface CaseFile {
  readonly name: string;
  readonly path: string;
  readonly json: Record<string, unknown> & { expect: unknown; claims?: unknown[] };
}

export const EXAMPLES_DIR = fileURLToPath(new URL("../examples/", import.meta.url));
/** The shared contract's cases, beside the repository; may hold cases newer than our copies. */
export const SHARED_CASES_DIR = fileURLToPath(new URL("../../shared/cases/", import.meta.url));

export function readCases(dir: string): CaseFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => {
      const path = dir + name;
      return { name: name.slice(0, -5), path, json: JSON.parse(readFileSync(path, "utf8")) as CaseFile["json"] };
    });
}
