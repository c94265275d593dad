import { readFileSync } from "node:fs";
import { InputError } from "../problem/input-error.js";
import { parseProblem } from "../problem/parse.js";
import type { Problem } from "../problem/problem.js";

/** A file's text; an unreadable file is an input error like any other. */
export function readText(file: string, what = "a problem file (JSON or YAML)"): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory, not a file" : `cannot be read (${code ?? String(error)})`;
    throw new InputError(`expected ${what}, found ${reason}`, { file });
  }
}

/** Reads and validates a problem file. */
export function readProblemFile(file: string): Problem {
  return parseProblem(readText(file), { file });
}
