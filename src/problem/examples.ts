import { readdirSync, readFileSync } from "node:fs";
import { InputError } from "../input-error.js";
import { parseProblem } from "./parse.js";
import type { Problem } from "./problem.js";

/** The built-in exercises ship in the package's examples/ folder, beside dist/ and src/. */
const EXAMPLES = new URL("../../examples/", import.meta.url);

export interface Example {
  readonly name: string;
  readonly title: string;
  /** The file as written, with its `expect` and `claims`. */
  readonly file: Record<string, unknown>;
}

export function exampleNames(): string[] {
  return readdirSync(EXAMPLES)
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .sort();
}

export function readExample(name: string): Example {
  const names = exampleNames();
  if (!names.includes(name)) {
    throw InputError.said((t) => t.text("error.unknownExample", { name, names: names.join(", ") }));
  }
  const file = JSON.parse(readFileSync(new URL(`${name}.json`, EXAMPLES), "utf8")) as Record<string, unknown>;
  return { name, title: typeof file.title === "string" ? file.title : name, file };
}

/**
 * A built-in exercise, parsed and validated.
 *
 * @example
 * const trace = solve(loadExample("seed-003-relu-1-2-2-1-two-steps"));
 */
export function loadExample(name: string): Problem {
  return parseProblem(readExample(name).file, { file: `${name}.json` });
}
