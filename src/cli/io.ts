import { readFileSync } from "node:fs";
import { InputError } from "../problem/input-error.js";
import { parseProblem } from "../problem/parse.js";
import type { Problem } from "../problem/problem.js";

/** Reads and validates a problem file; an unreadable file is an input error like any other. */
export function readProblemFile(file: string): Problem {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory, not a file" : `cannot be read (${code ?? String(error)})`;
    throw new InputError(`expected a problem file (JSON or YAML), found ${reason}`, { file });
  }
  return parseProblem(text, { file });
}

/** Writes the whole output at once, so that an error never leaves half a document behind. */
export function emit(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}
